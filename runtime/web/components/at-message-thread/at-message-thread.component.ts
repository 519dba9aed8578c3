import { html, type PropertyValues } from "lit";
import { property, query, state } from "lit/decorators.js";
import type { ConversationSummaryPayload } from "../../../contracts/conversations.js";
import type { MessagePayload } from "../../../contracts/messages.js";
import { failureReasonTexts } from "../../../contracts/whatsapp-failures.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { deliveryTicks, messagePreview, shortTime } from "../../messages.js";
import styles from "./at-message-thread.styles.js";
import "../../events/at-message-send.js";
import "../../events/at-typing.js";

/** How often typing is announced while the agent keeps typing (WhatsApp shows it ~25 s). */
const TYPING_EVERY_MS = 10_000;

/**
 * @summary One conversation: its messages, oldest first, with ticks for what the business sent
 *   and the reason when a message failed, and a text composer. When WhatsApp's 24-hour window
 *   is closed the composer says so instead of accepting free text.
 *
 * @event at-message-send - The agent sent a text.
 * @event at-typing - The agent is typing (at most every 10 s): the customer sees "digitando…".
 *
 * @csspart base - The thread.
 */
export default class AtMessageThread extends AtendeElement {
  static override styles = styles;

  /** The conversation shown. */
  @property({ attribute: false }) conversation?: ConversationSummaryPayload;

  /** Its messages, oldest first. */
  @property({ attribute: false }) messages: MessagePayload[] = [];

  @query(".thread__messages") private scroller?: HTMLElement;
  @query("#composer") private composer?: HTMLTextAreaElement;

  /** Re-rendered every minute so the window's state stays true while the thread is open. */
  @state() private now = Date.now();
  private clock: ReturnType<typeof setInterval> | undefined;
  private lastTyping = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    this.clock = setInterval(() => {
      this.now = Date.now();
    }, 60_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.clock);
  }

  protected override updated(changed: PropertyValues<this>): void {
    // New messages scroll into view, like every chat app.
    if (changed.has("messages") && this.scroller)
      this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  private get windowOpen(): boolean {
    const closes = this.conversation?.windowClosesAt;
    return closes !== null && closes !== undefined && new Date(closes).getTime() > this.now;
  }

  private handleSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const body = this.composer?.value ?? "";
    if (body.trim() === "") return;
    this.emit("at-message-send", { body });
    if (this.composer) this.composer.value = "";
  }

  private handleInput(): void {
    const now = Date.now();
    if (now - this.lastTyping < TYPING_EVERY_MS) return;
    this.lastTyping = now;
    this.emit("at-typing");
  }

  private handleKeydown(event: KeyboardEvent): void {
    // Enter sends, Shift+Enter breaks the line.
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      (event.target as HTMLTextAreaElement).form?.requestSubmit();
    }
  }

  private renderMessage(message: MessagePayload) {
    const ticks = message.direction === "outbound" ? deliveryTicks(message.status) : undefined;
    const failure =
      message.failureReason === null ? undefined : failureReasonTexts[message.failureReason]?.ptBR;
    return html`<li class="thread__message thread__message--${message.direction}">
      <p class="thread__text">${messagePreview(message)}</p>
      <span class="thread__meta">
        <time>${shortTime(message.sentAt)}</time>
        ${ticks ? html`<span class="thread__ticks ${message.status === "read" || message.status === "played" ? "thread__ticks--read" : ""}" title=${ticks.label} aria-label=${ticks.label}>${ticks.ticks}</span>` : ""}
      </span>
      ${failure ? html`<p class="thread__failure" role="note">${failure}</p>` : ""}
    </li>`;
  }

  override render() {
    if (this.conversation === undefined) {
      return html`<p class="thread__placeholder">Escolha uma conversa</p>`;
    }
    const { contact } = this.conversation;
    return html`
      <section part="base" class="thread" aria-label="Conversa com ${contact.name ?? contact.waId ?? "contato"}">
        <header class="thread__header">
          <h2 class="thread__title">${contact.name ?? contact.waId ?? "Contato"}</h2>
          ${contact.name && contact.waId ? html`<span class="thread__number">+${contact.waId}</span>` : ""}
        </header>
        <ol class="thread__messages" aria-live="polite">
          ${this.messages.map((message) => this.renderMessage(message))}
        </ol>
        ${
          this.windowOpen
            ? html`<form class="thread__composer" @submit=${this.handleSubmit}>
                <label class="thread__label" for="composer">Mensagem</label>
                <textarea
                  id="composer"
                  rows="2"
                  maxlength="4096"
                  @keydown=${this.handleKeydown}
                  @input=${this.handleInput}
                ></textarea>
                <button type="submit">Enviar</button>
              </form>`
            : html`<p class="thread__closed" role="status">
                A janela de 24 horas do WhatsApp está fechada: só um modelo aprovado pode reabrir a
                conversa.
              </p>`
        }
      </section>
    `;
  }
}
