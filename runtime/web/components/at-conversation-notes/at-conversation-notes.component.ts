import { html, type PropertyValues } from "lit";
import { property, query, state } from "lit/decorators.js";
import type { ConversationNotePayload } from "../../../contracts/conversations.js";
import { addNote, listNotes } from "../../api/inbox.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { shortTime } from "../../messages.js";
import styles from "./at-conversation-notes.styles.js";
import { conversationNotesText } from "./at-conversation-notes.texts.js";

const NOTE_MAX = 4_000;

/**
 * @summary A conversation's private notes (the team's, never sent to the customer), oldest first,
 *   and a form to add one. Notes other users add arrive through `applyNote()`.
 *
 * @csspart base - The section.
 */
export default class AtConversationNotes extends AtendeElement {
  static override styles = styles;

  /** The conversation whose notes are shown. */
  @property({ type: Number, attribute: "conversation-id" }) conversationId: number | undefined;

  @state() private notes: ConversationNotePayload[] = [];
  @state() private busy = false;
  @state() private problem = "";

  @query("textarea") private input?: HTMLTextAreaElement;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("conversationId")) {
      this.notes = [];
      this.problem = "";
      if (this.conversationId !== undefined) void this.load(this.conversationId);
    }
  }

  /** A note was added (by anyone, this user included): shown once. */
  applyNote(note: ConversationNotePayload): void {
    if (note.conversationId !== this.conversationId) return;
    if (this.notes.some((known) => known.id === note.id)) return;
    this.notes = [...this.notes, note].sort((a, b) => a.id - b.id);
  }

  private async load(conversationId: number): Promise<void> {
    try {
      const notes = await listNotes(conversationId);
      if (conversationId !== this.conversationId) return;
      // Notes that arrived live while loading are kept.
      const byId = new Map([...notes, ...this.notes].map((note) => [note.id, note]));
      this.notes = [...byId.values()].sort((a, b) => a.id - b.id);
    } catch {
      if (conversationId === this.conversationId) this.problem = conversationNotesText().loadFailed;
    }
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const text = conversationNotesText();
    const conversationId = this.conversationId;
    const body = this.input?.value.trim() ?? "";
    if (conversationId === undefined || body === "" || this.busy) return;
    if (body.length > NOTE_MAX) {
      this.problem = text.tooLong;
      return;
    }
    this.busy = true;
    try {
      this.applyNote(await addNote(conversationId, body));
      if (this.input) this.input.value = "";
      this.problem = "";
    } catch {
      this.problem = text.addFailed;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const text = conversationNotesText();
    return html`
      <section part="base" class="notes" aria-labelledby="notes-heading">
        <h2 class="notes__heading" id="notes-heading">
          <span class="notes__badge">${text.badge}</span> ${text.heading}
        </h2>
        <p class="notes__hint">${text.hint}</p>
        ${
          this.notes.length === 0
            ? html`<p class="notes__empty">${text.empty}</p>`
            : html`<ol class="notes__list">
                ${this.notes.map(
                  (note) => html`<li class="notes__note">
                    <p class="notes__body">${note.body}</p>
                    <p class="notes__meta">
                      ${note.author?.name ?? text.deletedAuthor} · <time>${shortTime(note.createdAt)}</time>
                    </p>
                  </li>`,
                )}
              </ol>`
        }
        <form class="notes__form" @submit=${this.submit}>
          <label class="notes__label" for="note-input">${text.newNote}</label>
          <textarea
            id="note-input"
            class="notes__input"
            rows="2"
            maxlength=${NOTE_MAX}
            @keydown=${(event: KeyboardEvent) => {
              if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
                event.preventDefault();
                this.shadowRoot?.querySelector("form")?.requestSubmit();
              }
            }}
          ></textarea>
          <button class="notes__add" type="submit" ?disabled=${this.busy}>
            ${this.busy ? text.adding : text.add}
          </button>
          <p class="notes__problem" role="alert">${this.problem}</p>
        </form>
      </section>
    `;
  }
}
