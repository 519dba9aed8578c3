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
      const user = await createSession({
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
      });
      this.emit("at-login-success", { user });
    } catch (error) {
      this.failure = errorMessage(error instanceof ApiError ? error.id : "network_error");
      this.emailInput.focus();
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`
      <form part="base" class="login" @submit=${this.handleSubmit} aria-describedby="login-error">
        <h1 class="login__title">Entrar</h1>
        <div class="login__field">
          <label class="login__label" for="email">E-mail</label>
          <input class="login__input" id="email" name="email" type="email" autocomplete="username" required />
        </div>
        <div class="login__field">
          <label class="login__label" for="password">Senha</label>
          <input
            class="login__input"
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
          />
        </div>
        <p class="login__error" id="login-error" role="alert">${this.failure}</p>
        <button class="login__submit" type="submit" ?disabled=${this.busy} aria-busy=${this.busy ? "true" : "false"}>
          ${this.busy ? "Entrando…" : "Entrar"}
        </button>
      </form>
    `;
  }
}
