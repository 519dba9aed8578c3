import { html } from "lit";
import type { OperationStartedPayload } from "../../../src/contracts/api.js";
import { api } from "../../api.js";
import { ConfirmDialog } from "../../internal/confirm-dialog.js";
import { strings } from "../../strings.js";
import styles from "./at-tenant-destroy.styles.js";

/**
 * @summary Confirmation dialog of a destroy: the staff member types the tenant's name, which
 * the API checks again.
 *
 * @event at-operation-started - The API accepted the destroy.
 *
 * @csspart base - The dialog.
 */
export default class AtTenantDestroy extends ConfirmDialog {
  static override styles = styles;

  /** Opens the dialog for `tenant`. */
  open(tenant: string): void {
    this.show(tenant);
  }

  protected start(form: FormData): Promise<OperationStartedPayload> {
    return api.destroy(this.tenant, this.typed, form.get("keepData") === "on");
  }

  override render() {
    return html`
      <dialog part="base" aria-labelledby="destroy-title">
        <form @submit=${this.handleSubmit}>
          <h2 id="destroy-title">${strings.destroyTitle(this.tenant)}</h2>
          <p>${strings.destroyExplain}</p>
          ${this.confirmField()}
          <label><input type="checkbox" name="keepData" /> ${strings.keepData}</label>
          ${this.buttons(strings.destroy, this.confirmed)}
        </form>
      </dialog>
    `;
  }
}
