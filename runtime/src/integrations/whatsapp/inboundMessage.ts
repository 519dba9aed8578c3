import type { MediaKind, MessageContent, SharedContact } from "../../../contracts/messages.js";
import { mediaKinds } from "../../../contracts/messages.js";

/** An inbound message reduced to what the inbox stores (protocols.md A3.1–A3.2). */
export interface ParsedInboundMessage {
  wamid: string;
  /** Sender's phone number (digits), missing for users who hide it behind a username (A9). */
  from: string | null;
  /** Sender's business-scoped user id (BSUID), when Meta sends one. */
  fromUserId: string | null;
  /** When WhatsApp says it was sent. */
  sentAt: Date;
  /** Meta's type as received (`text`, `image`, …, or anything new). */
  type: string;
  content: MessageContent;
  /** Body or caption: previews and search. */
  text: string | null;
  /** The message replied to or whose button was tapped (`context.id`). */
  replyToWamid: string | null;
  /** Media to download in the background. */
  media: {
    id: string;
    kind: MediaKind;
    mimeType: string | null;
    sha256: string | null;
    filename: string | null;
  } | null;
}

/** The sender as the `contacts[]` entry of the webhook describes them. */
export interface ParsedSender {
  waId: string | null;
  userId: string | null;
  name: string | null;
  username: string | null;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const obj = (value: unknown): Json => (isObject(value) ? value : {});
const str = (value: unknown): string | null =>
  typeof value === "string" ? value : typeof value === "number" ? String(value) : null;
const nonEmpty = (value: unknown): string | null => {
  const text = str(value);
  return text === null || text === "" ? null : text;
};
const num = (value: unknown): number | null => {
  const parsed =
    typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : null;
};

/** Unix seconds as a string (Meta) or number; now when missing or nonsense. */
export function parseTimestamp(value: unknown): Date {
  const seconds = num(value);
  return seconds === null || seconds <= 0 ? new Date() : new Date(seconds * 1000);
}

/**
 * Normalises one inbound message object. Never throws: a type the inbox cannot render, or a
 * known type with missing fields, becomes `unsupported` with the reason, so nothing is lost.
 * @throws only if `raw` has no id (the webhook receiver never stores such messages)
 */
export function parseInboundMessage(raw: unknown): ParsedInboundMessage {
  const message = obj(raw);
  const wamid = nonEmpty(message.id);
  if (wamid === null) throw new Error("inbound message without id");
  const type = nonEmpty(message.type) ?? "unknown";
  const context = obj(message.context);
  const { content, media } = contentOf(type, message);
  return {
    wamid,
    from: nonEmpty(message.from),
    fromUserId: nonEmpty(message.from_user_id),
    sentAt: parseTimestamp(message.timestamp),
    type,
    content,
    text: textOf(content),
    replyToWamid: nonEmpty(context.id),
    media,
  };
}

/** The sender's identifiers and profile from the `contacts[]` entry (may be missing). */
export function parseSender(rawContact: unknown, message: ParsedInboundMessage): ParsedSender {
  const contact = obj(rawContact);
  const profile = obj(contact.profile);
  return {
    waId: nonEmpty(contact.wa_id) ?? message.from,
    userId: nonEmpty(contact.user_id) ?? message.fromUserId,
    name: nonEmpty(profile.name),
    username: nonEmpty(profile.username),
  };
}

function contentOf(
  type: string,
  message: Json,
): { content: MessageContent; media: ParsedInboundMessage["media"] } {
  const none = { media: null };
  const body = obj(message[type]);
  switch (type) {
    case "text": {
      const text = str(body.body);
      return text === null
        ? { content: malformed(type), ...none }
        : { content: { type, body: text }, ...none };
    }
    case "image":
    case "audio":
    case "video":
    case "document":
    case "sticker": {
      const kind = mediaKinds.find((candidate) => candidate === type) ?? "document";
      const id = nonEmpty(body.id);
      if (id === null) return { content: malformed(type), ...none };
      const mimeType = nonEmpty(body.mime_type);
      const filename = nonEmpty(body.filename);
      return {
        content: {
          type: kind,
          caption: str(body.caption),
          mimeType,
          filename,
          voice: body.voice === true,
          animated: body.animated === true,
        },
        media: { id, kind, mimeType, sha256: nonEmpty(body.sha256), filename },
      };
    }
    case "location": {
      const latitude = num(body.latitude);
      const longitude = num(body.longitude);
      if (latitude === null || longitude === null) return { content: malformed(type), ...none };
      return {
        content: {
          type,
          latitude,
          longitude,
          name: str(body.name),
          address: str(body.address),
          url: str(body.url),
        },
        ...none,
      };
    }
    case "contacts": {
      const cards = Array.isArray(message.contacts) ? message.contacts : [];
      if (cards.length === 0) return { content: malformed(type), ...none };
      return { content: { type, contacts: cards.map(sharedContact) }, ...none };
    }
    case "interactive": {
      const replyType = nonEmpty(body.type) ?? "unknown";
      const reply = obj(body[replyType]);
      return {
        content: {
          type,
          replyType,
          id: str(reply.id),
          title: str(reply.title) ?? str(reply.body),
          description: str(reply.description),
          responseJson: str(reply.response_json),
        },
        ...none,
      };
    }
    case "button": {
      const text = str(body.text);
      if (text === null) return { content: malformed(type), ...none };
      return { content: { type, text, payload: str(body.payload) }, ...none };
    }
    case "reaction": {
      const target = nonEmpty(body.message_id);
      if (target === null) return { content: malformed(type), ...none };
      // Empty or missing emoji: the reaction was removed.
      return { content: { type, targetWamid: target, emoji: nonEmpty(body.emoji) }, ...none };
    }
    default:
      return { content: unsupported(type, message), ...none };
  }
}

function unsupported(type: string, message: Json): MessageContent {
  const [error] = Array.isArray(message.errors) ? message.errors : [];
  const details = obj(obj(error).error_data);
  const system = obj(message.system);
  const inner = obj(message.unsupported);
  return {
    type: "unsupported",
    originalType: type === "unsupported" ? (nonEmpty(inner.type) ?? "unsupported") : type,
    errorCode: num(obj(error).code),
    errorTitle: str(obj(error).title) ?? str(obj(error).message),
    errorDetails: str(details.details),
    body: str(system.body),
  };
}

function malformed(type: string): MessageContent {
  return {
    type: "unsupported",
    originalType: type,
    errorCode: null,
    errorTitle: "Malformed message",
    errorDetails: `The ${type} message is missing required fields.`,
    body: null,
  };
}

function sharedContact(raw: unknown): SharedContact {
  const card = obj(raw);
  const name = obj(card.name);
  const phones = Array.isArray(card.phones) ? card.phones : [];
  const emails = Array.isArray(card.emails) ? card.emails : [];
  const org = obj(card.org);
  return {
    name:
      str(name.formatted_name) ??
      ([str(name.first_name), str(name.last_name)].filter((part) => part !== null).join(" ") || ""),
    phones: phones.map((phone) => ({
      phone: str(obj(phone).phone) ?? "",
      waId: str(obj(phone).wa_id),
      type: str(obj(phone).type),
    })),
    emails: emails.map((email) => ({
      email: str(obj(email).email) ?? "",
      type: str(obj(email).type),
    })),
    organization: str(org.company),
  };
}

function textOf(content: MessageContent): string | null {
  switch (content.type) {
    case "text":
      return content.body;
    case "image":
    case "video":
    case "document":
    case "audio":
    case "sticker":
      return content.caption;
    case "button":
      return content.text;
    case "interactive":
      return content.title;
    case "location":
      return content.name ?? content.address;
    default:
      return null;
  }
}
