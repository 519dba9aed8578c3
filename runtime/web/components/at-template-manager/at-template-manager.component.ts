import { html, nothing } from "lit";
import { query, state } from "lit/decorators.js";
import type { MessageTemplatePayload } from "../../../contracts/templates.js";
import { ApiError } from "../../api/client.js";
import { deleteTemplate, fetchTemplates, syncTemplates } from "../../api/whatsapp.js";
import type { AtTemplateCreatedEvent } from "../../events/at-template-created.js";
import { AtendeElement } from "../../internal/atende-element.js";
import {
  errorMessage,
  templateCategoryLabel,
  templateStatusLabel,
  templateText,
} from "../../messages.js";
import styles from "./at-template-manager.styles.js";
import "../at-template-form/at-template-form.js";

/** Badge colour family of a status. */
function tone(status: string): "ok" | "wait" | "bad" | "off" {
  if (status === "APPROVED") return "ok";
  if (status === "PENDING" || status === "IN_APPEAL") return "wait";
  if (status === "REJECTED" || status === "DISABLED" || status === "PAUSED") return "bad";
  return "off";
}

/**
 * @summary Message templates of the WABA for admins and managers: each with its review status
 *   badge and rejection reason, a "sync with Meta" button, delete with a confirmation dialog,
 *   and the creation form. `applyTemplate()` takes live updates (`template:statusChanged`).
 *
 * @csspart base - The section.
 */
export default class AtTemplateManager extends AtendeElement {
  static override styles = styles;

  @query("dialog") private dialog!: HTMLDialogElement;

  @state() private templates: MessageTemplatePayload[] = [];
  @state() private loaded = false;
  @state() private busy: "" | "syncing" | "deleting" = "";
  @state() private notice = "";
  @state() private failure = "";
  @state() private formOpen = false;
  /** The template the confirmation dialog is about. */
  @state() private pendingDelete?: MessageTemplatePayload;

  private readonly text = templateText();
  private deleteOpener: HTMLElement | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
  }

  /** Inserts or replaces one template (a status change announced over Socket.IO). */
  applyTemplate(template: MessageTemplatePayload): void {
    const others = this.templates.filter((candidate) => candidate.id !== template.id);
    this.templates = [...others, template].sort(
      (a, b) => a.name.localeCompare(b.name) || a.language.localeCompare(b.language),
    );
  }

  private async reload(): Promise<void> {
    try {
      this.templates = await fetchTemplates();
    } catch (error) {
      this.showFailure(error);
    } finally {
      this.loaded = true;
    }
  }

  private showFailure(error: unknown): void {
    this.failure =
      error instanceof ApiError &&
      (error.id === "whatsapp_request_failed" || error.id === "whatsapp_not_configured")
        ? error.message
        : errorMessage(error instanceof ApiError ? error.id : "network_error");
  }

  private async handleSync(): Promise<void> {
    if (this.busy !== "") return;
    this.busy = "syncing";
    this.notice = "";
    this.failure = "";
    try {
      const result = await syncTemplates();
      this.notice = this.text.synced(result.total, result.created, result.updated, result.removed);
      await this.reload();
    } catch (error) {
      this.showFailure(error);
    } finally {
      this.busy = "";
    }
  }

  private askDelete(template: MessageTemplatePayload, event: Event): void {
    this.deleteOpener = event.currentTarget as HTMLElement;
    this.pendingDelete = template;
    this.dialog.showModal();
  }

  private closeDialog(): void {
    if (this.dialog.open) this.dialog.close();
  }

  private handleDialogClose(): void {
    this.pendingDelete = undefined;
    // Back where the user was, for keyboard users.
    this.deleteOpener?.focus();
  }

  private async confirmDelete(): Promise<void> {
    const template = this.pendingDelete;
    if (template === undefined || this.busy !== "") return;
    this.busy = "deleting";
    this.notice = "";
    this.failure = "";
    try {
      await deleteTemplate(template.name, template.language);
      this.notice = this.text.deleted(template.name);
      await this.reload();
    } catch (error) {
      this.showFailure(error);
    } finally {
      this.busy = "";
      this.closeDialog();
    }
  }

  private handleCreated(event: AtTemplateCreatedEvent): void {
    this.applyTemplate(event.detail.template);
  }

  private renderRow(template: MessageTemplatePayload) {
    const deletable = template.status !== "PENDING_DELETION";
    return html`
      <tr data-template=${`${template.name}:${template.language}`}>
        <th scope="row" class="table__name">${template.name}</th>
        <td>${template.language}</td>
        <td>${template.category === null ? "—" : templateCategoryLabel(template.category)}</td>
        <td>
          <span class="badge badge--${tone(template.status)}" data-status=${template.status}>
            ${templateStatusLabel(template.status)}
          </span>
        </td>
        <td class="table__reason">${template.rejectionReason ?? ""}</td>
        <td>
          ${
            deletable
              ? html`<button class="button button--danger" type="button"
                  aria-label=${this.text.deleteLabel(template.name, template.language)}
                  @click=${(event: Event) => this.askDelete(template, event)}>${this.text.delete}</button>`
              : nothing
          }
        </td>
      </tr>
    `;
  }

  override render() {
    return html`
      <section part="base" class="card" aria-labelledby="templates-heading">
        <div class="header">
          <h2 class="card__heading" id="templates-heading">${this.text.heading}</h2>
          <div class="actions">
            <button class="button" type="button" @click=${this.handleSync} ?disabled=${this.busy !== ""}
              aria-busy=${this.busy === "syncing" ? "true" : "false"}>
              ${this.busy === "syncing" ? this.text.syncing : this.text.sync}
            </button>
            <button class="button button--primary" type="button" aria-expanded=${this.formOpen ? "true" : "false"}
              aria-controls="template-form" @click=${() => {
                this.formOpen = !this.formOpen;
              }}>
              ${this.text.newTemplate}
            </button>
          </div>
        </div>
        <p class="notice" role="status">${this.notice}</p>
        <p class="notice notice--error" role="alert">${this.failure}</p>
        <div id="template-form" class="form" ?hidden=${!this.formOpen}>
          <h3 class="form__heading">${this.text.newTemplate}</h3>
          <at-template-form @at-template-created=${this.handleCreated}></at-template-form>
        </div>
        ${
          this.loaded && this.templates.length === 0
            ? html`<p class="empty">${this.text.empty}</p>`
            : html`<div class="table__wrap">
                <table class="table">
                  <caption class="visually-hidden">${this.text.heading}</caption>
                  <thead>
                    <tr>
                      <th scope="col">${this.text.name}</th>
                      <th scope="col">${this.text.language}</th>
                      <th scope="col">${this.text.category}</th>
                      <th scope="col">${this.text.status}</th>
                      <th scope="col">${this.text.reason}</th>
                      <th scope="col"><span class="visually-hidden">${this.text.actions}</span></th>
                    </tr>
                  </thead>
                  <tbody>${this.templates.map((template) => this.renderRow(template))}</tbody>
                </table>
              </div>`
        }
        <dialog class="dialog" aria-labelledby="delete-title" @close=${this.handleDialogClose}>
          <p class="dialog__text" id="delete-title">
            ${
              this.pendingDelete === undefined
                ? ""
                : this.text.confirmDelete(this.pendingDelete.name, this.pendingDelete.language)
            }
          </p>
          <div class="actions">
            <button class="button" type="button" autofocus @click=${this.closeDialog}>${this.text.cancel}</button>
            <button class="button button--danger button--filled" type="button" @click=${this.confirmDelete}
              ?disabled=${this.busy !== ""}>${this.text.confirm}</button>
          </div>
        </dialog>
      </section>
    `;
  }
}
