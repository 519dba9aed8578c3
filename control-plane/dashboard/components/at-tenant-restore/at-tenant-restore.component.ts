import { html } from "lit";
import { property, state } from "lit/decorators.js";
import type { OperationStartedPayload } from "../../../src/contracts/api.js";
import { api } from "../../api.js";
import { ConfirmDialog } from "../../internal/confirm-dialog.js";
import { strings } from "../../strings.js";
import styles from "./at-tenant-restore.styles.js";

/**
 * @summary Confirmation dialog of a restore: in place, the staff member types the tenant's name
 * (the API checks it again); with a new tenant's name, the backup becomes an independent copy.
 *
 * @event at-operation-started - The API accepted the restore.
 *
 * @csspart base - The dialog.
 */
export default class AtTenantRestore extends ConfirmDialog {
  static override styles = styles;

  /** The backup to restore. */
  @property() backup = "";

  @state() private as = "";

  /** Opens the dialog for backup `backup` of `tenant`. */
  open(tenant: string, backup: string): void {
    this.backup = backup;
    this.as = "";
    this.show(tenant);
  }

  protected start(): Promise<OperationStartedPayload> {
    const asNew = this.as.trim();
    return api.restore(
      this.tenant,
      this.backup,
      asNew === "" ? { confirm: this.typed } : { as: asNew },
    );
  }

  override render() {
    const inPlace = this.as.trim() === "";
    return html`
      <dialog part="base" aria-labelledby="restore-title">
        <form @submit=${this.handleSubmit}>
          <h2 id="restore-title">${strings.restoreTitle(this.tenant, this.backup)}</h2>
          <p>${strings.restoreExplain}</p>
          <label>${strings.restoreAs}
            <input name="as" autocomplete="off" .value=${this.as}
              @input=${(event: InputEvent) => {
                this.as = (event.target as HTMLInputElement).value;
              }} />
          </label>
          ${this.confirmField(!inPlace)}
          ${this.buttons(strings.restoreSubmit, !inPlace || this.confirmed)}
        </form>
      </dialog>
    `;
  }
}
