import { html } from "lit";
import { property, query, state } from "lit/decorators.js";
import { ApiError, api } from "../../api.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { errorText, strings } from "../../strings.js";
import styles from "./at-tenant-upgrade.styles.js";
import "../../events/at-operation-started.js";

/**
 * @summary Confirmation dialog of an upgrade: the release to go to, and the tenant's name typed
 * (the API checks it again).
 *
 * @event at-operation-started - The API accepted the upgrade.
 *
 * @csspart base - The dialog.
 */
export default class AtTenantUpgrade extends AtendeElement {
  static override styles = styles;

  /** The tenant to upgrade. */
  @property() tenant = "";

  @query("dialog") private dialog!: HTMLDialogElement;
  @state() private version = "";
  @state() private typed = "";
  @state() private failure = "";
  @state() private busy = false;

  /** Opens the dialog for `tenant`. */
  open(tenant: string): void {
    this.tenant = tenant;
    this.version = "";
    this.typed = "";
    this.failure = "";
    void this.updateComplete.then(() => this.dialog.showModal());
  }

  private async handleSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    this.busy = true;
    try {
      const started = await api.upgrade(this.tenant, this.version.trim(), this.typed);
      this.dialog.close();
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
          <label>${strings.destroyTypeName(this.tenant)}
            <input name="confirm" autocomplete="off" .value=${this.typed}
              @input=${(event: InputEvent) => {
                this.typed = (event.target as HTMLInputElement).value;
              }} />
          </label>
          <p class="error" role="alert">${this.failure}</p>
          <div class="buttons">
            <button type="button" @click=${() => this.dialog.close()}>${strings.cancel}</button>
            <button class="danger primary" type="submit"
              ?disabled=${this.busy || this.version.trim() === "" || this.typed !== this.tenant}>
              ${strings.upgradeSubmit}
            </button>
          </div>
        </form>
      </dialog>
    `;
  }
}
