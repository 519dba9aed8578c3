import { html } from "lit";
import { property } from "lit/decorators.js";
import type { ConversationSummaryPayload } from "../../../contracts/conversations.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { messagePreview, shortTime } from "../../messages.js";
import styles from "./at-conversation-list.styles.js";
import "../../events/at-conversation-select.js";

/**
 * @summary The agent's conversations, most recent activity first: contact, last message
 *   preview and time, unread count. A list of buttons, so it works from the keyboard.
 *
 * @event at-conversation-select - The agent opened a conversation.
 *
 * @csspart base - The list.
 */
export default class AtConversationList extends AtendeElement {
  static override styles = styles;

  /** The conversations to show, in order. */
  @property({ attribute: false }) conversations: ConversationSummaryPayload[] = [];

  /** The open conversation, highlighted. */
  @property({ type: Number }) selectedId: number | undefined;

  override render() {
    if (this.conversations.length === 0) {
      return html`<p class="list__empty">Nenhuma conversa ainda</p>`;
    }
    return html`
      <ul part="base" class="list" aria-label="Conversas">
        ${this.conversations.map(
          (conversation) => html`<li>
            <button
              type="button"
              class="list__item"
              aria-current=${conversation.id === this.selectedId ? "true" : "false"}
              @click=${() => this.emit("at-conversation-select", { conversationId: conversation.id })}
            >
              <span class="list__name">
                ${conversation.contact.name ?? conversation.contact.waId ?? "Contato"}
              </span>
              <time class="list__time">${shortTime(conversation.lastMessageAt)}</time>
              <span class="list__preview">${messagePreview(conversation.lastMessage)}</span>
              ${
                conversation.unreadCount > 0
                  ? html`<span class="list__unread" aria-label="${conversation.unreadCount} não lidas">
                      ${conversation.unreadCount}
                    </span>`
                  : ""
              }
            </button>
          </li>`,
        )}
      </ul>
    `;
  }
}
