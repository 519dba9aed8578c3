import { html, nothing, svg, type TemplateResult } from "lit";
import { property, state } from "lit/decorators.js";
import type { MessageContent, MessagePayload } from "../../../contracts/messages.js";
import { failureReasonTexts } from "../../../contracts/whatsapp-failures.js";
import { AtendeElement } from "../../internal/atende-element.js";
import {
  currentLocale,
  deliveryTicks,
  messagePreview,
  quotePreview,
  shorten,
  shortTime,
} from "../../messages.js";
import styles from "./at-message-bubble.styles.js";
import { messageBubbleText } from "./at-message-bubble.texts.js";
import "../../events/at-message-react.js";
import "../../events/at-message-reply.js";

/** A reaction shown on the message it refers to. */
export interface BubbleReaction {
  emoji: string;
  direction: "inbound" | "outbound";
}

/** A document icon drawn inline (no emoji font needed). */
const documentIcon = html`<svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
  ${svg`<path d="M6 2h8l4 4v16H6z M14 2v4h4" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round" />`}
</svg>`;

/** The emojis offered to react with (WhatsApp's quick set). */
export const REACTION_EMOJIS = ["👍", "❤️", "😂", "😮", "😢", "🙏"] as const;

/** A message's header (as a title), body and footer, as WhatsApp lays them out. */
function framedText(parts: { header: string | null; body: string; footer: string | null }) {
  return html`${parts.header ? html`<p class="bubble__title">${parts.header}</p>` : nothing}
    <p class="bubble__text">${parts.body}</p>
    ${parts.footer ? html`<p class="bubble__muted">${parts.footer}</p>` : nothing}`;
}

/** Only http(s) addresses become links; anything else (javascript:, data:, …) stays text. */
export function safeHttpUrl(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Where the browser fetches a message's stored file (the runtime's visibility-checked route). */
export function mediaUrl(message: Pick<MessagePayload, "id" | "conversationId">): string {
  return `/api/conversations/${message.conversationId}/messages/${message.id}/media`;
}

/** 1536 → "1,5 KB". */
function fileSize(bytes: number | null): string {
  if (bytes === null) return "";
  const locale = currentLocale();
  const units = ["B", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toLocaleString(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 })} ${units[unit]}`;
}

/**
 * @summary One message of any type as WhatsApp shows it: text, image (preview that opens full
 *   size), sticker, audio and video players, a document to download, a location with a map link,
 *   shared contacts, the customer's button or list choice, templates and interactive messages
 *   the business sent, a quote of the message replied to, reactions on it, and for what the
 *   business sent the delivery ticks and, when it failed, why. Everything is rendered as text:
 *   markup in a message never runs. While the business may answer (`respondable`), a message
 *   WhatsApp knows (it has a wamid) offers "Responder", and a customer's message also "Reagir"
 *   with a few emojis; both are buttons, reachable with Tab.
 *
 * @event at-message-reply - The agent chose to reply to this message (`detail.messageId`).
 * @event at-message-react - The agent picked an emoji for this message (`detail.messageId`,
 *   `detail.emoji`; empty when they took their reaction back by picking it again).
 *
 * @csspart bubble - The bubble.
 * @csspart actions - The reply and react buttons.
 */
export default class AtMessageBubble extends AtendeElement {
  static override styles = styles;

  /** The message shown. */
  @property({ attribute: false }) message?: MessagePayload;

  /** The message it replies to, when it is loaded (else a generic "earlier message" quote). */
  @property({ attribute: false }) quoted?: MessagePayload;

  /** Reactions to this message, latest per person. */
  @property({ attribute: false }) reactions: BubbleReaction[] = [];

  /** Who sent it, reflected so the bubble's colour and side follow. */
  @property({ reflect: true }) direction: "inbound" | "outbound" = "inbound";

  /**
   * Offers reply and react: the thread sets it while free-form messages may go (the 24-hour
   * window is open), since a reply or a reaction is one.
   */
  @property({ type: Boolean, reflect: true }) respondable = false;

  /** Whether the emoji choice is open. */
  @state() private choosingReaction = false;

  private readonly text = messageBubbleText();

  override willUpdate(): void {
    if (this.message) this.direction = this.message.direction;
  }

  private renderMediaState(message: MessagePayload): TemplateResult | undefined {
    if (message.media === null) return undefined;
    if (message.media.status === "pending") {
      return html`<p class="bubble__media-state" role="status">${this.text.downloading}</p>`;
    }
    if (message.media.status === "failed") {
      return html`<p class="bubble__media-state bubble__media-state--failed">
        ${this.text.mediaFailed(message.media.error ?? "?")}
      </p>`;
    }
    return undefined;
  }

  private renderMedia(
    message: MessagePayload,
    content: Extract<
      MessageContent,
      { type: "image" | "audio" | "video" | "document" | "sticker" }
    >,
  ) {
    const caption = content.caption
      ? html`<p class="bubble__text">${content.caption}</p>`
      : nothing;
    // Media the business sent by public link has no stored file: show the link itself.
    const link = message.media === null ? safeHttpUrl(content.link) : undefined;
    const state = this.renderMediaState(message);
    const source = link ?? mediaUrl(message);
    if (state !== undefined || (message.media === null && link === undefined)) {
      const label =
        content.type === "audio" && content.voice ? this.text.voice : this.text[content.type];
      return html`<p class="bubble__kind">${label}</p>
        ${state ?? nothing} ${caption}`;
    }
    switch (content.type) {
      case "image":
      case "sticker": {
        const alt =
          content.type === "sticker" ? this.text.sticker : this.text.imageFrom(content.caption);
        return html`<a
            class="bubble__image-link"
            href=${source}
            target="_blank"
            rel="noopener noreferrer"
            aria-label=${`${this.text.openFull}: ${alt}`}
            ><img
              class="bubble__${content.type}"
              src=${source}
              alt=${alt}
              loading="lazy"
              decoding="async"
          /></a>
          ${caption}`;
      }
      case "audio":
        return html`<p class="bubble__kind">
            ${content.voice ? this.text.voice : this.text.audio}
          </p>
          <audio
            class="bubble__audio"
            controls
            preload="metadata"
            src=${source}
            aria-label=${content.voice ? this.text.voice : this.text.audio}
          ></audio>`;
      case "video":
        return html`<video
            class="bubble__video"
            controls
            preload="metadata"
            src=${source}
            aria-label=${content.caption ?? this.text.video}
          ></video>
          ${caption}`;
      case "document": {
        const name = content.filename ?? this.text.document;
        return html`<a class="bubble__document" href=${source} download=${name} rel="noopener"
            >${documentIcon}
            <span class="bubble__document-name">${name}</span>
            <span class="bubble__document-size">${message.media ? fileSize(message.media.sizeBytes) : ""}</span>
            <span class="bubble__visually-hidden">${this.text.download(name)}</span></a
          >
          ${caption}`;
      }
    }
  }

  private renderContent(message: MessagePayload) {
    const content = message.content;
    switch (content.type) {
      case "text":
        return html`<p class="bubble__text">${content.body}</p>`;
      case "image":
      case "audio":
      case "video":
      case "document":
      case "sticker":
        return this.renderMedia(message, content);
      case "location": {
        const lat = Number(content.latitude);
        const lon = Number(content.longitude);
        const valid = Number.isFinite(lat) && Number.isFinite(lon);
        const map = valid
          ? `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`
          : undefined;
        const site = safeHttpUrl(content.url);
        return html`<p class="bubble__kind">${this.text.location}</p>
          ${content.name ? html`<p class="bubble__title">${content.name}</p>` : nothing}
          ${content.address ? html`<p class="bubble__text">${content.address}</p>` : nothing}
          ${
            map
              ? html`<p>
                <a href=${map} target="_blank" rel="noopener noreferrer"
                  >${this.text.openMap} (${lat.toFixed(5)}, ${lon.toFixed(5)})</a
                >
              </p>`
              : nothing
          }
          ${site ? html`<p><a href=${site} target="_blank" rel="noopener noreferrer">${site}</a></p>` : nothing}`;
      }
      case "contacts":
        return html`<p class="bubble__kind">${this.text.contacts}</p>
          <ul class="bubble__contacts">
            ${content.contacts.map(
              (contact) => html`<li>
                <p class="bubble__title">${contact.name}</p>
                ${contact.organization ? html`<p class="bubble__muted">${contact.organization}</p>` : nothing}
                ${contact.phones.map(
                  (phone) =>
                    html`<p><span class="bubble__muted">${this.text.phone}:</span> ${phone.phone}</p>`,
                )}
                ${contact.emails.map(
                  (email) =>
                    html`<p><span class="bubble__muted">${this.text.email}:</span> ${email.email}</p>`,
                )}
              </li>`,
            )}
          </ul>`;
      case "interactive":
        if (content.responseJson !== null) {
          return html`<p class="bubble__kind">${this.text.flowAnswer}</p>
            <pre class="bubble__pre">${shorten(content.responseJson, 1000)}</pre>`;
        }
        return html`<p class="bubble__kind">${this.text.reply}</p>
          <p class="bubble__title">${content.title ?? content.id ?? ""}</p>
          ${content.description ? html`<p class="bubble__muted">${content.description}</p>` : nothing}`;
      case "button":
        return html`<p class="bubble__kind">${this.text.button}</p>
          <p class="bubble__title">${content.text}</p>`;
      case "reaction":
        return html`<p class="bubble__muted">
          ${content.emoji ? this.text.reactedWith(content.emoji) : this.text.reactionRemoved}
        </p>`;
      case "interactive_message": {
        const { interactive } = content;
        return html`${framedText(interactive)}
          <ul class="bubble__choices" aria-label=${this.text.choices}>
            ${
              interactive.kind === "buttons"
                ? interactive.buttons.map((button) => html`<li>${button.title}</li>`)
                : interactive.sections.flatMap((section) =>
                    section.rows.map((row) => html`<li>${row.title}</li>`),
                  )
            }
          </ul>`;
      }
      case "template": {
        const { template } = content;
        const sent = template.text;
        if (sent && sent.body !== null) {
          return html`<p class="bubble__kind">${this.text.template(template.name)}</p>
            ${framedText({ ...sent, body: sent.body })}`;
        }
        // Stored before the text was kept, or a template never synced here: its parameters.
        const values = [
          ...(template.header?.type === "text" ? [template.header.text] : []),
          ...template.body.map((parameter) => (parameter.type === "text" ? parameter.text : "")),
        ].filter((value) => value !== "");
        return html`<p class="bubble__kind">${this.text.template(template.name)}</p>
          ${values.length > 0 ? html`<p class="bubble__text">${values.join(" · ")}</p>` : nothing}`;
      }
      case "unsupported":
        return html`<p class="bubble__muted">${content.body ?? this.text.unsupported}</p>
          ${content.errorTitle ? html`<p class="bubble__muted">${content.errorTitle}</p>` : nothing}`;
      default:
        return html`<p class="bubble__text">${messagePreview(message)}</p>`;
    }
  }

  private renderQuote(message: MessagePayload) {
    if (message.replyToWamid === null || message.content.type === "reaction") return nothing;
    const quote = this.quoted === undefined ? this.text.quoteMissing : quotePreview(this.quoted);
    return html`<blockquote class="bubble__quote"><span class="bubble__visually-hidden">${this.text.quote}:</span><span class="bubble__quote-text">${quote}</span></blockquote>`;
  }

  private renderReactions() {
    if (this.reactions.length === 0) return nothing;
    const list = this.reactions.map((reaction) => reaction.emoji).join(" ");
    return html`<p class="bubble__reactions" aria-label=${this.text.reactions(list)}>
      ${this.reactions.map(
        (reaction) =>
          html`<span class="bubble__reaction bubble__reaction--${reaction.direction}">${reaction.emoji}</span>`,
      )}
    </p>`;
  }

  /** The business's own reaction to this message, if any. */
  private get ownReaction(): string | undefined {
    return this.reactions.find((reaction) => reaction.direction === "outbound")?.emoji;
  }

  private async openReactions(): Promise<void> {
    this.choosingReaction = !this.choosingReaction;
    if (!this.choosingReaction) return;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>(".bubble__emoji")?.focus();
  }

  private async closeReactions(): Promise<void> {
    this.choosingReaction = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>(".bubble__react")?.focus();
  }

  private chooseReaction(messageId: number, emoji: string): void {
    // Picking the emoji already sent takes it back, as on the phone.
    this.emit("at-message-react", { messageId, emoji: emoji === this.ownReaction ? "" : emoji });
    void this.closeReactions();
  }

  private handleActionsKeydown(event: KeyboardEvent): void {
    if (!this.choosingReaction) return;
    if (event.key === "Escape") {
      event.preventDefault();
      void this.closeReactions();
      return;
    }
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    const emojis = [...this.renderRoot.querySelectorAll<HTMLButtonElement>(".bubble__emoji")];
    const index = emojis.indexOf(event.target as HTMLButtonElement);
    if (index === -1) return;
    event.preventDefault();
    const step = event.key === "ArrowRight" ? 1 : -1;
    emojis[(index + step + emojis.length) % emojis.length]?.focus();
  }

  private handleActionsFocusout(event: FocusEvent): void {
    const next = event.relatedTarget as Node | null;
    const actions = event.currentTarget as HTMLElement;
    if (this.choosingReaction && (next === null || !actions.contains(next))) {
      this.choosingReaction = false;
    }
  }

  private renderActions(message: MessagePayload) {
    if (!this.respondable || message.wamid === null || message.content.type === "reaction") {
      return nothing;
    }
    const messageId = message.id;
    const reactable = message.direction === "inbound";
    const own = this.ownReaction;
    return html`<div
      part="actions"
      class="bubble__actions"
      role="group"
      aria-label=${this.text.actions}
      @keydown=${this.handleActionsKeydown}
      @focusout=${this.handleActionsFocusout}
    >
      <button
        type="button"
        class="bubble__action bubble__reply"
        aria-describedby="content"
        @click=${() => this.emit("at-message-reply", { messageId })}
      >
        ${this.text.replyAction}
      </button>
      ${
        reactable
          ? html`<button
              type="button"
              class="bubble__action bubble__react"
              aria-describedby="content"
              aria-expanded=${this.choosingReaction ? "true" : "false"}
              aria-controls=${this.choosingReaction ? "reactions-choice" : nothing}
              @click=${this.openReactions}
            >
              ${this.text.reactAction}
            </button>`
          : nothing
      }
      ${
        reactable && this.choosingReaction
          ? html`<div id="reactions-choice" class="bubble__emojis" role="group" aria-label=${this.text.chooseReaction}>
              ${REACTION_EMOJIS.map(
                (emoji) => html`<button
                  type="button"
                  class="bubble__emoji"
                  aria-label=${this.text.reactWith(emoji)}
                  aria-pressed=${emoji === own ? "true" : "false"}
                  title=${emoji === own ? this.text.removeReaction : this.text.reactWith(emoji)}
                  @click=${() => this.chooseReaction(messageId, emoji)}
                >
                  ${emoji}
                </button>`,
              )}
            </div>`
          : nothing
      }
    </div>`;
  }

  override render() {
    const message = this.message;
    if (message === undefined) return nothing;
    const ticks = message.direction === "outbound" ? deliveryTicks(message.status) : undefined;
    const reason =
      message.failureReason === null ? undefined : failureReasonTexts[message.failureReason];
    const failure =
      reason === undefined ? undefined : currentLocale() === "en" ? reason.en : reason.ptBR;
    const tickLabel = ticks?.label ?? "";
    const read = message.status === "read" || message.status === "played";
    return html`<div part="bubble" class="bubble" id="content">
        ${this.renderQuote(message)} ${this.renderContent(message)}
        <span class="bubble__meta">
          <time datetime=${message.sentAt}>${shortTime(message.sentAt)}</time>
          ${
            ticks?.ticks
              ? html`<span
                class="bubble__ticks ${read ? "bubble__ticks--read" : ""}"
                title=${tickLabel}
                aria-label=${tickLabel}
                >${ticks.ticks}</span
              >`
              : nothing
          }
        </span>
        ${failure ? html`<p class="bubble__failure" role="note">${failure}</p>` : nothing}
      </div>
      ${this.renderReactions()} ${this.renderActions(message)}`;
  }
}
