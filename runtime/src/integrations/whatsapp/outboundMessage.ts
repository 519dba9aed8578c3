import type { MessageContent, TemplateParameter } from "../../../contracts/messages.js";
import type { OutboundMessage } from "../../../contracts/outbound-messages.js";
import {
  type FilledTemplateText,
  fillTemplateText,
  templateComponentText,
} from "../../../contracts/templates.js";

/**
 * What the send job needs besides the recipient, stored on `messages.outbound_request` when the
 * API accepts a message (never in job data): the validated message plus the wamids it points at,
 * resolved from message ids of the same conversation.
 */
export interface StoredOutboundRequest {
  message: OutboundMessage;
  /** `context.message_id`: the quoted message. */
  contextWamid: string | null;
  /** The wamid a reaction targets. */
  reactionWamid: string | null;
}

/** Who receives a message: the phone number (wa_id) when known, else the BSUID (A9). */
export interface Recipient {
  waId: string | null;
  userId: string | null;
}

/** The stored `messages.type` of an outbound message. */
export function storedType(message: OutboundMessage): string {
  if (message.type === "buttons" || message.type === "list") return "interactive";
  return message.type;
}

type TemplateMessage = Extract<OutboundMessage, { type: "template" }>;

/**
 * The text a template message puts on the customer's screen: the synced template's header,
 * body and footer with `{{1}}`… (or `{{name}}`) filled from the message's parameters.
 */
export function filledTemplateText(
  components: ReadonlyArray<Record<string, unknown>>,
  message: TemplateMessage,
): FilledTemplateText {
  // Named parameters by name, the others by position ({{1}} is the first).
  const valuesOf = (parameters: readonly TemplateParameter[]) => (name: string) => {
    const parameter = parameters.find((candidate, position) =>
      candidate.type === "text" && candidate.name !== undefined
        ? candidate.name === name
        : String(position + 1) === name,
    );
    return parameter?.type === "text" ? parameter.text : undefined;
  };
  const part = (type: "HEADER" | "BODY" | "FOOTER", parameters: readonly TemplateParameter[]) => {
    const text = templateComponentText(components, type);
    return text === undefined ? null : fillTemplateText(text, valuesOf(parameters));
  };
  return {
    header: part("HEADER", message.header === undefined ? [] : [message.header]),
    body: part("BODY", message.body ?? []),
    footer: part("FOOTER", []),
  };
}

/** Body or caption, for previews and search (`messages.text`). */
export function previewText(message: OutboundMessage): string | null {
  switch (message.type) {
    case "text":
      return message.body;
    case "image":
    case "video":
    case "document":
      return message.caption ?? null;
    case "buttons":
    case "list":
      return message.body;
    case "template":
      return message.body?.map((parameter) => parameter.text).join(" ") || null;
    default:
      return null;
  }
}

/** The render-ready content stored for an outbound message (`contracts/messages.ts`). */
export function outboundContent(
  message: OutboundMessage,
  resolved: {
    reactionWamid: string | null;
    mimeType: string | null;
    templateText?: FilledTemplateText | null;
  },
): MessageContent {
  switch (message.type) {
    case "text":
      return { type: "text", body: message.body };
    case "image":
    case "video":
    case "audio":
    case "document":
    case "sticker":
      return {
        type: message.type,
        caption: "caption" in message ? (message.caption ?? null) : null,
        mimeType: resolved.mimeType,
        filename: message.type === "document" ? (message.filename ?? null) : null,
        voice: message.type === "audio" ? message.voice === true : false,
        animated: false,
        link: message.link ?? null,
      };
    case "buttons":
      return {
        type: "interactive_message",
        interactive: {
          kind: "buttons",
          header: message.header ?? null,
          body: message.body,
          footer: message.footer ?? null,
          buttons: message.buttons,
        },
      };
    case "list":
      return {
        type: "interactive_message",
        interactive: {
          kind: "list",
          header: message.header ?? null,
          body: message.body,
          footer: message.footer ?? null,
          button: message.button,
          sections: message.sections.map((section) => ({
            title: section.title ?? null,
            rows: section.rows.map((row) => ({
              id: row.id,
              title: row.title,
              description: row.description ?? null,
            })),
          })),
        },
      };
    case "template":
      return {
        type: "template",
        template: {
          name: message.name,
          language: message.language,
          header: message.header ?? null,
          body: message.body ?? [],
          buttons: message.buttons ?? [],
          text: resolved.templateText ?? null,
        },
      };
    case "reaction":
      return {
        type: "reaction",
        targetWamid: resolved.reactionWamid ?? "",
        emoji: message.emoji === "" ? null : message.emoji,
      };
  }
}

type Json = Record<string, unknown>;

/**
 * Meta's `POST /{phone-number-id}/messages` body for a stored request (protocols.md A4).
 * `mediaId` is the id of a file the job uploaded (messages sent by upload).
 */
export function graphMessageBody(
  request: StoredOutboundRequest,
  recipient: Recipient,
  options: { mediaId: string | null; callbackData: string },
): Json {
  const { message } = request;
  const body: Json = { messaging_product: "whatsapp", recipient_type: "individual" };
  if (recipient.waId !== null) body.to = recipient.waId;
  else if (recipient.userId !== null) body.recipient = recipient.userId;
  else throw new Error("the contact has neither a phone number nor a WhatsApp user id");
  if (request.contextWamid !== null && message.type !== "reaction") {
    body.context = { message_id: request.contextWamid };
  }
  body.biz_opaque_callback_data = options.callbackData;
  switch (message.type) {
    case "text":
      body.type = "text";
      body.text = { body: message.body, preview_url: message.previewUrl === true };
      break;
    case "image":
    case "video":
    case "audio":
    case "document":
    case "sticker": {
      const media: Json =
        message.link !== undefined ? { link: message.link } : { id: options.mediaId };
      if (message.uploadId !== undefined && options.mediaId === null) {
        throw new Error("uploaded media has no WhatsApp media id yet");
      }
      if ("caption" in message && message.caption !== undefined) media.caption = message.caption;
      if (message.type === "document" && message.filename !== undefined) {
        media.filename = message.filename;
      }
      if (message.type === "audio" && message.voice === true) media.voice = true;
      body.type = message.type;
      body[message.type] = media;
      break;
    }
    case "buttons":
      body.type = "interactive";
      body.interactive = {
        type: "button",
        ...interactiveFrame(message),
        action: {
          buttons: message.buttons.map((button) => ({
            type: "reply",
            reply: { id: button.id, title: button.title },
          })),
        },
      };
      break;
    case "list":
      body.type = "interactive";
      body.interactive = {
        type: "list",
        ...interactiveFrame(message),
        action: {
          button: message.button,
          sections: message.sections.map((section) => ({
            ...(section.title === undefined ? {} : { title: section.title }),
            rows: section.rows.map((row) => ({
              id: row.id,
              title: row.title,
              ...(row.description === undefined ? {} : { description: row.description }),
            })),
          })),
        },
      };
      break;
    case "template": {
      const components: Json[] = [];
      if (message.header !== undefined) {
        components.push({ type: "header", parameters: [templateParameter(message.header)] });
      }
      if (message.body !== undefined && message.body.length > 0) {
        components.push({ type: "body", parameters: message.body.map(templateParameter) });
      }
      for (const button of message.buttons ?? []) {
        components.push({
          type: "button",
          sub_type: button.subType,
          index: String(button.index),
          parameters: [
            button.subType === "quick_reply"
              ? { type: "payload", payload: button.value }
              : { type: "text", text: button.value },
          ],
        });
      }
      body.type = "template";
      body.template = {
        name: message.name,
        language: { code: message.language },
        ...(components.length === 0 ? {} : { components }),
      };
      break;
    }
    case "reaction":
      body.type = "reaction";
      body.reaction = { message_id: request.reactionWamid, emoji: message.emoji };
      break;
  }
  return body;
}

function interactiveFrame(message: { header?: string; body: string; footer?: string }): Json {
  return {
    ...(message.header === undefined ? {} : { header: { type: "text", text: message.header } }),
    body: { text: message.body },
    ...(message.footer === undefined ? {} : { footer: { text: message.footer } }),
  };
}

function templateParameter(parameter: TemplateParameter): Json {
  if (parameter.type === "text") {
    return {
      type: "text",
      text: parameter.text,
      ...(parameter.name === undefined ? {} : { parameter_name: parameter.name }),
    };
  }
  return {
    type: parameter.type,
    [parameter.type]: {
      link: parameter.link,
      ...(parameter.filename === undefined ? {} : { filename: parameter.filename }),
    },
  };
}

/** `biz_opaque_callback_data` of a send: Meta echoes it in statuses (A4), naming our row. */
export function sendCallbackData(messageId: number): string {
  return `atende:m:${messageId}`;
}

/** The message id in a status's `biz_opaque_callback_data`, if it is one of ours. */
export function messageIdFromCallbackData(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^atende:m:(\d{1,18})$/.exec(value);
  return match === null ? undefined : Number(match[1]);
}
