import { z } from "zod";
import { CONTACT_TAG_MAX_LENGTH, CONTACT_TAG_PATTERN } from "./contact-tags.js";
import { multilineText } from "./text-fields.js";

/**
 * Contacts as the inbox's contact panel shows them, their consent (LGPD) and quick replies.
 */

/** Where a contact's consent stands: never asked, asked (waiting), granted, revoked (STOP/SAIR). */
export const consentStatuses = ["unknown", "asked", "granted", "revoked"] as const;
export type ConsentStatus = (typeof consentStatuses)[number];

/** One consent event, as recorded (append-only). */
export interface ConsentRecordPayload {
  status: Exclude<ConsentStatus, "unknown">;
  /** Version of the consent text the person saw, e.g. `2026-12-v1`. */
  textVersion: string;
  /** `whatsapp` today. */
  channel: string;
  /**
   * `button` (tapped in WhatsApp), `keyword` (STOP/SAIR…), `agent` (recorded by a user),
   * `system` (atende asked by itself: the `asked` records).
   */
  source: "button" | "keyword" | "agent" | "system";
  recordedAt: string;
}

/** `GET /api/contacts/:id` (permission `contacts.view`): the contact panel. */
export interface ContactPanelPayload {
  id: number;
  name: string | null;
  /** Phone number (wa_id), digits only, when known. */
  waId: string | null;
  tags: string[];
  consent: {
    status: ConsentStatus;
    updatedAt: string | null;
    /** Newest first, at most 20. */
    history: ConsentRecordPayload[];
  };
  /** How many conversations the contact has had, and since when they are known. */
  conversationCount: number;
  createdAt: string;
}

/** A tag: 1–40 characters, letters, digits, spaces, dashes and underscores. */
export const ContactTagSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(CONTACT_TAG_MAX_LENGTH, `must be at most ${CONTACT_TAG_MAX_LENGTH} characters`)
  .regex(CONTACT_TAG_PATTERN, "may contain letters, digits, spaces, - and _");

/** Body of `PATCH /api/contacts/:id` (permission `contacts.edit`). */
export const ContactUpdateSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, "is required")
      .max(255, "must be at most 255 characters")
      .refine((value) => !/\p{Cc}/u.test(value), "must not contain control characters")
      .optional(),
    /** Replaces the contact's tags. */
    tags: z
      .array(ContactTagSchema)
      .max(30, "at most 30 tags")
      .transform((list) => [...new Set(list)])
      .optional(),
  })
  .strict()
  .refine((value) => Object.keys(value).length > 0, "nothing to change");
export type ContactUpdateRequest = z.infer<typeof ContactUpdateSchema>;

/** A quick reply: a saved answer an agent inserts by typing `/shortcut` in the composer. */
export interface QuickReplyPayload {
  id: number;
  shortcut: string;
  title: string;
  body: string;
  updatedAt: string;
}

/** Body of `POST /api/quick-replies` and `PATCH /api/quick-replies/:id` (`settings.general`). */
export const QuickReplyWriteSchema = z
  .object({
    shortcut: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "must be 1–32 lower-case letters, digits, - or _"),
    title: z
      .string()
      .trim()
      .min(1, "is required")
      .max(80, "must be at most 80 characters")
      .refine((value) => !/\p{Cc}/u.test(value), "must not contain control characters"),
    body: multilineText(4_096),
  })
  .strict();
export type QuickReplyWriteRequest = z.infer<typeof QuickReplyWriteSchema>;
