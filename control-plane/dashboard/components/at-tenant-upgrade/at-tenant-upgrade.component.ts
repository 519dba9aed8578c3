import { html } from "lit";
import { state } from "lit/decorators.js";
import type { OperationStartedPayload } from "../../../src/contracts/api.js";
import { api } from "../../api.js";
import { ConfirmDialog } from "../../internal/confirm-dialog.js";
import { strings } from "../../strings.js";
import styles from "./at-tenant-upgrade.styles.js";

/**
 * @summary Confirmation dialog of an upgrade: the release to go to, and the tenant's name typed
 * (the API checks it again).
 *
 * @event at-operation-started - The API accepted the upgrade.
 *
 * @csspart base - The dialog.
 */
export default class AtTenantUpgrade extends ConfirmDialog {
  static override styles = styles;

  @state() private version = "";

  /** Opens the dialog for `tenant`. */
  open(tenant: string): void {
    this.version = "";
    this.show(tenant);
  }

  protected start(): Promise<OperationStartedPayload> {
    return api.upgrade(this.tenant, this.version.trim(), this.typed);
  }

  override render() {
    return html`
      <dialog part="base" aria-labelledby="upgrade-title">
        <form @submit=${this.handleSubmit}>
          <h2 id="upgrade-title">${strings.upgradeTitle(this.tenant)}</h2>
          <p>${strings.upgradeExplain}</p>
          <label>${strings.upgradeVersion}
            <input name="to" autocomplete="off" required .value=${this.version}
              @input=${(event: InputEvent) => {
                this.version = (event.target as HTMLInputElement).value;
              }} />
          </label>
          ${this.confirmField()}
          ${this.buttons(strings.upgradeSubmit, this.version.trim() !== "" && this.confirmed)}
        </form>
      </dialog>
    `;
  }
}
