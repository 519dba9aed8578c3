import { html } from "lit";
import { query, state } from "lit/decorators.js";
import { ApiError, createSession } from "../../api/client.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { errorMessage } from "../../messages.js";
import styles from "./at-login-form.styles.js";
import "../../events/at-login-success.js";

/**
 * @summary The sign-in form: e-mail and password, submitted with Enter or the button.
 *
 * @event at-login-success - The server accepted the credentials and set the session cookie.
 *
 * @csspart base - The form.
 */
export default class AtLoginForm extends AtendeElement {
  static override styles = styles;

  @query("#email") private emailInput!: HTMLInputElement;

  /** True while the request is in flight. */
  @state() private busy = false;
  /** Message of the last failure, announced to screen readers. */
  @state() private failure = "";
  /** The password was right and the account asks for an authenticator code. */
  @state() private needsCode = false;

  override firstUpdated(): void {
    this.emailInput.focus();
  }

  private async handleSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const form = new FormData(event.target as HTMLFormElement);
    this.busy = true;
    this.failure = "";
    try {
      const code = String(form.get("totp") ?? "").trim();
      const user = await createSession({
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
        ...(code === "" ? {} : { totpCode: code }),
      });
      this.emit("at-login-success", { user });
    } catch (error) {
      const id = error instanceof ApiError ? error.id : "network_error";
      if (id === "totp_required") {
        this.needsCode = true;
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLInputElement>("#totp")?.focus();
        return;
      }
      this.failure = errorMessage(id);
      this.emailInput.focus();
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`
      <form part="base" class="card" @submit=${this.handleSubmit} aria-describedby="login-error">
        <h1 class="card__title">Entrar</h1>
        <div class="card__field">
          <label class="card__label" for="email">E-mail</label>
          <input class="card__input" id="email" name="email" type="email" autocomplete="username" required />
        </div>
        <div class="card__field">
          <label class="card__label" for="password">Senha</label>
          <input
            class="card__input"
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
          />
        </div>
        ${
          this.needsCode
            ? html`<div class="card__field">
                <label class="card__label" for="totp">Código do aplicativo autenticador</label>
                <input
                  class="card__input"
                  id="totp"
                  name="totp"
                  inputmode="numeric"
                  autocomplete="one-time-code"
                  pattern="[0-9]{6}"
                  maxlength="6"
                  required
                />
              </div>`
            : ""
        }
        <p class="card__error" id="login-error" role="alert">${this.failure}</p>
        <button class="card__submit" type="submit" ?disabled=${this.busy} aria-busy=${this.busy ? "true" : "false"}>
          ${this.busy ? "Entrando…" : "Entrar"}
        </button>
      </form>
    `;
  }
}
