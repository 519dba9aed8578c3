import { z } from "zod";
import { graphErrors } from "../errors.js";

/**
 * Validation of `POST /{phone-number-id}/messages` bodies with Meta's limits (protocols.md A4 and
 * the emulator checklist). A missing required parameter answers 131008; anything malformed or
 * over a limit answers 100 with Meta-like `error_data.details`.
 */

const missing = "__missing__";

/** Counts characters as people see them (code points), not UTF-16 units. */
const length = (value: string) => [...value].length;

const text = (max: number, message: string, min = 0) =>
  z.string().refine((v) => length(v) >= min && length(v) <= max, message);

const httpUrl = z.string().refine((v) => {
  try {
    const url = new URL(v);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}, "Param link must be a valid http(s) URL");

/** The media types and what each accepts. */
export const mediaTypes = ["image", "video", "audio", "document", "sticker"] as const;
export type SendMediaType = (typeof mediaTypes)[number];

function mediaSchema(type: SendMediaType) {
  return z
    .looseObject({
      id: z.string().min(1).optional(),
      link: httpUrl.optional(),
      caption: text(
        1024,
        `Param ${type}['caption'] must be at most 1024 characters long`,
      ).optional(),
      filename: z.string().min(1).max(240).optional(),
      voice: z.boolean().optional(),
    })
    .superRefine((media, ctx) => {
      if (media.id === undefined && media.link === undefined) {
        ctx.addIssue({
          code: "custom",
          message: `${missing}:Param ${type} must contain either id or link`,
        });
      }
      if (media.id !== undefined && media.link !== undefined) {
        ctx.addIssue({
          code: "custom",
          message: `Param ${type} must contain either id or link, not both`,
        });
      }
      if (media.caption !== undefined && (type === "audio" || type === "sticker")) {
        ctx.addIssue({
          code: "custom",
          message: `Param ${type}['caption'] is not supported for ${type} messages`,
        });
      }
      if (media.filename !== undefined && type !== "document") {
        ctx.addIssue({
          code: "custom",
          message: `Param ${type}['filename'] is only supported for document messages`,
        });
      }
      if (media.voice !== undefined && type !== "audio") {
        ctx.addIssue({
          code: "custom",
          message: `Param ${type}['voice'] is only supported for audio messages`,
        });
      }
    });
}

const coordinate = (min: number, max: number, name: string) =>
  z
    .union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)])
    .refine(
      (v) => Number(v) >= min && Number(v) <= max,
      `Param location['${name}'] must be between ${min} and ${max}`,
    );

const locationSchema = z.looseObject({
  latitude: coordinate(-90, 90, "latitude"),
  longitude: coordinate(-180, 180, "longitude"),
  name: z.string().max(1000).optional(),
  address: z.string().max(1000).optional(),
});

const contactsSchema = z
  .array(
    z.looseObject({
      name: z.looseObject({
        formatted_name: z.string().min(1, "Param contacts[]['name']['formatted_name'] is required"),
      }),
      phones: z
        .array(z.looseObject({ phone: z.string().optional(), wa_id: z.string().optional() }))
        .optional(),
      emails: z.array(z.looseObject({ email: z.string().optional() })).optional(),
    }),
  )
  .min(1, "Param contacts must contain at least one contact");

const bodySchema = z.looseObject({
  text: text(1024, "Body text length invalid. Min length: 1, Max length: 1024", 1),
});
const footerSchema = z.looseObject({
  text: text(60, "Footer text length invalid. Min length: 1, Max length: 60", 1),
});

const buttonHeader = z.discriminatedUnion("type", [
  z.looseObject({
    type: z.literal("text"),
    text: text(60, "Header text length invalid. Min length: 1, Max length: 60", 1),
  }),
  z.looseObject({ type: z.literal("image"), image: mediaSchema("image") }),
  z.looseObject({ type: z.literal("video"), video: mediaSchema("video") }),
  z.looseObject({ type: z.literal("document"), document: mediaSchema("document") }),
]);

const replyButton = z.looseObject({
  type: z.literal("reply"),
  reply: z.looseObject({
    id: z
      .string()
      .refine(
        (v) => length(v) >= 1 && length(v) <= 256,
        "Button id length invalid. Min length: 1, Max length: 256",
      )
      .refine((v) => v.trim() === v, "Button id must not have leading or trailing spaces"),
    title: text(20, "Button title length invalid. Min length: 1, Max length: 20", 1),
  }),
});

const buttonInteractive = z.looseObject({
  type: z.literal("button"),
  header: buttonHeader.optional(),
  body: bodySchema,
  footer: footerSchema.optional(),
  action: z.looseObject({
    buttons: z
      .array(replyButton)
      .min(1, "Buttons count invalid. Min count: 1, Max count: 3")
      .max(3, "Buttons count invalid. Min count: 1, Max count: 3")
      .superRefine((buttons, ctx) => {
        const ids = buttons.map((b) => b.reply.id);
        const titles = buttons.map((b) => b.reply.title);
        if (new Set(ids).size !== ids.length)
          ctx.addIssue({ code: "custom", message: "Button ids must be unique" });
        if (new Set(titles).size !== titles.length) {
          ctx.addIssue({ code: "custom", message: "Button titles must be unique" });
        }
      }),
  }),
});

const listRow = z.looseObject({
  id: z
    .string()
    .refine(
      (v) => length(v) >= 1 && length(v) <= 200,
      "Row id length invalid. Min length: 1, Max length: 200",
    ),
  title: text(24, "Row title length invalid. Min length: 1, Max length: 24", 1),
  description: text(72, "Row description length invalid. Max length: 72").optional(),
});

const listInteractive = z.looseObject({
  type: z.literal("list"),
  header: z
    .looseObject({
      type: z.literal("text"),
      text: text(60, "Header text length invalid. Min length: 1, Max length: 60", 1),
    })
    .optional(),
  body: bodySchema,
  footer: footerSchema.optional(),
  action: z
    .looseObject({
      button: text(20, "Button label length invalid. Min length: 1, Max length: 20", 1),
      sections: z
        .array(
          z.looseObject({
            title: text(24, "Section title length invalid. Max length: 24").optional(),
            rows: z.array(listRow).min(1, "Rows count invalid. Min count: 1"),
          }),
        )
        .min(1, "Sections count invalid. Min count: 1, Max count: 10")
        .max(10, "Sections count invalid. Min count: 1, Max count: 10"),
    })
    .superRefine((action, ctx) => {
      const rows = action.sections.flatMap((s) => s.rows);
      if (rows.length > 10) {
        ctx.addIssue({
          code: "custom",
          message: "Total row count exceed max allowed count: 10",
          path: ["sections"],
        });
      }
      const ids = rows.map((r) => r.id);
      if (new Set(ids).size !== ids.length) {
        ctx.addIssue({ code: "custom", message: "Row ids must be unique", path: ["sections"] });
      }
      if (
        action.sections.length > 1 &&
        action.sections.some((s) => s.title === undefined || s.title === "")
      ) {
        ctx.addIssue({
          code: "custom",
          message: "Section title is required when there is more than one section",
          path: ["sections"],
        });
      }
    }),
});

const ctaUrlInteractive = z.looseObject({
  type: z.literal("cta_url"),
  header: buttonHeader.optional(),
  body: bodySchema,
  footer: footerSchema.optional(),
  action: z.looseObject({
    name: z.literal("cta_url"),
    parameters: z.looseObject({
      display_text: text(20, "Display text length invalid. Min length: 1, Max length: 20", 1),
      url: httpUrl,
    }),
  }),
});

/** Interactive kinds the emulator accepts without checking their insides. */
const otherInteractive = z.looseObject({
  type: z.enum([
    "flow",
    "product",
    "product_list",
    "catalog_message",
    "location_request_message",
    "address_message",
    "call_permission_request",
  ]),
  body: bodySchema.optional(),
  action: z.looseObject({}),
});

const interactiveSchema = z.discriminatedUnion("type", [
  buttonInteractive,
  listInteractive,
  ctaUrlInteractive,
  otherInteractive,
]);

const templateParameter = z.looseObject({ type: z.string().min(1) });

const templateSchema = z.looseObject({
  name: z.string().min(1),
  language: z.looseObject({ code: z.string().min(1), policy: z.string().optional() }),
  components: z
    .array(
      z.looseObject({
        type: z.enum(["header", "body", "button", "footer", "carousel", "limited_time_offer"]),
        sub_type: z.string().optional(),
        index: z.union([z.string(), z.number()]).optional(),
        parameters: z.array(templateParameter).optional(),
      }),
    )
    .optional(),
});

const reactionSchema = z.looseObject({
  message_id: z.string().min(1),
  emoji: z
    .string()
    .refine((v) => length(v) <= 10, "Param reaction['emoji'] must be a single emoji"),
});

const typeSchemas = {
  text: z.looseObject({
    body: text(4096, "Param text['body'] must be at most 4096 characters long", 1),
    preview_url: z.boolean().optional(),
  }),
  image: mediaSchema("image"),
  video: mediaSchema("video"),
  audio: mediaSchema("audio"),
  document: mediaSchema("document"),
  sticker: mediaSchema("sticker"),
  location: locationSchema,
  contacts: contactsSchema,
  interactive: interactiveSchema,
  template: templateSchema,
  reaction: reactionSchema,
} as const;

/** The message types the emulator can send. */
export type SendType = keyof typeof typeSchemas;
export const sendTypes = Object.keys(typeSchemas) as SendType[];

const envelopeSchema = z.looseObject({
  messaging_product: z.literal("whatsapp", {
    error: (issue) =>
      issue.input === undefined ? undefined : "Param messaging_product must be 'whatsapp'",
  }),
  recipient_type: z.enum(["individual", "group"]).optional(),
  to: z.string().optional(),
  recipient: z.string().optional(),
  type: z.string().optional(),
  context: z.looseObject({ message_id: z.string().min(1) }).optional(),
  biz_opaque_callback_data: z
    .string()
    .refine(
      (v) => Buffer.byteLength(v) <= 512,
      "Param biz_opaque_callback_data must be at most 512 bytes",
    )
    .optional(),
});

const markReadSchema = z.looseObject({
  messaging_product: z.literal("whatsapp", {
    error: (issue) =>
      issue.input === undefined ? undefined : "Param messaging_product must be 'whatsapp'",
  }),
  status: z.literal("read", {
    error: (issue) => (issue.input === undefined ? undefined : "Param status must be 'read'"),
  }),
  message_id: z.string().min(1),
  typing_indicator: z
    .looseObject({ type: z.literal("text", "Param typing_indicator['type'] must be 'text'") })
    .optional(),
});

/** A validated send. */
export interface SendRequest {
  kind: "send";
  type: SendType;
  /** Normalised recipient: phone digits, or a BSUID when sent by `recipient`. */
  recipient: { input: string; phone: string | undefined; userId: string | undefined };
  body: Record<string, unknown>;
  /** The validated type-specific value (`body.text`, `body.image`, the `body.contacts` array...). */
  content: unknown;
}

/** A validated mark-as-read (optionally with a typing indicator). */
export interface MarkReadRequest {
  kind: "read";
  messageId: string;
  typing: boolean;
}

const bsuidPattern = /^[A-Z]{2}\.([A-Z]{3}\.)?[A-Za-z0-9]{1,128}$/;

/** Validates a `/messages` body; throws a GraphError shaped like Meta's. */
export function parseMessagesBody(raw: unknown): SendRequest | MarkReadRequest {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw graphErrors.invalidParameter("The request body must be a JSON object");
  }
  const body = raw as Record<string, unknown>;
  if ("status" in body) {
    const read = check(markReadSchema, body);
    return {
      kind: "read",
      messageId: read.message_id,
      typing: read.typing_indicator !== undefined,
    };
  }
  const envelope = check(envelopeSchema, body);
  const type = (envelope.type ?? "text") as string;
  if (!(type in typeSchemas)) {
    throw graphErrors.invalidParameter(
      `Param type must be one of {${sendTypes.map((t) => t.toUpperCase()).join(", ")}} - got "${type}"`,
    );
  }
  const sendType = type as SendType;
  const rawContent = body[sendType];
  if (rawContent === undefined)
    throw graphErrors.missingParameter(`The parameter ${sendType} is required.`);
  const content: unknown = check(typeSchemas[sendType], rawContent, [sendType]);
  return {
    kind: "send",
    type: sendType,
    recipient: parseRecipient(envelope.to, envelope.recipient),
    body: { ...body, type: sendType },
    content,
  };
}

function parseRecipient(
  to: string | undefined,
  recipient: string | undefined,
): SendRequest["recipient"] {
  if (to !== undefined) {
    const digits = to.replace(/[\s+\-().]/g, "");
    if (!/^\d{8,15}$/.test(digits))
      throw graphErrors.invalidParameter(`Param to is not a valid phone number: "${to}"`);
    return { input: to, phone: digits, userId: undefined };
  }
  if (recipient !== undefined) {
    if (!bsuidPattern.test(recipient)) {
      throw graphErrors.invalidParameter(
        `Param recipient is not a valid business-scoped user id: "${recipient}"`,
      );
    }
    return { input: recipient, phone: undefined, userId: recipient };
  }
  throw graphErrors.missingParameter("The parameter to is required.");
}

function check<S extends z.ZodType>(
  schema: S,
  value: unknown,
  prefix: (string | number)[] = [],
): z.infer<S> {
  const result = schema.safeParse(value, {
    error: (issue) => (issue.input === undefined && issue.code !== "custom" ? missing : undefined),
  });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw graphErrors.invalidParameter("Invalid parameter");
  const path = formatPath([
    ...prefix,
    ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
  ]);
  if (issue.message === missing)
    throw graphErrors.missingParameter(`The parameter ${path} is required.`);
  if (issue.message.startsWith(`${missing}:`)) {
    throw graphErrors.missingParameter(issue.message.slice(missing.length + 1));
  }
  const zodDefault = /^(Invalid|Too big|Too small|Unrecognized|Expected)/.test(issue.message);
  if (!zodDefault) throw graphErrors.invalidParameter(issue.message);
  if (issue.code === "invalid_union" || issue.code === "invalid_value") {
    throw graphErrors.invalidParameter(`Param ${path} has an invalid value`);
  }
  throw graphErrors.invalidParameter(`Param ${path} is invalid: ${issue.message}`);
}

/** `interactive['action']['buttons'][3]` — how Meta names a parameter path. */
export function formatPath(path: (string | number)[]): string {
  const [first, ...rest] = path;
  if (first === undefined) return "body";
  return `${String(first)}${rest.map((p) => (typeof p === "number" ? `[${p}]` : `['${p}']`)).join("")}`;
}
