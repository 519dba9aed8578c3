import { html } from "lit";
import { property, query, state } from "lit/decorators.js";
import { ApiError, api } from "../../api.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { errorText, strings } from "../../strings.js";
import styles from "./at-tenant-restore.styles.js";
import "../../events/at-operation-started.js";

/**
 * @summary Confirmation dialog of a restore: in place, the staff member types the tenant's name
 * (the API checks it again); with a new tenant's name, the backup becomes an independent copy.
 *
 * @event at-operation-started - The API accepted the restore.
 *
 * @csspart base - The dialog.
 */
export default class AtTenantRestore extends AtendeElement {
  static override styles = styles;

  /** The tenant the backup belongs to. */
  @property() tenant = "";
  /** The backup to restore. */
  @property() backup = "";

  @query("dialog") private dialog!: HTMLDialogElement;
  @state() private typed = "";
  @state() private as = "";
  @state() private failure = "";
  @state() private busy = false;

  /** Opens the dialog for backup `backup` of `tenant`. */
  open(tenant: string, backup: string): void {
    this.tenant = tenant;
    this.backup = backup;
    this.typed = "";
    this.as = "";
    this.failure = "";
    void this.updateComplete.then(() => this.dialog.showModal());
  }

  private async handleSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    this.busy = true;
    try {
      const asNew = this.as.trim();
      const started = await api.restore(
        this.tenant,
        this.backup,
        asNew === "" ? { confirm: this.typed } : { as: asNew },
      );
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
          <label>${strings.destroyTypeName(this.tenant)}
            <input name="confirm" autocomplete="off" .value=${this.typed} ?disabled=${!inPlace}
              @input=${(event: InputEvent) => {
                this.typed = (event.target as HTMLInputElement).value;
              }} />
          </label>
          <p class="error" role="alert">${this.failure}</p>
          <div class="buttons">
            <button type="button" @click=${() => this.dialog.close()}>${strings.cancel}</button>
            <button class="danger primary" type="submit"
              ?disabled=${this.busy || (inPlace && this.typed !== this.tenant)}>
              ${strings.restoreSubmit}
            </button>
          </div>
        </form>
      </dialog>
    `;
  }
}
