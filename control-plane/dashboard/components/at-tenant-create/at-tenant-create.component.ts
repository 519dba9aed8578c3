import { html } from "lit";
import { state } from "lit/decorators.js";
import { ApiError, api } from "../../api.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { errorText, strings } from "../../strings.js";
import styles from "./at-tenant-create.styles.js";

/** Tenant names, as the API checks them (the hyphen escaped for the `v`-flag regex of `pattern`). */
const NAME_PATTERN = "[a-z][a-z0-9\\-]{0,31}";

import "../../events/at-operation-started.js";

/**
 * @summary Creates a tenant from a name and the first admin's e-mail.
 *
 * @event at-operation-started - The API accepted the create; progress follows over Socket.IO.
 *
 * @csspart base - The form.
 */
export default class AtTenantCreate extends AtendeElement {
  static override styles = styles;

  @state() private busy = false;
  @state() private failure = "";

  private async handleSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const formElement = event.target as HTMLFormElement;
    const form = new FormData(formElement);
    this.busy = true;
    this.failure = "";
    try {
      const started = await api.create(
        String(form.get("name") ?? ""),
        String(form.get("adminEmail") ?? ""),
      );
      formElement.reset();
      this.emit("at-operation-started", started);
    } catch (error) {
      this.failure =
        error instanceof ApiError ? errorText(error.id, error.message) : errorText("network_error");
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`
      <form part="base" @submit=${this.handleSubmit} aria-describedby="create-error">
        <label>${strings.tenantName}<input name="name" required pattern=${NAME_PATTERN} placeholder="acme" /></label>
        <label>${strings.adminEmail}<input name="adminEmail" type="email" required placeholder="ana@acme.com.br" /></label>
        <button class="primary" type="submit" ?disabled=${this.busy}>${this.busy ? strings.creating : strings.create}</button>
      </form>
      <p class="error" id="create-error" role="alert">${this.failure}</p>
    `;
  }
}
