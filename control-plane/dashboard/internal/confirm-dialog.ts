import { html, type TemplateResult } from "lit";
import { property, query, state } from "lit/decorators.js";
import type { OperationStartedPayload } from "../../src/contracts/api.js";
import { ApiError } from "../api.js";
import { errorText, strings } from "../strings.js";
import { AtendeElement } from "./atende-element.js";
import "../events/at-operation-started.js";

/**
 * Base of the dashboard's confirmation dialogs for destructive operations (destroy, restore,
 * upgrade): the staff member types the tenant's name (the API checks it again), the request runs
 * once, its failure is shown in the dialog, and an accepted operation closes it and fires
 * `at-operation-started`. Subclasses render their own fields around `confirmField()` and
 * `buttons()`, and say what `start()` sends.
 */
export abstract class ConfirmDialog extends AtendeElement {
  /** The tenant the operation is about. */
  @property() tenant = "";

  @query("dialog") protected dialog!: HTMLDialogElement;
  /** What was typed in the confirmation field. */
  @state() protected typed = "";
  @state() protected failure = "";
  @state() protected busy = false;

  /** Sends the operation to the API. */
  protected abstract start(form: FormData): Promise<OperationStartedPayload>;

  /** Clears the fields and opens the dialog for `tenant`. */
  protected show(tenant: string): void {
    this.tenant = tenant;
    this.typed = "";
    this.failure = "";
    void this.updateComplete.then(() => this.dialog.showModal());
  }

  /** Whether the typed name matches the tenant's. */
  protected get confirmed(): boolean {
    return this.typed === this.tenant;
  }

  protected async handleSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    this.busy = true;
    try {
      const started = await this.start(new FormData(event.target as HTMLFormElement));
      this.dialog.close();
      this.emit("at-operation-started", started);
    } catch (error) {
      this.failure =
        error instanceof ApiError ? errorText(error.id, error.message) : errorText("network_error");
    } finally {
      this.busy = false;
    }
  }

  /** The "type the tenant's name" field. */
  protected confirmField(disabled = false): TemplateResult {
    return html`<label>${strings.destroyTypeName(this.tenant)}
      <input name="confirm" autocomplete="off" .value=${this.typed} ?disabled=${disabled}
        @input=${(event: InputEvent) => {
          this.typed = (event.target as HTMLInputElement).value;
        }} />
    </label>`;
  }

  /** The failure line, cancel, and the dangerous button (enabled when `ready`). */
  protected buttons(submitLabel: string, ready: boolean): TemplateResult {
    return html`<p class="error" role="alert">${this.failure}</p>
      <div class="buttons">
        <button type="button" @click=${() => this.dialog.close()}>${strings.cancel}</button>
        <button class="danger primary" type="submit" ?disabled=${this.busy || !ready}>
          ${submitLabel}
        </button>
      </div>`;
  }
}
