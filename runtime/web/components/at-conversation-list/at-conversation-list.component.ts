import { html, type PropertyValues } from "lit";
import { property, query } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import type { ConversationSummaryPayload } from "../../../contracts/conversations.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { messagePreview, shortTime } from "../../messages.js";
import styles from "./at-conversation-list.styles.js";
import { conversationListText } from "./at-conversation-list.texts.js";
import "../../events/at-conversation-list-end.js";
import "../../events/at-conversation-select.js";

/**
 * @summary The agent's conversations, most recent activity first: contact, last message
 *   preview and time, who has it, its status and unread count. A list of buttons, so it works
 *   from the keyboard. Paged: when its end scrolls into view (or "load more" is pressed) and
 *   `hasMore` is set it asks for the next page; rows off screen are skipped by the browser's
 *   rendering (`content-visibility`), so thousands of loaded rows stay cheap.
 *
 * @event at-conversation-select - The agent opened a conversation.
 * @event at-conversation-list-end - The end of the list is in view and more pages exist.
 *
 * @csspart base - The list.
 */
export default class AtConversationList extends AtendeElement {
  static override styles = styles;

  /** The conversations to show, in order. */
  @property({ attribute: false }) conversations: ConversationSummaryPayload[] = [];

  /** The open conversation, highlighted. */
  @property({ type: Number }) selectedId: number | undefined;

  /** The signed-in user's id, so rows they hold say "with you". */
  @property({ type: Number }) userId: number | undefined;

  /** More pages exist after the last row. */
  @property({ type: Boolean, attribute: "has-more" }) hasMore = false;

  /** A page is being loaded. */
  @property({ type: Boolean, reflect: true }) loading = false;

  /** Filters are in force (changes the empty-list text). */
  @property({ type: Boolean }) filtered = false;

  @query(".list__end") private end?: HTMLElement;
  private observer: IntersectionObserver | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.observer = undefined;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has("conversations") && !changed.has("hasMore") && !changed.has("loading")) return;
    this.observer?.disconnect();
    if (this.end === undefined || !this.hasMore) return;
    // Observed again after each render: a page that still leaves the end in view asks for more.
    this.observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting) && this.hasMore && !this.loading) {
          this.emit("at-conversation-list-end");
        }
      },
      { rootMargin: "200px" },
    );
    this.observer.observe(this.end);
  }

  private assigneeText(conversation: ConversationSummaryPayload): string {
    const text = conversationListText();
    if (conversation.assignedUserId === null) return text.unassigned;
    if (conversation.assignedUserId === this.userId) return text.you;
    return text.assignedTo(conversation.assignee?.name ?? "?");
  }

  override render() {
    const text = conversationListText();
    if (this.conversations.length === 0) {
      return html`<p class="list__empty" role="status">
        ${this.loading ? text.loading : this.filtered ? text.emptyFiltered : text.empty}
      </p>`;
    }
    return html`
      <ul part="base" class="list" aria-label=${text.label}>
        ${repeat(
          this.conversations,
          (conversation) => conversation.id,
          (conversation) => html`<li class="list__row">
            <button
              type="button"
              class="list__item"
              data-conversation-id=${conversation.id}
              aria-current=${conversation.id === this.selectedId ? "true" : "false"}
              @click=${() => this.emit("at-conversation-select", { conversationId: conversation.id })}
            >
              <span class="list__name">
                ${conversation.contact.name ?? conversation.contact.waId ?? text.contact}
              </span>
              <time class="list__time">${shortTime(conversation.lastMessageAt)}</time>
              <span class="list__preview">${messagePreview(conversation.lastMessage)}</span>
              ${
                conversation.unreadCount > 0
                  ? html`<span class="list__unread" aria-label=${text.unread(conversation.unreadCount)}>
                      ${conversation.unreadCount}
                    </span>`
                  : html`<span></span>`
              }
              <span class="list__meta">
                <span class="list__status list__status--${conversation.status}">
                  ${text.statuses[conversation.status]}
                </span>
                <span class="list__assignee">${this.assigneeText(conversation)}</span>
              </span>
            </button>
          </li>`,
        )}
      </ul>
      ${
        this.hasMore
          ? html`<div class="list__end">
              <button
                type="button"
                class="list__more"
                ?disabled=${this.loading}
                @click=${() => this.emit("at-conversation-list-end")}
              >
                ${this.loading ? text.loading : text.loadMore}
              </button>
            </div>`
          : ""
      }
    `;
  }
}
