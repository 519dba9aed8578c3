import { html } from "lit";
import { property, query, state } from "lit/decorators.js";
import type { MePayload } from "../../../contracts/accounts.js";
import type {
  AgentDirectoryEntry,
  AgentRef,
  ConversationStatus,
  ConversationSummaryPayload,
  ConversationTakenData,
  QueuePayload,
} from "../../../contracts/conversations.js";
import { type MessagePayload, statusMovesForward } from "../../../contracts/messages.js";
import type {
  AgentTyping,
  ContactChanged,
  ConversationChanged,
  MessageCreated,
  MessageMediaChanged,
  MessageStatusChanged,
  NoteCreated,
  PresenceUpdated,
} from "../../../contracts/socket-events.js";
import { ApiError, fetchMe } from "../../api/client.js";
import { markRead, readThread, sendText } from "../../api/conversations.js";
import {
  assignConversation,
  changeConversationStatus,
  claimConversation,
  listAgents,
  listConversationPage,
  listQueues,
  readConversation,
} from "../../api/inbox.js";
import type { AtConversationAssignEvent } from "../../events/at-conversation-assign.js";
import type { ConversationFilters } from "../../events/at-conversation-filter-change.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { errorMessage, messagePreview, roleLabel } from "../../messages.js";
import type AtContactPanel from "../at-contact-panel/at-contact-panel.component.js";
import type AtConversationNotes from "../at-conversation-notes/at-conversation-notes.component.js";
import type AtMessageThread from "../at-message-thread/at-message-thread.component.js";
import {
  notificationPreferences,
  playChime,
  showBrowserNotification,
} from "../at-notification-settings/notifications.js";
import styles from "./at-inbox-shell.styles.js";
import { inboxShellText } from "./at-inbox-shell.texts.js";
import "../../events/at-logout-request.js";
import "../at-contact-panel/at-contact-panel.js";
import "../at-conversation-actions/at-conversation-actions.js";
import "../at-conversation-filters/at-conversation-filters.js";
import "../at-conversation-list/at-conversation-list.js";
import "../at-conversation-notes/at-conversation-notes.js";
import "../at-message-thread/at-message-thread.js";
import "../at-notification-settings/at-notification-settings.js";

/** State of the real-time connection, as shown to the agent. */
export type ConnectionState = "connecting" | "connected" | "disconnected";

/** The socket commands the inbox sends; the page script implements them on its connection. */
export interface InboxRealtime {
  /** The agent opened a conversation (or closed it: null): join its room for typing. */
  openConversation(conversationId: number | null): void;
  /** The agent is typing in the conversation. */
  typing(conversationId: number): void;
}

const PAGE_SIZE = 50;
/** How long "Ana está digitando…" stays after her last keystroke announcement. */
const TYPING_SHOWN_MS = 4_000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** How long messages for conversations not in the list are collected before fetching. */
const UNKNOWN_BATCH_MS = 250;
/** Up to this many are fetched one by one; more reload the first page. */
const UNKNOWN_FETCH_MAX = 3;

/** Newest activity first, as the server pages it; ids break ties the same way. */
function newerFirst(a: ConversationSummaryPayload, b: ConversationSummaryPayload): number {
  const byTime = (b.lastMessageAt ?? "").localeCompare(a.lastMessageAt ?? "");
  return byTime !== 0 ? byTime : b.id - a.id;
}

/**
 * @summary The inbox: header (agent, presence, connection, alerts settings, sign out), the
 *   filtered and paged conversation list, and the open conversation with its actions (take,
 *   transfer, resolve…), who else is typing, the thread, the contact panel and private notes.
 *   Live events are applied in place (`applyMessageCreated`, `applyConversationChanged`, …), so
 *   a busy tenant does not reload the list on every message; `refresh()` reloads everything.
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

  /** The socket commands (set by the page script). */
  @property({ attribute: false }) realtime?: InboxRealtime;

  @state() private filters: ConversationFilters = { view: "all", status: undefined, q: "" };
  @state() private conversations: ConversationSummaryPayload[] = [];
  @state() private next: string | null = null;
  @state() private loadingPage = false;
  @state() private selectedId: number | undefined;
  /** The open conversation, kept apart from the list: it stays open when a filter hides it. */
  @state() private selected: ConversationSummaryPayload | undefined;
  @state() private messages: MessagePayload[] = [];
  @state() private olderBefore: number | null = null;
  @state() private agents: AgentDirectoryEntry[] = [];
  @state() private queues: QueuePayload[] = [];
  @state() private typers: Array<{ conversationId: number; agent: AgentRef; until: number }> = [];
  @state() private busy = false;
  @state() private notice = "";
  @state() private failure = "";

  @query("at-conversation-notes") private notes?: AtConversationNotes;
  @query("at-contact-panel") private contactPanel?: AtContactPanel;
  @query("at-message-thread") private thread?: AtMessageThread;

  /** Bumped on every first-page load, so an answer to an older filter is ignored. */
  private listGeneration = 0;
  private readonly fetching = new Map<number, Promise<ConversationSummaryPayload | undefined>>();
  private readonly unknown = new Map<number, MessagePayload | undefined>();
  private unknownTimer: ReturnType<typeof setTimeout> | undefined;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private agentsReload: ReturnType<typeof setTimeout> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener("visibilitychange", this.handleVisibility);
    void this.refresh();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.typingTimer);
    clearTimeout(this.agentsReload);
    clearTimeout(this.unknownTimer);
    document.removeEventListener("visibilitychange", this.handleVisibility);
  }

  /** Back on the page: what arrived in the open conversation meanwhile is now read. */
  private readonly handleVisibility = (): void => {
    const conversationId = this.selectedId;
    if (document.visibilityState !== "visible" || conversationId === undefined) return;
    const row = this.conversations.find((known) => known.id === conversationId);
    if (row === undefined || row.unreadCount === 0) return;
    void markRead(conversationId).catch(() => {});
    this.conversations = this.conversations.map((known) =>
      known.id === conversationId ? { ...known, unreadCount: 0 } : known,
    );
  };

  /** The conversation the agent has open, if any (re-announced after a reconnect). */
  get openConversationId(): number | null {
    return this.selectedId ?? null;
  }

  /** Reloads the list, the open conversation and the agents (first load, or events were lost). */
  async refresh(): Promise<void> {
    await Promise.all([this.loadFirstPage(), this.loadDirectory(), this.reloadOpen()]);
  }

  /**
   * The user's own role, permissions or queues changed (an administrator's edit): the header,
   * the views and the lists follow at once, and an open conversation they may no longer see
   * closes, saying so.
   */
  async applyAccessChanged(): Promise<void> {
    await this.run(async () => {
      this.user = await fetchMe();
    });
    await this.refresh();
  }

  /** Reloads who is online (presence is not replayed after a reconnect). */
  async refreshDirectory(): Promise<void> {
    await this.loadDirectory();
  }

  /** A message was stored (a customer's, or one sent by any agent). */
  applyMessageCreated(event: MessageCreated): void {
    const { message } = event;
    const open = message.conversationId === this.selectedId;
    const seen = open && document.visibilityState === "visible";
    if (open) {
      if (!this.messages.some((known) => known.id === message.id)) {
        this.messages = [...this.messages, message];
      }
      if (message.direction === "inbound" && seen) {
        void markRead(message.conversationId).catch(() => {});
      }
    }
    const touch = (conversation: ConversationSummaryPayload): ConversationSummaryPayload =>
      // The server's summary may already include this message (sent after it was stored).
      (conversation.lastMessage?.id ?? 0) >= message.id
        ? conversation
        : {
            ...conversation,
            lastMessage: message,
            lastMessageAt: message.sentAt,
            unreadCount:
              message.direction === "inbound" && !seen
                ? conversation.unreadCount + 1
                : conversation.unreadCount,
            windowClosesAt:
              message.direction === "inbound"
                ? new Date(Date.parse(message.sentAt) + DAY_MS).toISOString()
                : conversation.windowClosesAt,
          };
    if (this.selected?.id === message.conversationId) this.selected = touch(this.selected);
    const alert = message.direction === "inbound" && !seen;
    const row = this.conversations.find((known) => known.id === message.conversationId);
    if (row !== undefined) {
      this.place(touch(row));
      if (alert) this.alert(message, row);
    } else {
      this.queueUnknown(message.conversationId, alert ? message : undefined);
    }
  }

  /** An outbound message's ticks moved, or it failed. */
  applyStatusChanged(event: MessageStatusChanged): void {
    if (event.conversationId !== this.selectedId) return;
    this.messages = this.messages.map((message) =>
      message.id === event.messageId && statusMovesForward(message.status, event.status)
        ? {
            ...message,
            status: event.status,
            failureReason: event.failureReason,
            // Learnt once Meta accepted it: the message can then be quoted and reacted to.
            wamid: event.wamid ?? message.wamid,
          }
        : message,
    );
  }

  /** A customer's file finished downloading (the bubble shows it) or failed for good. */
  applyMediaChanged(event: MessageMediaChanged): void {
    if (event.conversationId !== this.selectedId) return;
    this.messages = this.messages.map((message) =>
      message.id === event.messageId ? { ...message, media: event.media } : message,
    );
    // The thread also holds earlier pages, and may not have the message itself yet.
    this.thread?.applyMedia(event.messageId, event.media);
  }

  /** A conversation was created, assigned, transferred, released, resolved or reopened. */
  applyConversationChanged(event: ConversationChanged): void {
    const { conversation } = event;
    this.place(conversation);
    if (conversation.id !== this.selectedId) return;
    if (!this.maySee(conversation)) {
      const text = inboxShellText();
      // Taken from the queue (a claim, or a manager's assignment) reads differently from a
      // transfer between agents.
      this.notice =
        conversation.assignee === null
          ? text.noLongerVisible
          : event.previousAssignedUserId === null
            ? text.takenBy(conversation.assignee.name)
            : text.transferredAway(conversation.assignee.name);
      this.close();
      return;
    }
    this.selected = conversation;
  }

  /** The open conversation's contact changed (their consent): the panel shows it at once. */
  applyContactChanged(event: ContactChanged): void {
    if (event.conversationId !== this.selectedId) return;
    void this.contactPanel?.reload();
  }

  /** A private note was added to a conversation. */
  applyNoteCreated(event: NoteCreated): void {
    this.notes?.applyNote(event.note);
  }

  /** Another agent is typing: shown in their conversation for a few seconds. */
  applyAgentTyping(event: AgentTyping): void {
    if (event.agent.id === this.user?.id) return;
    const until = Date.now() + TYPING_SHOWN_MS;
    this.typers = [
      ...this.typers.filter(
        (typer) =>
          typer.until > Date.now() &&
          !(typer.agent.id === event.agent.id && typer.conversationId === event.conversationId),
      ),
      { conversationId: event.conversationId, agent: event.agent, until },
    ];
    this.scheduleTypingExpiry();
  }

  /** An agent came online or went offline. */
  applyPresenceUpdated(event: PresenceUpdated): void {
    if (!this.agents.some((agent) => agent.id === event.userId)) {
      // Someone the directory does not know yet (a new user): fetch it again, once per burst.
      clearTimeout(this.agentsReload);
      this.agentsReload = setTimeout(() => void this.loadDirectory(), 1_000);
      return;
    }
    this.agents = this.agents.map((agent) =>
      agent.id === event.userId ? { ...agent, online: event.status === "online" } : agent,
    );
  }

  private can(permission: MePayload["permissions"][number]): boolean {
    return this.user?.permissions.includes(permission) ?? false;
  }

  /** Whether the user may still see the conversation after a change (the server decides; this mirrors it). */
  private maySee(conversation: ConversationSummaryPayload): boolean {
    if (this.can("conversations.viewAll")) return true;
    if (conversation.assignedUserId !== null) return conversation.assignedUserId === this.user?.id;
    const myQueues = this.agents.find((agent) => agent.id === this.user?.id)?.queueIds;
    return (
      conversation.queueId === null ||
      myQueues === undefined ||
      myQueues.includes(conversation.queueId)
    );
  }

  private matchesFilters(conversation: ConversationSummaryPayload, known: boolean): boolean {
    const { view, status, q } = this.filters;
    if (view === "mine" && conversation.assignedUserId !== this.user?.id) return false;
    if (view === "unassigned" && conversation.assignedUserId !== null) return false;
    if (status !== undefined && conversation.status !== status) return false;
    // A row the server already matched stays (the match may be in older messages); a new one
    // must match what the list can check here.
    const search = q.trim().toLocaleLowerCase();
    if (search === "" || known) return true;
    return [
      conversation.contact.name,
      conversation.contact.waId,
      messagePreview(conversation.lastMessage),
    ].some((field) => field?.toLocaleLowerCase().includes(search));
  }

  /** Puts a changed conversation where it belongs in the list, or takes it out. */
  private place(conversation: ConversationSummaryPayload): void {
    const known = this.conversations.some((row) => row.id === conversation.id);
    const rest = known
      ? this.conversations.filter((row) => row.id !== conversation.id)
      : this.conversations;
    if (!this.maySee(conversation) || !this.matchesFilters(conversation, known)) {
      if (known) this.conversations = rest;
      return;
    }
    let index = rest.findIndex((row) => newerFirst(conversation, row) < 0);
    if (index === -1) {
      // Older than every loaded row: the next page will bring it.
      if (this.next !== null) {
        if (known) this.conversations = rest;
        return;
      }
      index = rest.length;
    }
    this.conversations = [...rest.slice(0, index), conversation, ...rest.slice(index)];
  }

  /**
   * A message for a conversation the list does not hold. Collected for a moment: usually its
   * `conversation:changed` places it meanwhile; a few are fetched one by one; a burst (a busy
   * tenant, many conversations at once) reloads the first page instead of one request each.
   */
  private queueUnknown(conversationId: number, alertable: MessagePayload | undefined): void {
    const waiting = this.unknown.get(conversationId);
    this.unknown.set(conversationId, alertable ?? waiting);
    this.unknownTimer ??= setTimeout(() => void this.flushUnknown(), UNKNOWN_BATCH_MS);
  }

  private async flushUnknown(): Promise<void> {
    this.unknownTimer = undefined;
    const batch = [...this.unknown];
    this.unknown.clear();
    const missing = batch.filter(([id]) => !this.conversations.some((row) => row.id === id));
    if (missing.length > UNKNOWN_FETCH_MAX) await this.loadFirstPage();
    await Promise.all(
      batch.map(async ([id, alertable]) => {
        const known =
          this.conversations.find((row) => row.id === id) ??
          (missing.length > UNKNOWN_FETCH_MAX ? undefined : await this.fetchIntoList(id));
        if (alertable !== undefined) this.alert(alertable, known);
      }),
    );
  }

  /** Fetches one conversation (once, however many ask meanwhile) and places it. */
  private fetchIntoList(conversationId: number): Promise<ConversationSummaryPayload | undefined> {
    const pending = this.fetching.get(conversationId);
    if (pending !== undefined) return pending;
    const fetched = readConversation(conversationId)
      .then((conversation) => {
        this.place(conversation);
        return conversation;
      })
      .catch(() => undefined)
      .finally(() => this.fetching.delete(conversationId));
    this.fetching.set(conversationId, fetched);
    return fetched;
  }

  private alert(message: MessagePayload, row: ConversationSummaryPayload | undefined): void {
    // Conversations other agents hold are theirs to hear about.
    if (row && row.assignedUserId !== null && row.assignedUserId !== this.user?.id) return;
    const preferences = notificationPreferences();
    if (preferences.sound) playChime();
    if (preferences.browser) {
      const text = inboxShellText();
      const name = row?.contact.name ?? row?.contact.waId ?? text.contact;
      showBrowserNotification(text.newMessageFrom(name), messagePreview(message), () =>
        this.handleSelect(message.conversationId),
      );
    }
  }

  private scheduleTypingExpiry(): void {
    clearTimeout(this.typingTimer);
    if (this.typers.length === 0) return;
    const soonest = Math.min(...this.typers.map((typer) => typer.until));
    this.typingTimer = setTimeout(
      () => {
        this.typers = this.typers.filter((typer) => typer.until > Date.now());
        this.scheduleTypingExpiry();
      },
      Math.max(soonest - Date.now(), 50),
    );
  }

  private async run(action: () => Promise<void>): Promise<void> {
    try {
      await action();
      this.failure = "";
    } catch (error) {
      this.failure = this.describe(error);
    }
  }

  private describe(error: unknown): string {
    const text = inboxShellText();
    if (!(error instanceof ApiError)) return errorMessage("network_error");
    if (error.id === "forbidden") return text.forbidden;
    if (error.id === "not_found") return text.notFound;
    if (error.id === "validation_error") return text.invalid;
    return errorMessage(error.id);
  }

  private async loadFirstPage(): Promise<void> {
    const generation = ++this.listGeneration;
    this.loadingPage = true;
    await this.run(async () => {
      const page = await listConversationPage({ ...this.filters, limit: PAGE_SIZE });
      if (generation !== this.listGeneration) return;
      this.conversations = page.conversations;
      this.next = page.next;
    });
    if (generation === this.listGeneration) this.loadingPage = false;
  }

  private async loadMore(): Promise<void> {
    if (this.next === null || this.loadingPage) return;
    const generation = this.listGeneration;
    this.loadingPage = true;
    await this.run(async () => {
      const page = await listConversationPage({
        ...this.filters,
        after: this.next ?? undefined,
        limit: PAGE_SIZE,
      });
      if (generation !== this.listGeneration) return;
      // Rows that moved up while the page loaded are already shown.
      const shown = new Set(this.conversations.map((row) => row.id));
      this.conversations = [
        ...this.conversations,
        ...page.conversations.filter((row) => !shown.has(row.id)),
      ];
      this.next = page.next;
    });
    if (generation === this.listGeneration) this.loadingPage = false;
  }

  private async loadDirectory(): Promise<void> {
    // The pickers are a convenience: the inbox works without them.
    const [agents, queues] = await Promise.all([
      listAgents().catch(() => undefined),
      listQueues().catch(() => undefined),
    ]);
    if (agents !== undefined) this.agents = agents;
    if (queues !== undefined) this.queues = queues;
  }

  private async reloadOpen(): Promise<void> {
    const conversationId = this.selectedId;
    if (conversationId === undefined) return;
    await this.run(async () => {
      try {
        const [conversation, page] = await Promise.all([
          readConversation(conversationId),
          readThread(conversationId),
        ]);
        if (conversationId !== this.selectedId) return;
        this.selected = conversation;
        this.messages = page.messages;
        this.olderBefore = page.before;
      } catch (error) {
        // Out of sight since (access changed, or moved while this page was offline).
        if (!(error instanceof ApiError && error.id === "not_found")) throw error;
        if (conversationId !== this.selectedId) return;
        this.notice = inboxShellText().noLongerVisible;
        this.close();
      }
    });
  }

  private async handleFilters(filters: ConversationFilters): Promise<void> {
    this.filters = filters;
    await this.loadFirstPage();
    if (
      this.selectedId !== undefined &&
      !this.conversations.some((row) => row.id === this.selectedId)
    ) {
      this.close();
    }
  }

  private close(): void {
    this.selectedId = undefined;
    this.selected = undefined;
    this.messages = [];
    this.olderBefore = null;
    this.realtime?.openConversation(null);
  }

  private async handleSelect(conversationId: number): Promise<void> {
    this.selectedId = conversationId;
    this.selected = this.conversations.find((row) => row.id === conversationId);
    this.messages = [];
    this.olderBefore = null;
    this.notice = "";
    this.realtime?.openConversation(conversationId);
    await this.run(async () => {
      const [page, conversation] = await Promise.all([
        readThread(conversationId),
        this.selected === undefined ? readConversation(conversationId) : undefined,
      ]);
      if (conversationId !== this.selectedId) return;
      if (conversation !== undefined) this.selected = conversation;
      this.messages = page.messages;
      this.olderBefore = page.before;
      await markRead(conversationId).catch(() => {});
      this.conversations = this.conversations.map((row) =>
        row.id === conversationId ? { ...row, unreadCount: 0 } : row,
      );
    });
  }

  /** A message the thread sent itself (a file, a template): shown once, whichever comes first. */
  private handleSent(message: MessagePayload): void {
    if (message.conversationId !== this.selectedId) return;
    if (!this.messages.some((known) => known.id === message.id)) {
      this.messages = [...this.messages, message];
    }
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

  /** Runs a change to the open conversation; a 409 shows who was faster and the fresh state. */
  private async change(
    conversationId: number,
    action: () => Promise<ConversationSummaryPayload>,
  ): Promise<void> {
    const text = inboxShellText();
    this.busy = true;
    this.notice = "";
    try {
      const conversation = await action();
      this.failure = "";
      this.applyConversationChanged({
        conversation,
        change: "status",
        by: null,
        previousAssignedUserId: null,
      });
    } catch (error) {
      if (error instanceof ApiError && error.id === "conflict") {
        const data = error.data as Partial<ConversationTakenData> | undefined;
        this.notice =
          data?.reason === "conversation_taken" && data.assignee
            ? text.taken(data.assignee.name)
            : text.changedMeanwhile;
        const fresh = await readConversation(conversationId).catch(() => undefined);
        if (fresh === undefined) {
          // Taken by someone else, it is no longer this agent's to see.
          this.conversations = this.conversations.filter((row) => row.id !== conversationId);
          if (this.selectedId === conversationId) this.close();
        } else {
          this.applyConversationChanged({
            conversation: fresh,
            change: "assigned",
            by: null,
            previousAssignedUserId: null,
          });
        }
      } else {
        this.failure = this.describe(error);
      }
    } finally {
      this.busy = false;
    }
  }

  private handleAssign(detail: AtConversationAssignEvent["detail"]): Promise<void> {
    const { conversationId, ...change } = detail;
    return this.change(conversationId, () => assignConversation(conversationId, change));
  }

  private handleStatus(conversationId: number, status: ConversationStatus): Promise<void> {
    return this.change(conversationId, () => changeConversationStatus(conversationId, status));
  }

  private handleLogout(): void {
    this.emit("at-logout-request");
  }

  private renderHeader() {
    const text = inboxShellText();
    const online = this.agents.filter((agent) => agent.online).length;
    return html`<header class="app-bar">
      <p class="app-bar__brand">atende</p>
      <span class="inbox__connection" role="status">
        <span class="dot ${this.connection === "connected" ? "dot--online" : ""}" aria-hidden="true"></span>
        ${text.connection[this.connection]}
      </span>
      ${this.agents.length > 0 ? html`<span class="inbox__presence">${text.agentsOnline(online)}</span>` : ""}
      <details class="inbox__alerts">
        <summary>${text.alerts}</summary>
        <at-notification-settings class="inbox__alerts-panel"></at-notification-settings>
      </details>
      ${
        this.user === undefined
          ? ""
          : html`<div class="inbox__user">
              <span class="inbox__name">${this.user.name}</span>
              <span class="inbox__role">${roleLabel(this.user.role)}</span>
            </div>`
      }
      ${
        this.can("settings.whatsapp")
          ? html`<a class="inbox__settings" href="/settings/whatsapp">${text.whatsappSettings}</a>`
          : ""
      }
      ${this.can("users.manage") ? html`<a class="inbox__settings" href="/settings/users">${text.users}</a>` : ""}
      ${this.can("users.manage") ? html`<a class="inbox__settings" href="/settings/queues">${text.queues}</a>` : ""}
      ${this.can("audit.view") ? html`<a class="inbox__settings" href="/settings/audit">${text.audit}</a>` : ""}
      ${this.can("reports.view") ? html`<a class="inbox__settings" href="/settings/reports">${text.reports}</a>` : ""}
      ${this.can("roles.manage") ? html`<a class="inbox__settings" href="/settings/roles">${text.roles}</a>` : ""}
      <button class="inbox__logout" type="button" @click=${this.handleLogout}>${text.logout}</button>
    </header>`;
  }

  private renderOpen() {
    const text = inboxShellText();
    const conversation = this.selected;
    const typing = this.typers
      .filter((typer) => typer.conversationId === this.selectedId && typer.until > Date.now())
      .map((typer) => typer.agent.name);
    return html`<div class="inbox__open">
      <at-conversation-actions
        .conversation=${conversation}
        .user=${this.user}
        .agents=${this.agents}
        .queues=${this.queues}
        ?busy=${this.busy}
        @at-conversation-claim=${(event: CustomEvent<{ conversationId: number }>) =>
          this.change(event.detail.conversationId, () =>
            claimConversation(event.detail.conversationId),
          )}
        @at-conversation-assign=${(event: AtConversationAssignEvent) => this.handleAssign(event.detail)}
        @at-conversation-status-change=${(
          event: CustomEvent<{ conversationId: number; status: ConversationStatus }>,
        ) => this.handleStatus(event.detail.conversationId, event.detail.status)}
      ></at-conversation-actions>
      <p class="inbox__notice" role="alert">${this.notice}</p>
      <p class="inbox__typing" role="status" aria-live="polite">
        ${typing.length > 0 ? text.typing(typing) : ""}
      </p>
      <at-message-thread
        class="inbox__thread"
        .conversation=${conversation}
        .messages=${this.messages}
        .hasOlder=${this.olderBefore !== null}
        .userId=${this.user?.id}
        @at-message-sent=${(event: CustomEvent<{ message: MessagePayload }>) =>
          this.handleSent(event.detail.message)}
        @at-message-send=${(event: CustomEvent<{ body: string }>) => this.handleSend(event.detail.body)}
        @at-typing=${() => {
          if (this.selectedId !== undefined) this.realtime?.typing(this.selectedId);
        }}
      ></at-message-thread>
    </div>`;
  }

  override render() {
    const text = inboxShellText();
    const conversation = this.selected;
    const { view, status, q } = this.filters;
    return html`
      <div part="base">
        ${this.renderHeader()}
        <main class="inbox__main ${conversation ? "inbox__main--open" : ""}">
          <section class="inbox__list" aria-labelledby="conversations-heading">
            <h1 class="inbox__heading" id="conversations-heading">${text.heading}</h1>
            <at-conversation-filters
              .filters=${this.filters}
              @at-conversation-filter-change=${(event: CustomEvent<ConversationFilters>) =>
                this.handleFilters(event.detail)}
            ></at-conversation-filters>
            <p class="inbox__failure" role="alert">${this.failure}</p>
            <at-conversation-list
              .conversations=${this.conversations}
              .selectedId=${this.selectedId}
              .userId=${this.user?.id}
              ?has-more=${this.next !== null}
              ?loading=${this.loadingPage}
              ?filtered=${view !== "all" || status !== undefined || q.trim() !== ""}
              @at-conversation-select=${(event: CustomEvent<{ conversationId: number }>) =>
                this.handleSelect(event.detail.conversationId)}
              @at-conversation-list-end=${() => this.loadMore()}
            ></at-conversation-list>
          </section>
          ${
            conversation === undefined
              ? html`<p class="inbox__placeholder" role="status">${this.notice || text.pickConversation}</p>`
              : this.renderOpen()
          }
          ${
            conversation === undefined
              ? ""
              : html`<div class="inbox__side">
                  ${
                    this.can("contacts.view")
                      ? html`<at-contact-panel
                          .contactId=${conversation.contact.id}
                          ?can-edit=${this.can("contacts.edit")}
                        ></at-contact-panel>`
                      : ""
                  }
                  <at-conversation-notes .conversationId=${conversation.id}></at-conversation-notes>
                </div>`
          }
        </main>
      </div>
    `;
  }
}
