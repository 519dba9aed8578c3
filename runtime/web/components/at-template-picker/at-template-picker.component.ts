import { html, nothing } from "lit";
import { property, state } from "lit/decorators.js";
import type { OutboundMessage } from "../../../contracts/outbound-messages.js";
import {
  fillTemplateText,
  type MessageTemplatePayload,
  templateComponentText,
} from "../../../contracts/templates.js";
import { ApiError } from "../../api/client.js";
import { sendTemplate } from "../../api/conversations.js";
import { fetchTemplates } from "../../api/whatsapp.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { errorMessage } from "../../messages.js";
import styles from "./at-template-picker.styles.js";
import { templatePickerText } from "./at-template-picker.texts.js";
import "../../events/at-message-sent.js";

type TemplateMessage = Omit<Extract<OutboundMessage, { type: "template" }>, "type">;

/** One variable to fill: where it goes and its name (`1` or a named one). */
interface Slot {
  key: string;
  part: "header" | "body" | "button";
  name: string;
  buttonIndex?: number;
}

/** Longest value Meta accepts for a text parameter. */
const VARIABLE_MAX = 1024;

const positional = /^\d+$/;

/** `{{1}}` before `{{2}}`…; named ones keep their order. */
function ordered(names: string[]): string[] {
  return names.every((name) => positional.test(name))
    ? [...names].sort((a, b) => Number(a) - Number(b))
    : names;
}

/** Whether the template's header is a file or a location (which needs more than text). */
function hasMediaHeader(template: MessageTemplatePayload): boolean {
  const header = template.components?.find(
    (candidate) => String(candidate.type).toUpperCase() === "HEADER",
  );
  return header !== undefined && (header.format ?? "TEXT") !== "TEXT";
}

/**
 * @summary Picks an approved WhatsApp template, asks for each of its variables (header, body and
 *   dynamic link buttons; all required) and shows a live preview of the filled text; sends it to
 *   the conversation. The composer shows it when the 24-hour window is closed, the only time a
 *   business may write first.
 *
 * @event at-message-sent - The template was stored for sending; `detail.message` is it.
 *
 * @csspart base - The form.
 */
export default class AtTemplatePicker extends AtendeElement {
  static override styles = styles;

  /** The conversation the template goes to. */
  @property({ type: Number, attribute: "conversation-id" }) conversationId?: number;

  /**
   * Templates to choose from (only `APPROVED` ones are offered). When not given, the picker loads
   * them itself (`GET /api/whatsapp/templates`).
   */
  @property({ attribute: false }) templates?: MessageTemplatePayload[];

  @state() private loaded: MessageTemplatePayload[] = [];
  @state() private selectedId: number | undefined;
  @state() private values: Record<string, string> = {};
  @state() private sending = false;
  @state() private status = "";
  @state() private failure = "";

  private readonly text = templatePickerText();
  private loading = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    if (this.templates !== undefined || this.loading) return;
    this.loading = true;
    try {
      this.loaded = await fetchTemplates();
    } catch {
      this.failure = this.text.loadFailed;
    } finally {
      this.loading = false;
    }
  }

  private get approved(): MessageTemplatePayload[] {
    return (this.templates ?? this.loaded).filter((template) => template.status === "APPROVED");
  }

  private get selected(): MessageTemplatePayload | undefined {
    return this.approved.find((template) => template.id === this.selectedId);
  }

  private slots(template: MessageTemplatePayload): Slot[] {
    const { variables } = template;
    return [
      ...ordered(variables.header).map(
        (name): Slot => ({ key: `header.${name}`, part: "header", name }),
      ),
      ...ordered(variables.body).map((name): Slot => ({ key: `body.${name}`, part: "body", name })),
      ...variables.buttons.flatMap((button) =>
        button.variables.map(
          (name): Slot => ({
            key: `button.${button.index}.${name}`,
            part: "button",
            name,
            buttonIndex: button.index,
          }),
        ),
      ),
    ];
  }

  private slotLabel(slot: Slot): string {
    if (slot.part === "header") return this.text.headerVariable(slot.name);
    if (slot.part === "body") return this.text.bodyVariable(slot.name);
    return this.text.buttonVariable(slot.buttonIndex ?? 0, slot.name);
  }

  private filled(template: MessageTemplatePayload): boolean {
    return this.slots(template).every((slot) => (this.values[slot.key] ?? "").trim() !== "");
  }

  /** The text with each `{{name}}` replaced by what was typed (or left as `{{name}}`). */
  private fill(text: string | undefined, part: "header" | "body"): string {
    if (text === undefined) return "";
    return fillTemplateText(text, (name) => (this.values[`${part}.${name}`] ?? "").trim());
  }

  private message(template: MessageTemplatePayload): TemplateMessage {
    const named = template.parameterFormat === "NAMED";
    const parameter = (slot: Slot) => ({
      type: "text" as const,
      text: (this.values[slot.key] ?? "").trim(),
      ...(named ? { name: slot.name } : {}),
    });
    const slots = this.slots(template);
    const header = slots.find((slot) => slot.part === "header");
    const body = slots.filter((slot) => slot.part === "body");
    const buttons = slots.filter((slot) => slot.part === "button");
    return {
      name: template.name,
      language: template.language,
      ...(header === undefined ? {} : { header: parameter(header) }),
      ...(body.length === 0 ? {} : { body: body.map(parameter) }),
      ...(buttons.length === 0
        ? {}
        : {
            buttons: buttons.map((slot) => ({
              index: slot.buttonIndex ?? 0,
              subType: "url" as const,
              value: (this.values[slot.key] ?? "").trim(),
            })),
          }),
    };
  }

  private handleChoose(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    this.selectedId = value === "" ? undefined : Number(value);
    this.values = {};
    this.status = "";
    this.failure = "";
  }

  private handleInput(key: string, event: Event): void {
    this.values = { ...this.values, [key]: (event.target as HTMLInputElement).value };
  }

  private async handleSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const template = this.selected;
    if (template === undefined || this.conversationId === undefined || this.sending) return;
    if (!this.filled(template)) {
      this.failure = this.text.required;
      return;
    }
    this.sending = true;
    this.failure = "";
    try {
      const message = await sendTemplate(
        this.conversationId,
        this.message(template),
        crypto.randomUUID(),
      );
      this.status = this.text.sent(template.name);
      this.values = {};
      this.emit("at-message-sent", { message });
    } catch (error) {
      const reason =
        error instanceof ApiError && error.id !== "network_error" && error.message !== ""
          ? error.message
          : errorMessage(error instanceof ApiError ? error.id : "network_error");
      this.failure = this.text.sendFailed(reason);
    } finally {
      this.sending = false;
    }
  }

  private renderPreview(template: MessageTemplatePayload) {
    const header = this.fill(templateComponentText(template.components, "HEADER"), "header");
    const body = this.fill(templateComponentText(template.components, "BODY"), "body");
    const footer = templateComponentText(template.components, "FOOTER") ?? "";
    return html`<p class="picker__preview-label" aria-hidden="true">${this.text.preview}</p>
      <section class="picker__preview" aria-label=${this.text.preview} aria-live="polite">
      ${header ? html`<p class="picker__preview-header">${header}</p>` : nothing}
      <p class="picker__preview-body">${body}</p>
      ${footer ? html`<p class="picker__preview-footer">${footer}</p>` : nothing}
    </section>`;
  }

  override render() {
    const templates = this.approved;
    const template = this.selected;
    const ready = template !== undefined && this.filled(template) && !this.sending;
    return html`<form part="base" class="picker" @submit=${this.handleSubmit} novalidate>
      <fieldset class="picker__fieldset">
        <legend class="picker__legend">${this.text.legend}</legend>
        ${
          templates.length === 0 && !this.loading
            ? html`<p class="picker__muted">${this.text.none}</p>`
            : html`<label class="picker__label" for="template">${this.text.template}</label>
              <select id="template" @change=${this.handleChoose}>
                <option value="" ?selected=${template === undefined}>${this.text.choose}</option>
                ${templates.map(
                  (candidate) =>
                    html`<option
                      value=${candidate.id}
                      ?selected=${candidate.id === this.selectedId}
                      ?disabled=${hasMediaHeader(candidate)}
                    >
                      ${candidate.name} (${candidate.language})${hasMediaHeader(candidate) ? ` — ${this.text.mediaHeader}` : ""}
                    </option>`,
                )}
              </select>`
        }
        ${
          template === undefined
            ? nothing
            : html`${this.slots(template).map(
                (slot) => html`<label class="picker__label" for=${`var-${slot.key}`}
                    >${this.slotLabel(slot)}</label
                  >
                  <input
                    id=${`var-${slot.key}`}
                    type="text"
                    required
                    aria-required="true"
                    maxlength=${VARIABLE_MAX}
                    .value=${this.values[slot.key] ?? ""}
                    @input=${(event: Event) => this.handleInput(slot.key, event)}
                  />`,
              )}
              ${this.renderPreview(template)}`
        }
        <p class="picker__status" role="status">${this.status}</p>
        <p class="picker__failure" role="alert">${this.failure}</p>
        <button type="submit" ?disabled=${!ready} aria-disabled=${String(!ready)}>
          ${this.sending ? this.text.sending : this.text.send}
        </button>
        ${template !== undefined && !this.filled(template) ? html`<p class="picker__muted">${this.text.required}</p>` : nothing}
      </fieldset>
    </form>`;
  }
}
