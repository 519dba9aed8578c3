import { html } from "lit";
import { state } from "lit/decorators.js";
import { ApiError, api } from "../../api.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { errorText, strings } from "../../strings.js";
import styles from "./at-staff-login.styles.js";
import "../../events/at-signed-in.js";

/**
 * @summary Staff sign-in: e-mail and password.
 *
 * @event at-signed-in - The server accepted the credentials and set the session cookie.
 *
 * @csspart base - The form.
 */
export default class AtStaffLogin extends AtendeElement {
  static override styles = styles;

  /** True while the request is in flight. */
  @state() private busy = false;
  /** Message of the last failure, announced to screen readers. */
  @state() private failure = "";

  private async handleSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const form = new FormData(event.target as HTMLFormElement);
    this.busy = true;
    this.failure = "";
    try {
      const staff = await api.signIn(
        String(form.get("email") ?? ""),
        String(form.get("password") ?? ""),
      );
      this.emit("at-signed-in", { staff });
    } catch (error) {
      this.failure =
        error instanceof ApiError ? errorText(error.id, error.message) : errorText("network_error");
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`
      <form part="base" @submit=${this.handleSubmit} aria-describedby="login-error">
        <h1>${strings.appTitle}</h1>
        <label>${strings.email}<input name="email" type="email" autocomplete="username" required /></label>
        <label
          >${strings.password}<input name="password" type="password" autocomplete="current-password" required
        /></label>
        <p class="error" id="login-error" role="alert">${this.failure}</p>
        <button class="primary" type="submit" ?disabled=${this.busy}>
          ${this.busy ? strings.signingIn : strings.signIn}
        </button>
      </form>
    `;
  }
}
