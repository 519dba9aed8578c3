import { html } from "lit";
import { property, query, state } from "lit/decorators.js";
import { PASSWORD_MIN_LENGTH } from "../../../contracts/accounts.js";
import { changePassword } from "../../api/accounts.js";
import { ApiError } from "../../api/client.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { errorMessage } from "../../messages.js";
import styles from "./at-password-change.styles.js";
import "../../events/at-password-changed.js";

/**
 * @summary Choosing a new password: shown instead of the inbox while the user still has the
 * one-time password an administrator gave them, and reusable from account settings.
 *
 * @event at-password-changed - The server accepted the new password (and rotated the session).
 *
 * @csspart base - The form.
 */
export default class AtPasswordChange extends AtendeElement {
  static override styles = styles;

  /** True when the user must change the one-time password before anything else. */
  @property({ type: Boolean }) required = false;

  @query("#current") private currentInput!: HTMLInputElement;

  @state() private busy = false;
  @state() private failure = "";

  override firstUpdated(): void {
    this.currentInput.focus();
  }

  private async handleSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const form = new FormData(event.target as HTMLFormElement);
    const newPassword = String(form.get("new") ?? "");
    if (newPassword !== String(form.get("confirm") ?? "")) {
      this.failure = "A confirmação não é igual à nova senha.";
      return;
    }
    this.busy = true;
    this.failure = "";
    try {
      const user = await changePassword({
        currentPassword: String(form.get("current") ?? ""),
        newPassword,
      });
      this.emit("at-password-changed", { user });
    } catch (error) {
      // The server says which rule failed (weak_password); other errors get the usual text.
      this.failure =
        error instanceof ApiError &&
        error.id === "validation_error" &&
        error.data?.field === "currentPassword"
          ? "A senha atual está incorreta."
          : error instanceof ApiError && error.id === "weak_password"
            ? `Senha não aceita: ${error.message.replace(/^The new password is not accepted: /, "")}`
            : errorMessage(error instanceof ApiError ? error.id : "network_error");
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`
      <form part="base" class="card" @submit=${this.handleSubmit} aria-describedby="password-error">
        <h1 class="card__title">${this.required ? "Escolha sua senha" : "Trocar senha"}</h1>
        ${
          this.required
            ? html`<p class="card__hint">
                Você entrou com uma senha temporária. Escolha uma senha sua, com pelo menos
                ${PASSWORD_MIN_LENGTH} caracteres, para continuar.
              </p>`
            : ""
        }
        <div class="card__field">
          <label class="card__label" for="current">Senha atual</label>
          <input class="card__input" id="current" name="current" type="password" autocomplete="current-password" required />
        </div>
        <div class="card__field">
          <label class="card__label" for="new">Nova senha</label>
          <input
            class="card__input"
            id="new"
            name="new"
            type="password"
            autocomplete="new-password"
            minlength=${PASSWORD_MIN_LENGTH}
            required
          />
        </div>
        <div class="card__field">
          <label class="card__label" for="confirm">Repita a nova senha</label>
          <input class="card__input" id="confirm" name="confirm" type="password" autocomplete="new-password" required />
        </div>
        <p class="card__error" id="password-error" role="alert">${this.failure}</p>
        <button class="card__submit" type="submit" ?disabled=${this.busy} aria-busy=${this.busy ? "true" : "false"}>
          ${this.busy ? "Salvando…" : "Salvar nova senha"}
        </button>
      </form>
    `;
  }
}
