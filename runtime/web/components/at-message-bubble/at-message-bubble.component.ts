import { html, nothing, svg, type TemplateResult } from "lit";
import { property } from "lit/decorators.js";
import type { MessageContent, MessagePayload } from "../../../contracts/messages.js";
import { failureReasonTexts } from "../../../contracts/whatsapp-failures.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { currentLocale, deliveryTicks, messagePreview, shortTime } from "../../messages.js";
import styles from "./at-message-bubble.styles.js";
import { messageBubbleText } from "./at-message-bubble.texts.js";

/** A reaction shown on the message it refers to. */
export interface BubbleReaction {
  emoji: string;
  direction: "inbound" | "outbound";
}

/** A document icon drawn inline (no emoji font needed). */
const documentIcon = html`<svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
  ${svg`<path d="M6 2h8l4 4v16H6z M14 2v4h4" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round" />`}
</svg>`;

/** Longest quote shown above a reply. */
const QUOTE_LENGTH = 120;

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

/** Text cut to `max` characters (code points) with an ellipsis. */
function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/**
 * @summary One message of any type as WhatsApp shows it: text, image (preview that opens full
 *   size), sticker, audio and video players, a document to download, a location with a map link,
 *   shared contacts, the customer's button or list choice, templates and interactive messages
 *   the business sent, a quote of the message replied to, reactions on it, and for what the
 *   business sent the delivery ticks and, when it failed, why. Everything is rendered as text:
 *   markup in a message never runs.
 *
 * @csspart bubble - The bubble.
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
        return html`${interactive.header ? html`<p class="bubble__title">${interactive.header}</p>` : nothing}
          <p class="bubble__text">${interactive.body}</p>
          ${interactive.footer ? html`<p class="bubble__muted">${interactive.footer}</p>` : nothing}
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
    const quote =
      this.quoted === undefined
        ? this.text.quoteMissing
        : shorten(messagePreview(this.quoted), QUOTE_LENGTH);
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
    return html`<div part="bubble" class="bubble">
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
      ${this.renderReactions()}`;
  }
}
