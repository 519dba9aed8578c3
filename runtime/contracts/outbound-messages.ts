import { z } from "zod";
import { OUTBOUND_LIMITS } from "./outbound-limits.js";

/**
 * What an agent may send (`POST /api/conversations/:id/messages`), with Meta's limits
 * (protocols.md A4/A5) checked here, so the browser can validate with the same schema and a
 * message Meta would refuse never reaches the queue.
 */
export { OUTBOUND_LIMITS };

const trimmedText = (max: number) => z.string().trim().min(1, "must not be empty").max(max);
const optionalText = (max: number) => trimmedText(max).optional();

/** A public HTTPS URL Meta fetches (http, credentials and non-URLs refused). */
export const MediaLinkSchema = z
  .url({ protocol: /^https$/, error: "must be an https URL" })
  .max(2000)
  .refine((value) => {
    const url = new URL(value);
    return url.username === "" && url.password === "";
  }, "must not contain credentials");

/** An id of the message being replied to or reacted to (a message of the same conversation). */
const MessageIdSchema = z.number().int().positive();

const mediaFields = {
  /** Public HTTPS link Meta downloads. */
  link: MediaLinkSchema.optional(),
  /** Id from `POST /api/conversations/:id/media`. */
  uploadId: z.number().int().positive().optional(),
};

const withSource = <
  T extends z.ZodType<{ link?: string | undefined; uploadId?: number | undefined }>,
>(
  schema: T,
) =>
  schema.refine((value) => (value.link === undefined) !== (value.uploadId === undefined), {
    message: "give exactly one of link or uploadId",
    path: ["link"],
  });

const ImageSchema = withSource(
  z.strictObject({
    type: z.literal("image"),
    ...mediaFields,
    caption: optionalText(OUTBOUND_LIMITS.caption),
  }),
);
const VideoSchema = withSource(
  z.strictObject({
    type: z.literal("video"),
    ...mediaFields,
    caption: optionalText(OUTBOUND_LIMITS.caption),
  }),
);
const AudioSchema = withSource(
  z.strictObject({ type: z.literal("audio"), ...mediaFields, voice: z.boolean().optional() }),
);
const DocumentSchema = withSource(
  z.strictObject({
    type: z.literal("document"),
    ...mediaFields,
    caption: optionalText(OUTBOUND_LIMITS.caption),
    filename: z
      .string()
      .trim()
      .min(1)
      .max(OUTBOUND_LIMITS.filename)
      .regex(/^[^/\\\p{Cc}]+$/u, "must be a file name without slashes or control characters")
      .optional(),
  }),
);
const StickerSchema = withSource(z.strictObject({ type: z.literal("sticker"), ...mediaFields }));

const TextSchema = z.strictObject({
  type: z.literal("text"),
  // Not trimmed: sent verbatim, as the agent typed it.
  body: z
    .string()
    .max(OUTBOUND_LIMITS.textBody)
    .refine((body) => body.trim() !== "", "must not be empty"),
  previewUrl: z.boolean().optional(),
});

// Ids go back to us in replies: Meta refuses leading/trailing spaces.
const replyId = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((id) => id === id.trim(), "must not start or end with spaces");

const ButtonsSchema = z
  .strictObject({
    type: z.literal("buttons"),
    header: optionalText(OUTBOUND_LIMITS.header),
    body: trimmedText(OUTBOUND_LIMITS.interactiveBody),
    footer: optionalText(OUTBOUND_LIMITS.footer),
    buttons: z
      .array(
        z.strictObject({
          id: replyId(OUTBOUND_LIMITS.buttons.id),
          title: trimmedText(OUTBOUND_LIMITS.buttons.title),
        }),
      )
      .min(OUTBOUND_LIMITS.buttons.min)
      .max(OUTBOUND_LIMITS.buttons.max),
  })
  .superRefine((value, ctx) => {
    const unique = (values: string[]) => new Set(values).size === values.length;
    if (!unique(value.buttons.map((button) => button.id))) {
      ctx.addIssue({ code: "custom", path: ["buttons"], message: "button ids must be unique" });
    }
    if (!unique(value.buttons.map((button) => button.title))) {
      ctx.addIssue({ code: "custom", path: ["buttons"], message: "button titles must be unique" });
    }
  });

const ListSchema = z
  .strictObject({
    type: z.literal("list"),
    header: optionalText(OUTBOUND_LIMITS.header),
    body: trimmedText(OUTBOUND_LIMITS.interactiveBody),
    footer: optionalText(OUTBOUND_LIMITS.footer),
    button: trimmedText(OUTBOUND_LIMITS.list.button),
    sections: z
      .array(
        z.strictObject({
          title: optionalText(OUTBOUND_LIMITS.list.sectionTitle),
          rows: z
            .array(
              z.strictObject({
                id: replyId(OUTBOUND_LIMITS.list.rowId),
                title: trimmedText(OUTBOUND_LIMITS.list.rowTitle),
                description: optionalText(OUTBOUND_LIMITS.list.rowDescription),
              }),
            )
            .min(1),
        }),
      )
      .min(1)
      .max(OUTBOUND_LIMITS.list.sections),
  })
  .superRefine((value, ctx) => {
    const rows = value.sections.flatMap((section) => section.rows);
    if (rows.length > OUTBOUND_LIMITS.list.rows) {
      ctx.addIssue({
        code: "custom",
        path: ["sections"],
        message: `a list has at most ${OUTBOUND_LIMITS.list.rows} rows in total`,
      });
    }
    if (new Set(rows.map((row) => row.id)).size !== rows.length) {
      ctx.addIssue({ code: "custom", path: ["sections"], message: "row ids must be unique" });
    }
    if (
      value.sections.length > 1 &&
      value.sections.some((section) => section.title === undefined)
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["sections"],
        message: "every section needs a title when there is more than one",
      });
    }
  });

const TextParameterSchema = z.strictObject({
  type: z.literal("text"),
  text: trimmedText(OUTBOUND_LIMITS.template.text),
  /** For templates with `parameter_format: NAMED`. */
  name: z
    .string()
    .regex(/^[a-z0-9_]{1,64}$/, "must be lowercase letters, digits and underscores")
    .optional(),
});
const MediaParameterSchema = z.strictObject({
  type: z.enum(["image", "video", "document"]),
  link: MediaLinkSchema,
  filename: z.string().trim().min(1).max(OUTBOUND_LIMITS.filename).optional(),
});

const TemplateSchema = z.strictObject({
  type: z.literal("template"),
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, "must be lowercase letters, digits and underscores"),
  language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, "must look like pt_BR or en"),
  header: z.union([TextParameterSchema, MediaParameterSchema]).optional(),
  body: z.array(TextParameterSchema).max(OUTBOUND_LIMITS.template.parameters).optional(),
  buttons: z
    .array(
      z.strictObject({
        index: z.number().int().min(0).max(9),
        subType: z.enum(["quick_reply", "url"]),
        /** Payload of a quick reply, or the URL suffix of a dynamic URL button. */
        value: trimmedText(OUTBOUND_LIMITS.template.buttonValue),
      }),
    )
    .max(10)
    .optional(),
});

const ReactionSchema = z.strictObject({
  type: z.literal("reaction"),
  /** The message reacted to. */
  messageId: MessageIdSchema,
  /** One emoji; empty removes the business's reaction. */
  emoji: z.string().max(OUTBOUND_LIMITS.emoji),
});

/** One outbound message by type. */
export const OutboundMessageSchema = z.union([
  TextSchema,
  ImageSchema,
  VideoSchema,
  AudioSchema,
  DocumentSchema,
  StickerSchema,
  ButtonsSchema,
  ListSchema,
  TemplateSchema,
  ReactionSchema,
]);

/** A validated outbound message. */
export type OutboundMessage = z.infer<typeof OutboundMessageSchema>;

/** Body of `POST /api/conversations/:id/messages`. */
export const SendMessageSchema = z.strictObject({
  /**
   * Client-generated idempotency key (e.g. a UUID), one per message: a retried POST with the
   * same key returns the stored message and never sends it again.
   */
  clientKey: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "must be 8–64 letters, digits, '-' or '_'"),
  /** Quote this message (a message of the same conversation). */
  replyToMessageId: MessageIdSchema.optional(),
  message: OutboundMessageSchema,
});

/** Parsed body of `POST /api/conversations/:id/messages`. */
export type SendMessageRequest = z.infer<typeof SendMessageSchema>;

/** Query of `POST /api/conversations/:id/media` (the body is the file itself). */
export const MediaUploadQuerySchema = z.strictObject({
  kind: z.enum(["image", "audio", "video", "document", "sticker"]),
  filename: z
    .string()
    .trim()
    .min(1)
    .max(OUTBOUND_LIMITS.filename)
    .regex(/^[^/\\\p{Cc}]+$/u, "must be a file name without slashes or control characters")
    .optional(),
});

/** An uploaded file, ready to be sent with `uploadId`. */
export interface OutboundMediaPayload {
  id: number;
  kind: string;
  mimeType: string;
  sizeBytes: number;
  filename: string | null;
}

/** Answer of `POST /api/conversations/:id/read` and `.../typing`. */
export interface ReadReceiptPayload {
  /** The customer message marked read (null when the conversation has none). */
  messageId: number | null;
  /** False when nothing was sent (no inbound message, or typing throttled). */
  sent: boolean;
}
