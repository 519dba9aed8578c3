import { html } from "lit";
import { property, state } from "lit/decorators.js";
import type { MePayload } from "../../../contracts/accounts.js";
import type { ConversationSummaryPayload } from "../../../contracts/conversations.js";
import type { MessagePayload } from "../../../contracts/messages.js";
import type { MessageCreated, MessageStatusChanged } from "../../../contracts/socket-events.js";
import { ApiError } from "../../api/client.js";
import {
  listConversations,
  markRead,
  readThread,
  sendText,
  sendTyping,
} from "../../api/conversations.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { errorMessage, roleLabel, whatsappSettingsText } from "../../messages.js";
import styles from "./at-inbox-shell.styles.js";
import "../../events/at-logout-request.js";
import "../at-conversation-list/at-conversation-list.js";
import "../at-message-thread/at-message-thread.js";

/** State of the real-time connection, as shown to the agent. */
export type ConnectionState = "connecting" | "connected" | "disconnected";

const connectionLabels: Record<ConnectionState, string> = {
  connecting: "Conectando…",
  connected: "Conectado",
  disconnected: "Sem conexão",
};

/**
 * @summary The inbox: header with the agent's name, role and a sign-out button, the real-time
 *   connection state, the conversation list and the open conversation. It loads what the lists
 *   show and applies live events (`applyMessageCreated`, `applyStatusChanged`); `refresh()`
 *   catches up after a reconnect.
 *
 * @event at-logout-request - The user pressed "Sair".
 *
 * @csspart base - The wrapper around header and content.
 */
export default class AtInboxShell extends AtendeElement {
  static override styles = styles;

  /** The signed-in user. */
  @property({ attribute: false }) user?: MePayload;

  /** Real-time connection state, reflected so page styles can react. */
  @property({ reflect: true }) connection: ConnectionState = "connecting";

  @state() private conversations: ConversationSummaryPayload[] = [];
  @state() private selectedId: number | undefined;
  @state() private messages: MessagePayload[] = [];
  @state() private failure = "";

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
  }

  /** Reloads the list and the open thread (first load, and after a reconnect: nothing missed). */
  async refresh(): Promise<void> {
    await this.run(async () => {
      this.conversations = (await listConversations()).conversations;
      if (this.selectedId !== undefined) {
        this.messages = (await readThread(this.selectedId)).messages;
      }
    });
  }

  /** A message was stored (a customer's, or one sent by any agent). */
  applyMessageCreated(event: MessageCreated): void {
    const { message } = event;
    if (message.conversationId === this.selectedId) {
      if (!this.messages.some((known) => known.id === message.id)) {
        this.messages = [...this.messages, message];
      }
      if (message.direction === "inbound") void markRead(message.conversationId).catch(() => {});
    }
    // The list's order, preview and unread counts come from the server.
    void this.run(async () => {
      this.conversations = (await listConversations()).conversations;
    });
  }

  /** An outbound message's ticks moved, or it failed. */
  applyStatusChanged(event: MessageStatusChanged): void {
    this.messages = this.messages.map((message) =>
      message.id === event.messageId
        ? { ...message, status: event.status, failureReason: event.failureReason }
        : message,
    );
  }

  private async run(action: () => Promise<void>): Promise<void> {
    try {
      await action();
      this.failure = "";
    } catch (error) {
      this.failure = errorMessage(error instanceof ApiError ? error.id : "network_error");
    }
  }

  private async handleSelect(conversationId: number): Promise<void> {
    this.selectedId = conversationId;
    this.messages = [];
    await this.run(async () => {
      this.messages = (await readThread(conversationId)).messages;
      await markRead(conversationId).catch(() => {});
      this.conversations = this.conversations.map((conversation) =>
        conversation.id === conversationId ? { ...conversation, unreadCount: 0 } : conversation,
      );
    });
  }

  private async handleSend(body: string): Promise<void> {
    const conversationId = this.selectedId;
    if (conversationId === undefined) return;
    await this.run(async () => {
      const sent = await sendText(conversationId, body, crypto.randomUUID());
      if (!this.messages.some((known) => known.id === sent.id)) {
        this.messages = [...this.messages, sent];
      }
    });
  }

  private handleLogout(): void {
    this.emit("at-logout-request");
  }

  override render() {
    return html`
      <div part="base">
        <header class="app-bar">
          <p class="app-bar__brand">atende</p>
          <span class="inbox__connection" role="status">${connectionLabels[this.connection]}</span>
          ${
            this.user === undefined
              ? ""
              : html`<div class="inbox__user">
                  <span class="inbox__name">${this.user.name}</span>
                  <span class="inbox__role">${roleLabel(this.user.role)}</span>
                </div>`
          }
          ${
            this.user?.permissions.includes("settings.whatsapp")
              ? html`<a class="inbox__settings" href="/settings/whatsapp">${whatsappSettingsText().settingsLink}</a>`
              : ""
          }
          ${
            this.user?.permissions.includes("users.manage")
              ? html`<a class="inbox__settings" href="/settings/users">Usuários</a>`
              : ""
          }
          ${
            this.user?.permissions.includes("audit.view")
              ? html`<a class="inbox__settings" href="/settings/audit">Atividades</a>`
              : ""
          }
          <button class="inbox__logout" type="button" @click=${this.handleLogout}>Sair</button>
        </header>
        <main class="inbox__main">
          <section class="inbox__list" aria-labelledby="conversations-heading">
            <h1 class="inbox__heading" id="conversations-heading">Conversas</h1>
            <p class="inbox__failure" role="alert">${this.failure}</p>
            <at-conversation-list
              .conversations=${this.conversations}
              .selectedId=${this.selectedId}
              @at-conversation-select=${(event: CustomEvent<{ conversationId: number }>) =>
                this.handleSelect(event.detail.conversationId)}
            ></at-conversation-list>
          </section>
          <at-message-thread
            class="inbox__thread"
            .conversation=${this.conversations.find((conversation) => conversation.id === this.selectedId)}
            .messages=${this.messages}
            @at-message-send=${(event: CustomEvent<{ body: string }>) => this.handleSend(event.detail.body)}
            @at-typing=${() => {
              // Best effort: a missed typing indicator is not worth an error on screen.
              if (this.selectedId !== undefined) void sendTyping(this.selectedId).catch(() => {});
            }}
          ></at-message-thread>
        </main>
      </div>
    `;
  }
}
