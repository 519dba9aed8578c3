import { z } from "zod";

/** Body of `POST /api/contacts/:id/erase`: how, and a deliberate confirmation. */
export const ContactEraseSchema = z.object({
  /** `anonymise` keeps anonymous counts (dates, direction, type); `delete` removes everything. */
  mode: z.enum(["anonymise", "delete"]).default("anonymise"),
  /** Must repeat the contact's id: erasing cannot be undone. */
  confirmContactId: z.number().int().positive(),
});
export type ContactEraseRequest = z.infer<typeof ContactEraseSchema>;

/** What an erasure removed (counts only). */
export interface ContactErasurePayload {
  contactId: number;
  mode: "anonymise" | "delete";
  conversations: number;
  messages: number;
  mediaFiles: number;
  webhookEvents: number;
}

/** Everything held about one person (`GET /api/contacts/:id/export`), machine-readable. */
export interface ContactExportPayload {
  format: "atende.contact-export.v1";
  exportedAt: string;
  contact: Record<string, unknown>;
  /** The contact's tags. */
  tags: string[];
  /** Every consent event (LGPD), oldest first. */
  consentRecords: Array<Record<string, unknown>>;
  conversations: Array<
    Record<string, unknown> & {
      messages: Array<Record<string, unknown> & { media: Record<string, unknown> | null }>;
      /** Private notes agents wrote about the conversation (with the author's name). */
      notes: Array<Record<string, unknown>>;
    }
  >;
  /** Files uploaded by agents for this person's conversations. */
  outboundMedia: Array<Record<string, unknown>>;
  /** Raw webhook events still kept that mention the person (Meta's own payloads). */
  webhookEvents: Array<Record<string, unknown>>;
}
