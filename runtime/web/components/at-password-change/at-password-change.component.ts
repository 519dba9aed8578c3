import { html } from "lit";
import { property, query, state } from "lit/decorators.js";
import { PASSWORD_MIN_LENGTH } from "../../../contracts/password-rules.js";
import { changePassword } from "../../api/accounts.js";
import { ApiError } from "../../api/client.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { errorMessage } from "../../messages.js";
import styles from "./at-password-change.styles.js";
import { passwordChangeText, weakPasswordReasons } from "./at-password-change.texts.js";
import "../../events/at-password-changed.js";

/**
 * @summary Choosing a new password: shown instead of the inbox while the user still has the
 * one-time password an administrator gave them, and reusable from account settings. When the
 * server refuses the password, every rule it breaks is explained in the interface language.
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
  /** The unmet password rules, explained; shown as a list under `failure`. */
  @state() private reasons: string[] = [];

  override firstUpdated(): void {
    this.currentInput.focus();
  }

  private async handleSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const text = passwordChangeText();
    const form = new FormData(event.target as HTMLFormElement);
    const newPassword = String(form.get("new") ?? "");
    this.reasons = [];
    if (newPassword !== String(form.get("confirm") ?? "")) {
      this.failure = text.mismatch;
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
      if (error instanceof ApiError && error.id === "weak_password") {
        // The server names the unmet rules by id; its English message is the fallback.
        const reasons = weakPasswordReasons(error.data?.rules);
        this.failure = text.weak;
        this.reasons = reasons.length > 0 ? reasons : [error.message];
      } else {
        this.failure =
          error instanceof ApiError &&
          error.id === "validation_error" &&
          error.data?.field === "currentPassword"
            ? text.wrongCurrent
            : errorMessage(error instanceof ApiError ? error.id : "network_error");
      }
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const text = passwordChangeText();
    return html`
      <form part="base" class="card" @submit=${this.handleSubmit} aria-describedby="password-error">
        <h1 class="card__title">${this.required ? text.chooseTitle : text.changeTitle}</h1>
        ${this.required ? html`<p class="card__hint">${text.requiredHint}</p>` : ""}
        <div class="card__field">
          <label class="card__label" for="current">${text.current}</label>
          <input class="card__input" id="current" name="current" type="password" autocomplete="current-password" required />
        </div>
        <div class="card__field">
          <label class="card__label" for="new">${text.next}</label>
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
          <label class="card__label" for="confirm">${text.confirm}</label>
          <input class="card__input" id="confirm" name="confirm" type="password" autocomplete="new-password" required />
        </div>
        <div class="card__error" id="password-error" role="alert">
          ${this.failure === "" ? "" : html`<p class="card__error-text">${this.failure}</p>`}
          ${
            this.reasons.length === 0
              ? ""
              : html`<ul class="card__rules">${this.reasons.map((reason) => html`<li>${reason}</li>`)}</ul>`
          }
        </div>
        <button class="card__submit" type="submit" ?disabled=${this.busy} aria-busy=${this.busy ? "true" : "false"}>
          ${this.busy ? text.saving : text.submit}
        </button>
      </form>
    `;
  }
}
