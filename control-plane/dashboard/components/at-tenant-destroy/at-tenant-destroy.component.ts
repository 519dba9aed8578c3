import { html } from "lit";
import { property, query, state } from "lit/decorators.js";
import { ApiError, api } from "../../api.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { errorText, strings } from "../../strings.js";
import styles from "./at-tenant-destroy.styles.js";
import "../../events/at-operation-started.js";

/**
 * @summary Confirmation dialog of a destroy: the staff member types the tenant's name, which
 * the API checks again.
 *
 * @event at-operation-started - The API accepted the destroy.
 *
 * @csspart base - The dialog.
 */
export default class AtTenantDestroy extends AtendeElement {
  static override styles = styles;

  /** The tenant to destroy; setting it opens the dialog. */
  @property() tenant = "";

  @query("dialog") private dialog!: HTMLDialogElement;
  @state() private typed = "";
  @state() private failure = "";
  @state() private busy = false;

  /** Opens the dialog for `tenant`. */
  open(tenant: string): void {
    this.tenant = tenant;
    this.typed = "";
    this.failure = "";
    void this.updateComplete.then(() => this.dialog.showModal());
  }

  private async handleSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    this.busy = true;
    try {
      const started = await api.destroy(this.tenant, this.typed, form.get("keepData") === "on");
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
      <dialog part="base" aria-labelledby="destroy-title">
        <form @submit=${this.handleSubmit}>
          <h2 id="destroy-title">${strings.destroyTitle(this.tenant)}</h2>
          <p>${strings.destroyExplain}</p>
          <label>${strings.destroyTypeName(this.tenant)}
            <input name="confirm" autocomplete="off" .value=${this.typed}
              @input=${(event: InputEvent) => {
                this.typed = (event.target as HTMLInputElement).value;
              }} />
          </label>
          <label><input type="checkbox" name="keepData" /> ${strings.keepData}</label>
          <p class="error" role="alert">${this.failure}</p>
          <div class="buttons">
            <button type="button" @click=${() => this.dialog.close()}>${strings.cancel}</button>
            <button class="danger primary" type="submit" ?disabled=${this.busy || this.typed !== this.tenant}>
              ${strings.destroy}
            </button>
          </div>
        </form>
      </dialog>
    `;
  }
}
