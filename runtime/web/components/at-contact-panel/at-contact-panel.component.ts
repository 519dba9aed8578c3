import { html, type PropertyValues } from "lit";
import { property, query, state } from "lit/decorators.js";
import { contactTagOf } from "../../../contracts/contact-tags.js";
import type { ContactPanelPayload } from "../../../contracts/contacts.js";
import { readContactPanel, updateContact } from "../../api/contacts.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { currentLocale } from "../../messages.js";
import styles from "./at-contact-panel.styles.js";
import { contactPanelText } from "./at-contact-panel.texts.js";

const MAX_TAGS = 30;

/**
 * @summary The contact behind the open conversation: name, number, tags (editable with
 *   `contacts.edit`), consent state and its history.
 *
 * @csspart base - The panel.
 */
export default class AtContactPanel extends AtendeElement {
  static override styles = styles;

  /** The contact shown. */
  @property({ type: Number, attribute: "contact-id" }) contactId: number | undefined;

  /** The user may change the tags. */
  @property({ type: Boolean, attribute: "can-edit" }) canEdit = false;

  @state() private contact: ContactPanelPayload | undefined;
  @state() private problem = "";
  @state() private notice = "";
  @state() private busy = false;

  @query("#tag-input") private tagInput?: HTMLInputElement;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("contactId")) {
      this.contact = undefined;
      this.problem = "";
      this.notice = "";
      if (this.contactId !== undefined) void this.load(this.contactId);
    }
  }

  /** Reads the contact again (their consent changed); what is shown stays until then. */
  async reload(): Promise<void> {
    if (this.contactId !== undefined) await this.load(this.contactId);
  }

  private async load(contactId: number): Promise<void> {
    try {
      const contact = await readContactPanel(contactId);
      if (contactId === this.contactId) this.contact = contact;
    } catch {
      if (contactId === this.contactId) this.problem = contactPanelText().loadFailed;
    }
  }

  private async saveTags(tags: string[]): Promise<void> {
    const contact = this.contact;
    if (contact === undefined) return;
    this.busy = true;
    try {
      this.contact = await updateContact(contact.id, { tags });
      this.problem = "";
      this.notice = contactPanelText().saved;
    } catch {
      this.notice = "";
      this.problem = contactPanelText().saveFailed;
    } finally {
      this.busy = false;
    }
  }

  private async addTag(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const text = contactPanelText();
    const contact = this.contact;
    if (contact === undefined || this.tagInput === undefined) return;
    const tag = contactTagOf(this.tagInput.value);
    this.notice = "";
    if (tag === undefined) {
      this.problem = text.invalidTag;
      return;
    }
    if (contact.tags.includes(tag)) {
      this.tagInput.value = "";
      return;
    }
    if (contact.tags.length >= MAX_TAGS) {
      this.problem = text.tooManyTags;
      return;
    }
    await this.saveTags([...contact.tags, tag]);
    if (this.problem === "") this.tagInput.value = "";
  }

  private date(iso: string): string {
    return new Date(iso).toLocaleString(currentLocale(), {
      dateStyle: "short",
      timeStyle: "short",
    });
  }

  override render() {
    const text = contactPanelText();
    const contact = this.contact;
    if (contact === undefined) {
      return html`<aside part="base" class="panel" aria-label=${text.heading}>
        <p class="panel__problem" role="alert">${this.problem}</p>
      </aside>`;
    }
    return html`
      <aside part="base" class="panel" aria-labelledby="contact-heading">
        <h2 class="panel__heading" id="contact-heading">${text.heading}</h2>
        <dl class="panel__facts">
          <dt>${text.name}</dt>
          <dd class="panel__name">${contact.name ?? text.noName}</dd>
          <dt>${text.number}</dt>
          <dd class="panel__number">${contact.waId === null ? "—" : `+${contact.waId}`}</dd>
        </dl>
        <p class="panel__muted">${text.conversations(contact.conversationCount)}</p>

        <h3 class="panel__subheading">${text.tags}</h3>
        ${
          contact.tags.length === 0
            ? html`<p class="panel__muted">${text.noTags}</p>`
            : html`<ul class="panel__tags" aria-label=${text.tags}>
                ${contact.tags.map(
                  (tag) => html`<li class="panel__tag">
                    <span>${tag}</span>
                    ${
                      this.canEdit
                        ? html`<button
                            type="button"
                            class="panel__remove"
                            aria-label=${text.removeTag(tag)}
                            ?disabled=${this.busy}
                            @click=${() => this.saveTags(contact.tags.filter((known) => known !== tag))}
                          >
                            ×
                          </button>`
                        : ""
                    }
                  </li>`,
                )}
              </ul>`
        }
        ${
          this.canEdit
            ? html`<form class="panel__form" @submit=${this.addTag}>
                <label class="panel__label" for="tag-input">${text.newTag}</label>
                <span class="panel__row">
                  <input id="tag-input" class="panel__input" maxlength="40" autocomplete="off" />
                  <button class="panel__button" type="submit" ?disabled=${this.busy}>
                    ${text.addTag}
                  </button>
                </span>
              </form>`
            : ""
        }
        <p class="panel__problem" role="alert">${this.problem}</p>
        <p class="panel__notice" role="status">${this.notice}</p>

        <h3 class="panel__subheading">${text.consent}</h3>
        <p class="panel__consent panel__consent--${contact.consent.status}">
          ${text.consentStatuses[contact.consent.status]}
          ${
            contact.consent.updatedAt === null
              ? ""
              : html`<span class="panel__muted">${text.consentSince(this.date(contact.consent.updatedAt))}</span>`
          }
        </p>
        <details class="panel__history">
          <summary>${text.history}</summary>
          ${
            contact.consent.history.length === 0
              ? html`<p class="panel__muted">${text.noHistory}</p>`
              : html`<ol class="panel__records">
                  ${contact.consent.history.map(
                    (record) => html`<li>
                      <strong>${text.consentStatuses[record.status]}</strong>
                      · ${text.sources[record.source] ?? record.source} · ${record.textVersion}
                      · <time>${this.date(record.recordedAt)}</time>
                    </li>`,
                  )}
                </ol>`
          }
        </details>
      </aside>
    `;
  }
}
