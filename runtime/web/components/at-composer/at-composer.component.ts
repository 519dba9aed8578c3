import { html, nothing, type PropertyValues, svg } from "lit";
import { property, query, state } from "lit/decorators.js";
import type { QuickReplyPayload } from "../../../contracts/contacts.js";
import { baseMimeType, MEDIA_LIMITS } from "../../../contracts/media-limits.js";
import { type MediaKind, type MessagePayload, mediaKinds } from "../../../contracts/messages.js";
import { OUTBOUND_LIMITS } from "../../../contracts/outbound-limits.js";
import type { OutboundMediaPayload } from "../../../contracts/outbound-messages.js";
import type { MessageTemplatePayload } from "../../../contracts/templates.js";
import { ApiError } from "../../api/client.js";
import { fetchQuickReplies, sendMedia, sendReaction, sendText } from "../../api/conversations.js";
import { type MediaUpload, uploadMedia } from "../../api/media.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { currentLocale, errorMessage, quotePreview } from "../../messages.js";
import styles from "./at-composer.styles.js";
import { composerText } from "./at-composer.texts.js";
import "../../events/at-message-send.js";
import "../../events/at-message-sent.js";
import "../../events/at-typing.js";
import "../at-template-picker/at-template-picker.js";

/**
 * How often typing is announced while the agent keeps typing: often enough that colleagues'
 * "digitando…" (shown 4 s after each) does not blink. The server throttles what reaches the
 * customer's phone (WhatsApp shows it ~25 s) and allows one announcement per 2 s.
 */
const TYPING_EVERY_MS = 3_000;

/** Most quick replies listed at once. */
const QUICK_REPLY_ROWS = 8;

/** An attach icon drawn inline (no icon font, no emoji font needed). */
const paperclip = html`<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
  ${svg`<path
    d="M16.5 6.5 8.9 14.1a2 2 0 0 0 2.8 2.8l7.6-7.6a4 4 0 0 0-5.6-5.6L6 11.4a6 6 0 0 0 8.5 8.5l6-6"
    fill="none"
    stroke="currentColor"
    stroke-width="2"
    stroke-linecap="round"
    stroke-linejoin="round"
  />`}
</svg>`;

/** The media kind WhatsApp carries a file of this type as, if any (webp only as a sticker). */
export function mediaKindOf(mimeType: string): MediaKind | undefined {
  const base = baseMimeType(mimeType);
  return mediaKinds.find((kind) => MEDIA_LIMITS[kind].mimeTypes.includes(base));
}

function megabytes(bytes: number): string {
  const value = bytes / (1024 * 1024);
  return value >= 1
    ? `${value.toLocaleString(currentLocale(), { maximumFractionDigits: 0 })} MB`
    : `${Math.round(bytes / 1024)} KB`;
}

/**
 * @summary What the agent writes with: text (Enter sends, Shift+Enter breaks the line, capped at
 *   WhatsApp's 4096 characters with a counter), `/shortcut` quick replies, a file attached with
 *   upload progress (type and size checked first against WhatsApp's limits) and sent with an
 *   optional caption once stored (or discarded), and the time left in the 24-hour window. When
 *   the window is closed it becomes the template picker. `quote(message)` makes the next text or
 *   file a reply to that message (a dismissible preview above the input; Escape or × cancels);
 *   `react(message, emoji)` sends a reaction at once. Both need the window open.
 *
 * @event at-message-send - The agent sent a text (`detail.body`); the page sends it.
 * @event at-message-sent - The composer sent a message itself (`detail.message`): a file, a
 *   template, a reply to a quoted message or a reaction.
 * @event at-typing - The agent is typing (at most every 3 s).
 *
 * @csspart base - The composer.
 */
export default class AtComposer extends AtendeElement {
  static override styles = styles;

  /** The conversation written to. */
  @property({ type: Number, attribute: "conversation-id" }) conversationId?: number;

  /** When the 24-hour window closes (ISO 8601); null when it never opened. */
  @property({ attribute: "window-closes-at" }) windowClosesAt: string | null = null;

  /** Quick replies; loaded on first `/` when not given. */
  @property({ attribute: false }) quickReplies?: QuickReplyPayload[];

  /** Templates for the picker; it loads them itself when not given. */
  @property({ attribute: false }) templates?: MessageTemplatePayload[];

  /** The customer's name, shown on a quote of their message. */
  @property({ attribute: "contact-name" }) contactName = "";

  @query("#composer") private textarea?: HTMLTextAreaElement;
  @query("#attach") private fileInput?: HTMLInputElement;

  @state() private now = Date.now();
  @state() private length = 0;
  @state() private draft = "";
  @state() private loadedQuickReplies: QuickReplyPayload[] = [];
  @state() private activeQuickReply = 0;
  @state() private menuClosed = false;
  /** The file being attached: uploading (with progress), then stored and waiting to be sent. */
  @state() private upload:
    | {
        name: string;
        kind: MediaKind;
        progress: number;
        handle: MediaUpload;
        stored: OutboundMediaPayload | undefined;
        sending: boolean;
      }
    | undefined;
  @state() private failure = "";
  /** The message the next text or file replies to. */
  @state() private quoted: MessagePayload | undefined;
  /** A reply to `quoted` is on its way. */
  @state() private sendingReply = false;

  private readonly text = composerText();
  /**
   * The idempotency key of the reply being sent: a retry after a failure whose answer was lost
   * reuses it, so the customer never gets the reply twice. A new draft or quote gets a new one.
   */
  private replyKey: string | undefined;
  /** The last reaction failure shown, cleared by the next reaction that goes. */
  private reactionFailure = "";
  private clock: ReturnType<typeof setInterval> | undefined;
  private lastTyping = 0;
  private quickRepliesRequested = false;

  override connectedCallback(): void {
    super.connectedCallback();
    // Checked every second, re-rendered only when the shown countdown changes.
    this.clock = setInterval(() => {
      const now = Date.now();
      if (
        this.countdown(now) !== this.countdown(this.now) ||
        this.windowOpenAt(now) !== this.windowOpenAt(this.now)
      ) {
        this.now = now;
      }
    }, 1_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.clock);
    this.upload?.handle.abort();
  }

  protected override willUpdate(changed: PropertyValues): void {
    // Once the window closes only templates may go: a pending quote has nowhere to go.
    if ((changed.has("now") || changed.has("windowClosesAt")) && !this.windowOpenAt(this.now)) {
      this.quoted = undefined;
    }
  }

  /**
   * Makes the next text or file a reply to `message` (it needs a wamid) and puts the cursor in
   * the input. Ignored while the window is closed.
   */
  async quote(message: MessagePayload): Promise<void> {
    if (message.wamid === null || !this.windowOpenAt(Date.now())) return;
    this.quoted = message;
    this.replyKey = undefined;
    await this.updateComplete;
    this.textarea?.focus();
  }

  /**
   * Sends `emoji` as the business's reaction to `message` at once (empty takes it back). Ignored
   * while the window is closed; a failure shows under the input.
   */
  async react(message: MessagePayload, emoji: string): Promise<void> {
    const conversationId = this.conversationId;
    if (conversationId === undefined || message.wamid === null) return;
    if (!this.windowOpenAt(Date.now())) return;
    try {
      const sent = await sendReaction(conversationId, message.id, emoji, crypto.randomUUID());
      // Clear only this kind of failure: a refused file's explanation must stay.
      if (this.failure === this.reactionFailure) this.failure = "";
      this.emit("at-message-sent", { message: sent });
    } catch (error) {
      this.reactionFailure = this.text.reactionFailed(this.reason(error));
      this.failure = this.reactionFailure;
    }
  }

  private async cancelQuote(): Promise<void> {
    this.quoted = undefined;
    this.replyKey = undefined;
    await this.updateComplete;
    this.textarea?.focus();
  }

  private handleComposerKeydown(event: KeyboardEvent): void {
    // The quick-reply menu takes Escape first (and marks it handled).
    if (event.key !== "Escape" || event.defaultPrevented || this.quoted === undefined) return;
    event.preventDefault();
    void this.cancelQuote();
  }

  private remainingAt(now: number): number {
    return this.windowClosesAt === null ? 0 : new Date(this.windowClosesAt).getTime() - now;
  }

  private windowOpenAt(now: number): boolean {
    return this.remainingAt(now) > 0;
  }

  private countdown(now: number): string {
    const remaining = this.remainingAt(now);
    return remaining > 0 ? this.text.windowCloses(remaining) : "";
  }

  /** Quick replies whose shortcut starts with what follows `/`. */
  private get quickReplyMatches(): QuickReplyPayload[] {
    const match = /^\/(\S*)$/.exec(this.draft);
    if (match === null || this.menuClosed) return [];
    const typed = (match[1] ?? "").toLowerCase();
    return (this.quickReplies ?? this.loadedQuickReplies)
      .filter((reply) => reply.shortcut.toLowerCase().startsWith(typed))
      .slice(0, QUICK_REPLY_ROWS);
  }

  private get menuOpen(): boolean {
    return /^\/\S*$/.test(this.draft) && !this.menuClosed;
  }

  private async loadQuickReplies(): Promise<void> {
    if (this.quickReplies !== undefined || this.quickRepliesRequested) return;
    this.quickRepliesRequested = true;
    try {
      this.loadedQuickReplies = await fetchQuickReplies();
    } catch {
      // Without quick replies the composer still sends text.
      this.loadedQuickReplies = [];
    }
  }

  private handleInput(): void {
    const value = this.textarea?.value ?? "";
    this.draft = value;
    this.length = value.length;
    if (value.startsWith("/")) void this.loadQuickReplies();
    else this.menuClosed = false;
    this.activeQuickReply = 0;
    this.replyKey = undefined;
    if (this.failure !== "" && this.upload === undefined) this.failure = "";
    const now = Date.now();
    if (now - this.lastTyping < TYPING_EVERY_MS) return;
    this.lastTyping = now;
    this.emit("at-typing");
  }

  private chooseQuickReply(reply: QuickReplyPayload): void {
    const textarea = this.textarea;
    if (textarea === undefined) return;
    textarea.value = reply.body.slice(0, OUTBOUND_LIMITS.textBody);
    this.draft = textarea.value;
    this.length = textarea.value.length;
    this.menuClosed = true;
    textarea.focus();
  }

  private handleKeydown(event: KeyboardEvent): void {
    const matches = this.quickReplyMatches;
    if (this.menuOpen && matches.length > 0) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        this.activeQuickReply = (this.activeQuickReply + step + matches.length) % matches.length;
        return;
      }
      if (event.key === "Enter" || event.key === "Tab") {
        const reply = matches[this.activeQuickReply];
        if (reply !== undefined) {
          event.preventDefault();
          this.chooseQuickReply(reply);
          return;
        }
      }
    }
    if (event.key === "Escape" && this.menuOpen) {
      event.preventDefault();
      this.menuClosed = true;
      return;
    }
    // Enter sends, Shift+Enter breaks the line.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      (event.target as HTMLTextAreaElement).form?.requestSubmit();
    }
  }

  private handleSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const body = this.textarea?.value ?? "";
    if (body.trim() === "" || this.sendingReply) return;
    if (body.length > OUTBOUND_LIMITS.textBody) {
      this.failure = this.text.tooLong(OUTBOUND_LIMITS.textBody);
      return;
    }
    if (this.quoted !== undefined) {
      void this.sendReply(body, this.quoted);
      return;
    }
    this.emit("at-message-send", { body });
    this.clearDraft();
  }

  private clearDraft(): void {
    if (this.textarea) this.textarea.value = "";
    this.draft = "";
    this.length = 0;
    this.failure = "";
  }

  /** Sends a text quoting `quoted`; the draft and the quote stay until the server took it. */
  private async sendReply(body: string, quoted: MessagePayload): Promise<void> {
    const conversationId = this.conversationId;
    if (conversationId === undefined) return;
    this.replyKey ??= crypto.randomUUID();
    this.sendingReply = true;
    try {
      const message = await sendText(conversationId, body, this.replyKey, {
        replyToMessageId: quoted.id,
      });
      this.replyKey = undefined;
      if (this.quoted === quoted) this.quoted = undefined;
      this.clearDraft();
      this.emit("at-message-sent", { message });
      this.textarea?.focus();
    } catch (error) {
      this.failure = this.text.replyFailed(this.reason(error));
    } finally {
      this.sendingReply = false;
    }
  }

  /** Why WhatsApp would refuse this file, in the agent's language, or undefined. */
  private refusal(file: File): string | undefined {
    const kind = mediaKindOf(file.type);
    if (kind === undefined) return this.text.fileType(file.name, file.type);
    if (file.size === 0) return this.text.fileEmpty(file.name);
    const max = MEDIA_LIMITS[kind].maxBytes;
    if (file.size > max) return this.text.fileSize(file.name, megabytes(max));
    return undefined;
  }

  private async handleFile(): Promise<void> {
    const input = this.fileInput;
    const file = input?.files?.[0];
    if (input) input.value = "";
    if (file === undefined || this.conversationId === undefined || this.upload !== undefined)
      return;
    const refusal = this.refusal(file);
    if (refusal !== undefined) {
      this.failure = refusal;
      return;
    }
    const kind = mediaKindOf(file.type) as MediaKind;
    this.failure = "";
    const handle = uploadMedia(this.conversationId, file, kind, (progress) => {
      if (this.upload?.handle === handle) this.upload = { ...this.upload, progress };
    });
    this.upload = { name: file.name, kind, progress: 0, handle, stored: undefined, sending: false };
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>("#caption, .composer__cancel")?.focus();
    try {
      const stored = await handle.result;
      if (this.upload?.handle === handle) this.upload = { ...this.upload, stored };
    } catch (error) {
      if (this.upload?.handle !== handle) return;
      this.upload = undefined;
      this.failure = this.text.uploadFailed(this.reason(error));
    }
  }

  private reason(error: unknown): string {
    return error instanceof ApiError && error.id !== "network_error" && error.message !== ""
      ? error.message
      : errorMessage(error instanceof ApiError ? error.id : "network_error");
  }

  /** Gives up the attachment: stops the upload, or forgets the stored file unsent. */
  private discardUpload(): void {
    const upload = this.upload;
    if (upload === undefined || upload.sending) return;
    this.upload = undefined;
    upload.handle.abort();
    this.textarea?.focus();
  }

  private async sendUpload(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const upload = this.upload;
    const conversationId = this.conversationId;
    if (upload?.stored === undefined || upload.sending || conversationId === undefined) return;
    const caption = (
      this.renderRoot.querySelector<HTMLInputElement>("#caption")?.value ?? ""
    ).trim();
    this.upload = { ...upload, sending: true };
    const media = {
      kind: upload.kind,
      uploadId: upload.stored.id,
      ...(caption === "" ? {} : { caption }),
      ...(upload.stored.filename === null ? {} : { filename: upload.stored.filename }),
    };
    const quoted = this.quoted;
    try {
      // The upload is claimed once: a retry with a new key is refused, never sent twice.
      const message = await sendMedia(
        conversationId,
        media,
        crypto.randomUUID(),
        quoted === undefined ? {} : { replyToMessageId: quoted.id },
      );
      this.upload = undefined;
      if (quoted !== undefined && this.quoted === quoted) this.quoted = undefined;
      this.emit("at-message-sent", { message });
      this.textarea?.focus();
    } catch (error) {
      this.upload = { ...upload, sending: false };
      this.failure = this.text.uploadFailed(this.reason(error));
    }
  }

  private renderQuickReplies() {
    if (!this.menuOpen) return nothing;
    const matches = this.quickReplyMatches;
    return html`<ul id="quick-replies" class="composer__menu" role="listbox" aria-label=${this.text.quickReplies}>
      ${
        matches.length === 0
          ? html`<li class="composer__menu-empty" role="presentation">${this.text.noQuickReplies}</li>`
          : matches.map(
              (reply, index) => html`<li
                id=${`quick-reply-${reply.id}`}
                role="option"
                class="composer__option"
                aria-selected=${index === this.activeQuickReply ? "true" : "false"}
                @mousedown=${(event: Event) => event.preventDefault()}
                @click=${() => this.chooseQuickReply(reply)}
              >
                <span class="composer__shortcut">/${reply.shortcut}</span>
                <span class="composer__option-title">${reply.title}</span>
              </li>`,
            )
      }
    </ul>`;
  }

  private renderUpload() {
    const upload = this.upload;
    if (upload === undefined) return nothing;
    const percent = Math.round(upload.progress * 100);
    const captioned =
      upload.kind === "image" || upload.kind === "video" || upload.kind === "document";
    return html`<form class="composer__upload" @submit=${this.sendUpload}>
      ${
        upload.stored === undefined
          ? html`<span role="status">${this.text.uploading(upload.name)}</span>
              <progress
                max="100"
                value=${percent}
                aria-label=${this.text.uploadProgress(upload.name)}
              ></progress>
              <span class="composer__percent">${percent}%</span>`
          : html`<span role="status">${this.text.uploaded(upload.name)}</span>`
      }
      ${
        captioned
          ? html`<label class="composer__caption">
              <span>${this.text.caption}</span>
              <input id="caption" type="text" maxlength=${OUTBOUND_LIMITS.caption} />
            </label>`
          : nothing
      }
      <button
        type="submit"
        class="composer__send"
        ?disabled=${upload.stored === undefined || upload.sending}
      >
        ${this.text.sendFile}
      </button>
      <button
        type="button"
        class="composer__secondary composer__cancel"
        ?disabled=${upload.sending}
        @click=${this.discardUpload}
      >
        ${upload.stored === undefined ? this.text.cancelUpload : this.text.discard}
      </button>
    </form>`;
  }

  private renderQuote() {
    const quoted = this.quoted;
    if (quoted === undefined) return nothing;
    const author =
      quoted.direction === "outbound" ? this.text.you : this.contactName || this.text.contact;
    return html`<div id="quote" class="composer__quote" role="group" aria-label=${this.text.replyingTo(author)}>
      <p class="composer__quote-body">
        <span class="composer__quote-author">${author}</span>
        <span class="composer__quote-text">${quotePreview(quoted)}</span>
      </p>
      <button
        type="button"
        class="composer__quote-cancel"
        aria-label=${this.text.cancelReply}
        title=${this.text.cancelReply}
        @click=${this.cancelQuote}
      >
        ×
      </button>
    </div>`;
  }

  override render() {
    const max = OUTBOUND_LIMITS.textBody;
    if (!this.windowOpenAt(this.now)) {
      return html`<div part="base" class="composer composer--closed">
        <p class="composer__closed" role="status">${this.text.windowClosed}</p>
        <at-template-picker
          conversation-id=${this.conversationId ?? ""}
          .templates=${this.templates}
        ></at-template-picker>
      </div>`;
    }
    const matches = this.quickReplyMatches;
    const active = this.menuOpen ? matches[this.activeQuickReply] : undefined;
    return html`<div part="base" class="composer" @keydown=${this.handleComposerKeydown}>
      <p class="composer__window" title=${this.text.windowHint}>
        <span>${this.countdown(this.now)}</span>
      </p>
      ${this.renderQuote()} ${this.renderUpload()}
      <p class="composer__failure" role="alert">${this.failure}</p>
      <form class="composer__form" @submit=${this.handleSubmit}>
        <input
          id="attach"
          type="file"
          hidden
          accept=${mediaKinds.flatMap((kind) => MEDIA_LIMITS[kind].mimeTypes).join(",")}
          @change=${this.handleFile}
        />
        <button
          type="button"
          class="composer__attach"
          aria-label=${this.text.attach}
          title=${this.text.attach}
          ?disabled=${this.upload !== undefined}
          @click=${() => this.fileInput?.click()}
        >
          ${paperclip}
        </button>
        <div class="composer__field">
          ${this.renderQuickReplies()}
          <label class="composer__label" for="composer">${this.text.message}</label>
          <textarea
            id="composer"
            rows="2"
            maxlength=${max}
            aria-describedby=${this.quoted === undefined ? "counter" : "quote counter"}
            aria-autocomplete="list"
            aria-controls="quick-replies"
            aria-expanded=${this.menuOpen ? "true" : "false"}
            aria-activedescendant=${active === undefined ? "" : `quick-reply-${active.id}`}
            @keydown=${this.handleKeydown}
            @input=${this.handleInput}
          ></textarea>
          <span
            id="counter"
            class="composer__counter ${this.length >= max ? "composer__counter--full" : ""}"
            >${this.text.counter(this.length, max)}</span
          >
        </div>
        <button type="submit" class="composer__send" ?disabled=${this.sendingReply}>
          ${this.text.send}
        </button>
      </form>
    </div>`;
  }
}
