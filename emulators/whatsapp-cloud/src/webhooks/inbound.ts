import { createHash } from "node:crypto";
import { z } from "zod";
import type { EmulatorContext } from "../context.js";
import { controlErrors, webhookError } from "../errors.js";
import { brazilWaId, newNumericId, newWamid } from "../ids.js";
import type { Customer, InboundMessage } from "../state/types.js";
import {
  type MessagesValue,
  messagesEnvelope,
  metadataOf,
  type WebhookContact,
} from "./payloads.js";
import type { Delivery } from "./sender.js";

const customerFields = {
  /** The customer's phone number (wa_id, digits with country code). */
  from: z
    .string()
    .regex(/^\d{8,15}$/, "from must be 8 to 15 digits (a wa_id)")
    .optional(),
  /** The customer's BSUID (A9); generated from the phone number when absent. */
  userId: z
    .string()
    .regex(/^[A-Z]{2}\.[A-Za-z0-9.]{1,140}$/, "userId must look like BR.1502576394655843")
    .optional(),
  parentUserId: z.string().max(160).optional(),
  /** Profile name. */
  name: z.string().max(256).optional(),
  /** WhatsApp username (2026). */
  username: z.string().max(100).optional(),
  /** Omit `from` / `wa_id` from the webhook: a username user who hides the number (A9). */
  hidePhone: z.boolean().optional(),
};

const envelopeFields = {
  /** Force the wamid (e.g. to resend a message the app already has). */
  wamid: z.string().min(1).max(256).optional(),
  /** Unix seconds; default now. */
  timestamp: z.number().int().min(0).optional(),
  /** Route the webhook to another phone_number_id (a foreign number the app must ignore). */
  phoneNumberId: z.string().regex(/^\d+$/).optional(),
  context: z
    .looseObject({
      id: z.string().optional(),
      from: z.string().optional(),
      forwarded: z.boolean().optional(),
      frequently_forwarded: z.boolean().optional(),
      referred_product: z.looseObject({}).optional(),
    })
    .optional(),
  referral: z.looseObject({}).optional(),
  errors: z.array(z.looseObject({ code: z.number() })).optional(),
};

const mediaInput = z.looseObject({
  /** Reuse an existing media id instead of creating one. */
  id: z.string().optional(),
  /** The file's bytes, base64; a small placeholder is used when absent. */
  data: z.string().optional(),
  mime_type: z.string().optional(),
  caption: z.string().max(4096).optional(),
  filename: z.string().max(512).optional(),
  voice: z.boolean().optional(),
  animated: z.boolean().optional(),
});

const coordinate = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]);

const variant = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ type: z.literal(type), ...shape, ...customerFields, ...envelopeFields });

/**
 * A customer message to simulate (control API `POST /_emulator/inbound`): the customer's ids plus
 * a message in Meta's own inbound shape (A3.2) without `from`, `id` and `timestamp`. Media carry
 * optional base64 `data`; the emulator stores it so the app can fetch it like real media.
 */
export const inboundInputSchema = z.discriminatedUnion("type", [
  variant("text", { text: z.union([z.string(), z.looseObject({ body: z.string() })]) }),
  variant("image", { image: mediaInput.optional() }),
  variant("video", { video: mediaInput.optional() }),
  variant("audio", { audio: mediaInput.optional() }),
  variant("document", { document: mediaInput.optional() }),
  variant("sticker", { sticker: mediaInput.optional() }),
  variant("location", {
    location: z.looseObject({
      latitude: coordinate,
      longitude: coordinate,
      name: z.string().optional(),
      address: z.string().optional(),
      url: z.string().optional(),
    }),
  }),
  variant("contacts", {
    contacts: z
      .array(z.looseObject({ name: z.looseObject({ formatted_name: z.string() }) }))
      .min(1),
  }),
  variant("interactive", {
    interactive: z.union([
      z.looseObject({
        type: z.literal("button_reply"),
        button_reply: z.looseObject({ id: z.string(), title: z.string() }),
      }),
      z.looseObject({
        type: z.literal("list_reply"),
        list_reply: z.looseObject({
          id: z.string(),
          title: z.string(),
          description: z.string().optional(),
        }),
      }),
      z.looseObject({
        type: z.literal("nfm_reply"),
        nfm_reply: z.looseObject({ response_json: z.string() }),
      }),
      z.looseObject({ type: z.string() }),
    ]),
  }),
  variant("button", { button: z.looseObject({ text: z.string(), payload: z.string() }) }),
  variant("reaction", {
    reaction: z.looseObject({ message_id: z.string(), emoji: z.string().optional() }),
  }),
  variant("unsupported", {
    unsupported: z.looseObject({ type: z.string().optional() }).optional(),
  }),
  variant("system", { system: z.looseObject({ type: z.string(), body: z.string().optional() }) }),
  variant("request_welcome", {}),
  variant("order", { order: z.looseObject({}) }),
]);

export type InboundInput = z.infer<typeof inboundInputSchema>;

/** How several simulated messages are batched into one webhook POST. */
export type BatchLayout = "value" | "changes" | "entries";

const mediaTypes = ["image", "video", "audio", "document", "sticker"] as const;
type MediaType = (typeof mediaTypes)[number];

/** Small placeholder files used when a simulated media message carries no bytes. */
const placeholders: Record<MediaType, { mime: string; data: Buffer; filename?: string }> = {
  image: {
    mime: "image/png",
    data: Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
      "base64",
    ),
  },
  video: {
    mime: "video/mp4",
    data: Buffer.from("000000186674797069736f6d0000020069736f6d69736f32", "hex"),
  },
  audio: {
    mime: "audio/ogg; codecs=opus",
    data: Buffer.concat([Buffer.from("OggS"), Buffer.alloc(60)]),
  },
  document: {
    mime: "application/pdf",
    data: Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
    filename: "documento.pdf",
  },
  sticker: {
    mime: "image/webp",
    data: Buffer.concat([Buffer.from("RIFF"), Buffer.alloc(4), Buffer.from("WEBPVP8 ")]),
  },
};

/** The result of simulating customer messages: what was recorded and the webhook deliveries. */
export interface InboundResult {
  messages: InboundMessage[];
  deliveries: Delivery[];
}

/**
 * Simulates customers writing to the business: records the messages, opens/renews the 24-hour
 * window (any user message but `system`), stores media, and sends one signed webhook carrying all
 * of them (`layout` decides how they are batched).
 */
export function receiveInbound(
  ctx: EmulatorContext,
  inputs: InboundInput[],
  layout: BatchLayout = "value",
): InboundResult {
  if (inputs.length === 0) throw controlErrors.validation("At least one message is needed.");
  const built = inputs.map((input) => buildOne(ctx, input));
  const groups = new Map<string, typeof built>();
  if (layout === "value") {
    for (const item of built) {
      const key = item.phoneNumberId;
      groups.set(key, [...(groups.get(key) ?? []), item]);
    }
  } else {
    built.forEach((item, index) => {
      groups.set(String(index), [item]);
    });
  }
  const values: MessagesValue[] = [...groups.values()].map((items) => {
    const contacts: WebhookContact[] = [];
    const seen = new Set<string>();
    for (const item of items) {
      if (seen.has(item.customer.key)) continue;
      seen.add(item.customer.key);
      contacts.push(item.contact);
    }
    return {
      messaging_product: "whatsapp",
      metadata: metadataOf(ctx.business, items[0]?.phoneNumberId),
      contacts,
      messages: items.map((item) => item.message),
    };
  });
  const envelope = messagesEnvelope(
    ctx.business,
    values,
    layout === "entries" ? "entries" : "changes",
  );
  const deliveries = ctx.sender.send(envelope, { kind: "messages" });
  const deliveryId = deliveries.find((d) => d.state !== "dropped")?.id;
  const recorded = built.map((item) => {
    const record: InboundMessage = {
      wamid: String(item.message.id),
      seq: ctx.store.nextMessageSeq(),
      customerKey: item.customer.key,
      type: String(item.message.type),
      message: item.message,
      receivedAt: ctx.clock.now(),
      readByBusiness: false,
      deliveryId,
    };
    ctx.store.inbound.set(record.wamid, record);
    ctx.store.changed({ kind: "inbound", customerKey: record.customerKey, wamid: record.wamid });
    return record;
  });
  return { messages: recorded, deliveries };
}

function buildOne(
  ctx: EmulatorContext,
  input: InboundInput,
): {
  customer: Customer;
  contact: WebhookContact;
  message: Record<string, unknown>;
  phoneNumberId: string;
} {
  if (input.from === undefined && input.userId === undefined) {
    throw controlErrors.validation(
      "A simulated message needs `from` (phone digits) or `userId` (BSUID).",
    );
  }
  const waId =
    input.from !== undefined && ctx.settings.brazilNinthDigit ? brazilWaId(input.from) : input.from;
  const customer = ctx.store.upsertCustomer(
    {
      waId,
      userId: input.userId,
      name: input.name,
      username: input.username,
      parentUserId: input.parentUserId,
    },
    { includeBsuid: ctx.settings.includeBsuid },
  );
  if (input.hidePhone !== undefined) customer.hidePhone = input.hidePhone;
  const showPhone = customer.waId !== undefined && !customer.hidePhone;
  const showUserId = customer.userId !== undefined && (ctx.settings.includeBsuid || !showPhone);

  const contact: WebhookContact = {
    profile: {
      name: customer.name,
      ...(customer.username === undefined ? {} : { username: customer.username }),
    },
    ...(showPhone ? { wa_id: customer.waId } : {}),
    ...(showUserId ? { user_id: customer.userId } : {}),
    ...(showUserId && customer.parentUserId !== undefined
      ? { parent_user_id: customer.parentUserId }
      : {}),
  };

  const { type } = input;
  const message: Record<string, unknown> = {
    ...(showPhone ? { from: customer.waId } : {}),
    ...(showUserId ? { from_user_id: customer.userId } : {}),
    ...(showUserId && customer.parentUserId !== undefined
      ? { from_parent_user_id: customer.parentUserId }
      : {}),
    id: input.wamid ?? newWamid(),
    timestamp: String(input.timestamp ?? ctx.clock.nowSeconds()),
    type,
  };
  if (input.context) {
    message.context = { ...input.context };
    if (input.context.id !== undefined && input.context.from === undefined) {
      (message.context as Record<string, unknown>).from = ctx.business.displayPhoneNumber;
    }
  }
  if (input.referral) message.referral = input.referral;

  switch (input.type) {
    case "text":
      message.text = typeof input.text === "string" ? { body: input.text } : input.text;
      break;
    case "image":
    case "video":
    case "audio":
    case "document":
    case "sticker":
      message[input.type] = storeInboundMedia(
        ctx,
        input.type,
        (input as Record<string, unknown>)[input.type] as z.infer<typeof mediaInput> | undefined,
      );
      break;
    case "location":
      message.location = input.location;
      break;
    case "contacts":
      message.contacts = input.contacts;
      break;
    case "interactive":
      message.interactive = input.interactive;
      break;
    case "button":
      message.button = input.button;
      break;
    case "reaction": {
      const { emoji, ...rest } = input.reaction;
      message.reaction = emoji === undefined ? rest : { ...rest, emoji };
      break;
    }
    case "unsupported":
      message.unsupported = input.unsupported ?? { type: "unknown" };
      message.errors = input.errors ?? [unsupportedError()];
      break;
    case "system":
      message.system = input.system;
      break;
    case "request_welcome":
      break;
    case "order":
      message.order = input.order;
      break;
  }
  if (input.errors && input.type !== "unsupported") message.errors = input.errors;

  if (input.type !== "system") customer.lastInboundAt = ctx.clock.now();
  return {
    customer,
    contact,
    message,
    phoneNumberId: input.phoneNumberId ?? ctx.business.phoneNumberId,
  };
}

function storeInboundMedia(
  ctx: EmulatorContext,
  type: MediaType,
  media: z.infer<typeof mediaInput> | undefined,
): Record<string, unknown> {
  const { id: givenId, data, mime_type, caption, filename, voice, animated, ...rest } = media ?? {};
  const placeholder = placeholders[type];
  let id = givenId;
  let mimeType = mime_type ?? placeholder.mime;
  let bytes: Buffer;
  const existing = givenId === undefined ? undefined : ctx.store.media.get(givenId);
  if (existing) {
    bytes = existing.data;
    mimeType = mime_type ?? existing.mimeType;
  } else {
    bytes = data === undefined ? placeholder.data : Buffer.from(data, "base64");
    id = givenId ?? newNumericId();
    const now = ctx.clock.now();
    ctx.store.media.set(id, {
      id,
      data: bytes,
      mimeType,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      filename: filename ?? (type === "document" ? placeholder.filename : undefined),
      origin: "inbound",
      createdAt: now,
      expiresAt: now + ctx.settings.webhookMediaTtlMs,
      deleted: false,
    });
  }
  const object: Record<string, unknown> = {
    ...rest,
    id,
    mime_type: mimeType,
    sha256: createHash("sha256").update(bytes).digest("base64"),
  };
  if (caption !== undefined && type !== "audio" && type !== "sticker") object.caption = caption;
  if (type === "document") object.filename = filename ?? placeholder.filename;
  if (type === "audio") object.voice = voice ?? mimeType.includes("opus");
  if (type === "sticker") object.animated = animated ?? false;
  return object;
}

/** The error Meta attaches to `unsupported` messages (no `href` on inbound errors). */
function unsupportedError(): Record<string, unknown> {
  const { href: _href, ...error } = webhookError(131051);
  return error;
}
