import { html, type PropertyValues } from "lit";
import { property, query, state } from "lit/decorators.js";
import { keyed } from "lit/directives/keyed.js";
import { repeat } from "lit/directives/repeat.js";
import type { QuickReplyPayload } from "../../../contracts/contacts.js";
import type { ConversationSummaryPayload } from "../../../contracts/conversations.js";
import type { MessagePayload } from "../../../contracts/messages.js";
import type { MessageTemplatePayload } from "../../../contracts/templates.js";
import { readThread } from "../../api/conversations.js";
import type { AtMessageReactEvent } from "../../events/at-message-react.js";
import type { AtMessageReplyEvent } from "../../events/at-message-reply.js";
import { AtendeElement } from "../../internal/atende-element.js";
import type AtComposer from "../at-composer/at-composer.component.js";
import type { BubbleReaction } from "../at-message-bubble/at-message-bubble.js";
import styles from "./at-message-thread.styles.js";
import { messageThreadText } from "./at-message-thread.texts.js";
import "../../events/at-message-react.js";
import "../../events/at-message-reply.js";
import "../../events/at-message-send.js";
import "../../events/at-message-sent.js";
import "../../events/at-typing.js";
import "../at-composer/at-composer.js";
import "../at-message-bubble/at-message-bubble.js";

/** Messages per page of `GET /api/conversations/:id/messages` (the server's default). */
const PAGE_SIZE = 50;

/** How close to an edge (px) counts as "at" it. */
const EDGE_PX = 80;

/** Where the reader was before an update, to keep them there. */
interface ScrollSnapshot {
  height: number;
  top: number;
  nearBottom: boolean;
  firstId: number | undefined;
  lastId: number | undefined;
}

/** Reaction messages folded onto their targets: `wamid → reactions`, and which were folded. */
function foldReactions(messages: MessagePayload[]): {
  byTarget: Map<string, BubbleReaction[]>;
  folded: Set<number>;
} {
  const present = new Set(messages.flatMap((message) => (message.wamid ? [message.wamid] : [])));
  // The latest reaction of each side wins; an empty emoji removes it (as on WhatsApp).
  const latest = new Map<string, Map<"inbound" | "outbound", string | null>>();
  const folded = new Set<number>();
  for (const message of messages) {
    if (message.content.type !== "reaction") continue;
    const target = message.content.targetWamid;
    if (!present.has(target)) continue;
    folded.add(message.id);
    const sides = latest.get(target) ?? new Map();
    sides.set(message.direction, message.content.emoji);
    latest.set(target, sides);
  }
  const byTarget = new Map<string, BubbleReaction[]>();
  for (const [target, sides] of latest) {
    const reactions = [...sides].flatMap(([direction, emoji]) =>
      emoji ? [{ emoji, direction }] : [],
    );
    if (reactions.length > 0) byTarget.set(target, reactions);
  }
  return { byTarget, folded };
}

/**
 * @summary One conversation: its messages oldest first, every WhatsApp type rendered by
 *   `<at-message-bubble>` (reactions shown on the message they refer to, quotes of the message
 *   replied to), and `<at-composer>` below. Scrolling to the top loads earlier messages (the
 *   thread pages them itself and keeps the reader's place); a message arriving while the agent
 *   reads older ones shows "new messages ↓" instead of jumping.
 *
 * @event at-message-send - The agent sent a text (`detail.body`): the page sends it.
 * @event at-message-sent - The thread sent a file or a template itself (`detail.message`): merge
 *   it by id (it also arrives as `message:created`).
 * @event at-typing - The agent is typing (at most every 3 s): the customer sees "digitando…".
 * @event at-message-reply - From a bubble: the agent chose to reply to a message. The thread
 *   shows the quote in its composer, which sends the next message as a reply (and announces it
 *   with `at-message-sent`); the page has nothing to do.
 * @event at-message-react - From a bubble: the agent picked an emoji. The thread's composer
 *   sends the reaction at once (announced with `at-message-sent`); the page has nothing to do.
 *
 * @csspart base - The thread.
 */
export default class AtMessageThread extends AtendeElement {
  static override styles = styles;

  /** The conversation shown. */
  @property({ attribute: false }) conversation?: ConversationSummaryPayload;

  /** Its newest page of messages and live ones, oldest first. */
  @property({ attribute: false }) messages: MessagePayload[] = [];

  /**
   * Whether messages older than `messages` exist (the first page's `before !== null`). When not
   * given, a full first page is taken to mean there may be more.
   */
  @property({ attribute: false }) hasOlder?: boolean;

  /**
   * The signed-in user: their own new messages always scroll into view. When not given, any
   * outbound message does.
   */
  @property({ attribute: false }) userId?: number;

  /** Templates for the picker; it loads them itself when not given. */
  @property({ attribute: false }) templates?: MessageTemplatePayload[];

  /** Quick replies for `/` in the composer; loaded on first use when not given. */
  @property({ attribute: false }) quickReplies?: QuickReplyPayload[];

  @query(".thread__scroller") private scroller?: HTMLElement;
  @query("at-composer") private composer?: AtComposer;

  /** Earlier pages the thread loaded itself, oldest first. */
  @state() private older: MessagePayload[] = [];
  @state() private olderExhausted = false;
  @state() private loadingOlder = false;
  @state() private olderFailure = "";
  /** Media states learnt after the messages were loaded (downloads that finished), by id. */
  @state() private mediaUpdates = new Map<number, NonNullable<MessagePayload["media"]>>();
  /** Messages that arrived below while the agent was reading above. */
  @state() private unseen = 0;

  private readonly text = messageThreadText();
  private snapshot: ScrollSnapshot | undefined;
  /** The oldest and newest message ids of the last render. */
  private renderedEnds: Pick<ScrollSnapshot, "firstId" | "lastId"> = {
    firstId: undefined,
    lastId: undefined,
  };
  private jumpToBottom = true;
  private shownConversationId: number | undefined;
  /** Re-renders when the 24-hour window closes, so the bubbles stop offering reply and react. */
  private windowTimer: ReturnType<typeof setTimeout> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.watchWindow();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.windowTimer);
  }

  /** Whether free-form messages (replies, reactions) may go now. */
  private get windowOpen(): boolean {
    const closesAt = this.conversation?.windowClosesAt;
    return closesAt !== null && closesAt !== undefined && Date.parse(closesAt) > Date.now();
  }

  private watchWindow(): void {
    clearTimeout(this.windowTimer);
    const closesAt = this.conversation?.windowClosesAt;
    if (closesAt === null || closesAt === undefined) return;
    const remaining = Date.parse(closesAt) - Date.now();
    if (!(remaining > 0)) return;
    // setTimeout's longest delay is about 24.8 days; the window never lasts that long.
    this.windowTimer = setTimeout(
      () => this.requestUpdate(),
      Math.min(remaining + 50, 2 ** 31 - 1),
    );
  }

  private messageOf(messageId: number): MessagePayload | undefined {
    return this.all.find((message) => message.id === messageId);
  }

  private handleReply(event: AtMessageReplyEvent): void {
    const message = this.messageOf(event.detail.messageId);
    if (message !== undefined) void this.composer?.quote(message);
  }

  private handleReact(event: AtMessageReactEvent): void {
    const message = this.messageOf(event.detail.messageId);
    if (message !== undefined) void this.composer?.react(message, event.detail.emoji);
  }

  /** Everything loaded, oldest first, each message once, with media states learnt since. */
  private get all(): MessagePayload[] {
    const seen = new Set<number>();
    const all: MessagePayload[] = [];
    for (const message of [...this.older, ...this.messages]) {
      if (seen.has(message.id)) continue;
      seen.add(message.id);
      const media = this.mediaUpdates.get(message.id);
      all.push(
        media === undefined || message.media?.status !== "pending"
          ? message
          : { ...message, media },
      );
    }
    return all;
  }

  /**
   * A customer's file finished downloading or failed for good (`message:mediaChanged`): the
   * bubble shows it at once, also in earlier pages and before the message itself arrived.
   */
  applyMedia(messageId: number, media: NonNullable<MessagePayload["media"]>): void {
    this.mediaUpdates = new Map(this.mediaUpdates).set(messageId, media);
  }

  private get canLoadOlder(): boolean {
    if (this.olderExhausted || this.conversation === undefined) return false;
    return this.older.length > 0 || (this.hasOlder ?? this.messages.length >= PAGE_SIZE);
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (this.conversation?.id !== this.shownConversationId) {
      this.shownConversationId = this.conversation?.id;
      this.older = [];
      this.mediaUpdates = new Map();
      this.olderExhausted = false;
      this.olderFailure = "";
      this.unseen = 0;
      this.jumpToBottom = true;
      this.snapshot = undefined;
      return;
    }
    if ((changed.has("messages") || changed.has("older")) && this.scroller) {
      // The DOM still shows the previous render: measure it, with the ids it shows.
      const { scrollHeight, scrollTop, clientHeight } = this.scroller;
      this.snapshot = {
        height: scrollHeight,
        top: scrollTop,
        nearBottom: scrollHeight - scrollTop - clientHeight < EDGE_PX,
        ...this.renderedEnds,
      };
    }
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has("conversation")) this.watchWindow();
    const all = this.all;
    this.renderedEnds = { firstId: all[0]?.id, lastId: all.at(-1)?.id };
    const before = this.snapshot;
    this.snapshot = undefined;
    void this.placeScroll(before);
  }

  /**
   * Puts the reader where they belong once the bubbles have rendered (they render after the
   * thread, so heights are only known then): at the bottom for a newly opened conversation or a
   * new message while at the bottom, at the same messages when older ones went in above.
   */
  private async placeScroll(before: ScrollSnapshot | undefined): Promise<void> {
    const bubbles = this.renderRoot.querySelectorAll("at-message-bubble");
    await Promise.all([...bubbles].map((bubble) => bubble.updateComplete));
    const scroller = this.scroller;
    if (scroller === undefined) return;
    const all = this.all;
    if (this.jumpToBottom) {
      scroller.scrollTop = scroller.scrollHeight;
      if (all.length > 0) this.jumpToBottom = false;
      return;
    }
    if (before === undefined) return;
    const firstId = all[0]?.id;
    const lastId = all.at(-1)?.id;
    if (firstId !== before.firstId && before.firstId !== undefined) {
      // Earlier messages went in above: keep the same messages under the reader's eyes.
      scroller.scrollTop = before.top + (scroller.scrollHeight - before.height);
    }
    if (lastId !== before.lastId) {
      const last = all.at(-1);
      const mine =
        last?.direction === "outbound" &&
        (this.userId === undefined || last.sentByUserId === this.userId);
      if (before.nearBottom || mine) {
        scroller.scrollTop = scroller.scrollHeight;
        this.unseen = 0;
      } else {
        const index = all.findIndex((message) => message.id === before.lastId);
        this.unseen += index === -1 ? 1 : all.length - 1 - index;
      }
    }
  }

  private handleScroll(): void {
    const scroller = this.scroller;
    if (scroller === undefined) return;
    if (scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < EDGE_PX) {
      this.unseen = 0;
    }
    if (scroller.scrollTop < EDGE_PX && this.canLoadOlder) void this.loadOlder();
  }

  private scrollToBottom(): void {
    const scroller = this.scroller;
    if (scroller) scroller.scrollTop = scroller.scrollHeight;
    this.unseen = 0;
  }

  /** Loads the page before the oldest loaded message. */
  async loadOlder(): Promise<void> {
    const conversationId = this.conversation?.id;
    const oldest = this.all[0]?.id;
    if (conversationId === undefined || oldest === undefined || this.loadingOlder) return;
    this.loadingOlder = true;
    this.olderFailure = "";
    try {
      const page = await readThread(conversationId, oldest);
      if (this.conversation?.id !== conversationId) return;
      this.older = [...page.messages, ...this.older];
      if (page.before === null || page.messages.length === 0) this.olderExhausted = true;
    } catch {
      this.olderFailure = this.text.olderFailed;
    } finally {
      this.loadingOlder = false;
    }
  }

  private renderHistoryEdge() {
    if (this.loadingOlder) {
      return html`<p class="thread__edge" role="status">${this.text.loadingOlder}</p>`;
    }
    if (this.canLoadOlder) {
      return html`<p class="thread__edge">
        ${this.olderFailure ? html`<span role="alert">${this.olderFailure}</span>` : ""}
        <button type="button" class="thread__older" @click=${() => this.loadOlder()}>
          ${this.text.loadOlder}
        </button>
      </p>`;
    }
    return this.all.length > 0 ? html`<p class="thread__edge">${this.text.start}</p>` : "";
  }

  override render() {
    if (this.conversation === undefined) {
      return html`<p class="thread__placeholder">${this.text.placeholder}</p>`;
    }
    const { contact } = this.conversation;
    const name = contact.name ?? contact.waId ?? this.text.contact;
    const all = this.all;
    const byWamid = new Map(
      all.flatMap((message) => (message.wamid ? [[message.wamid, message] as const] : [])),
    );
    const { byTarget, folded } = foldReactions(all);
    const shown = all.filter((message) => !folded.has(message.id));
    const respondable = this.windowOpen;
    return html`
      <section part="base" class="thread" aria-label=${this.text.region(name)}>
        <header class="thread__header">
          <h2 class="thread__title">${name}</h2>
          ${contact.name && contact.waId ? html`<span class="thread__number">+${contact.waId}</span>` : ""}
        </header>
        <div class="thread__scroller" @scroll=${this.handleScroll}>
          ${this.renderHistoryEdge()}
          <ol
            class="thread__messages"
            aria-live="polite"
            @at-message-reply=${this.handleReply}
            @at-message-react=${this.handleReact}
          >
            ${repeat(
              shown,
              (message) => message.id,
              (message) => html`<li class="thread__message thread__message--${message.direction}">
                <at-message-bubble
                  .message=${message}
                  .quoted=${message.replyToWamid === null ? undefined : byWamid.get(message.replyToWamid)}
                  .reactions=${(message.wamid && byTarget.get(message.wamid)) || []}
                  ?respondable=${respondable}
                ></at-message-bubble>
              </li>`,
            )}
          </ol>
        </div>
        ${
          this.unseen > 0
            ? html`<button type="button" class="thread__unseen" @click=${this.scrollToBottom}>
              ${this.text.newMessages(this.unseen)}
            </button>`
            : ""
        }
        ${keyed(
          this.conversation.id,
          // A fresh composer per conversation: a draft never follows the agent elsewhere.
          html`<at-composer
            conversation-id=${this.conversation.id}
            contact-name=${name}
            .windowClosesAt=${this.conversation.windowClosesAt}
            .templates=${this.templates}
            .quickReplies=${this.quickReplies}
          ></at-composer>`,
        )}
      </section>
    `;
  }
}
