import { unlink } from "node:fs/promises";
import path from "node:path";
import type { Knex } from "knex";
import type {
  ContactEraseRequest,
  ContactErasurePayload,
  ContactExportPayload,
} from "../../contracts/privacy.js";
import type { PersonalData } from "../crypto/personalData.js";
import { notFound, validationError } from "../errors.js";
import { ActivityLogEntry } from "../models/ActivityLogEntry.js";
import type { AccountActor } from "./accountActor.js";

/**
 * LGPD data-subject rights for one contact: export everything held about them, or erase them.
 * Both are audited with the contact's id only, never their number or name.
 */

type Row = Record<string, unknown>;

/** A contact with its identifiers opened (they are sealed at rest); no hashes or ciphertexts. */
interface ContactRow extends Row {
  id: number;
  wa_id: string | null;
  whatsapp_user_id: string | null;
  username: string | null;
  erased_at: Date | null;
}

/**
 * What anonymising writes over a contact's name and identifiers (hashes, sealed values): an
 * erasure, and retention's anonymise mode.
 */
export const IDENTIFIERS_ERASED = {
  wa_id_hash: null,
  wa_id_sealed: null,
  whatsapp_user_id_hash: null,
  whatsapp_user_id_sealed: null,
  name: null,
  username_sealed: null,
} as const;

/** JSON columns arrive as strings from mysql2; the export shows them as objects. */
const parsed = (value: unknown) => {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
};

/** What an erased note says instead of its text. */
const ERASED_NOTE_BODY = "Nota removida (LGPD).";

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

async function findContact(
  db: Knex,
  personal: PersonalData,
  contactId: number,
): Promise<ContactRow> {
  const row: Row | undefined = await db("contacts").where({ id: contactId }).first();
  if (row === undefined) throw notFound("contact");
  const {
    wa_id_hash: _waIdHash,
    wa_id_sealed: waIdSealed,
    whatsapp_user_id_hash: _userIdHash,
    whatsapp_user_id_sealed: userIdSealed,
    username_sealed: usernameSealed,
    ...rest
  } = row;
  const open = (field: Parameters<PersonalData["open"]>[0], sealed: unknown) =>
    personal.open(field, typeof sealed === "string" ? sealed : null);
  return {
    ...rest,
    id: row.id as number,
    wa_id: open("contacts.wa_id", waIdSealed),
    whatsapp_user_id: open("contacts.whatsapp_user_id", userIdSealed),
    username: open("contacts.username", usernameSealed),
    erased_at: (row.erased_at as Date | null) ?? null,
  };
}

/**
 * Webhook events kept that belong to the contact's messages or are about their number or BSUID
 * (payloads are sealed: found by the keyed hash stored beside them).
 */
function eventsOf(
  db: Knex,
  personal: PersonalData,
  contact: ContactRow,
  wamids: string[],
): Knex.QueryBuilder {
  const hashes = [
    ...(contact.wa_id ? [personal.lookupHash("phone", contact.wa_id)] : []),
    ...(contact.whatsapp_user_id ? [personal.lookupHash("bsuid", contact.whatsapp_user_id)] : []),
  ];
  return db("whatsapp_inbox_events").where((mentions) => {
    if (wamids.length > 0) {
      mentions.whereIn(
        "event_key",
        wamids.map((wamid) => `m:${wamid}`),
      );
      for (const wamid of wamids) mentions.orWhere("event_key", "like", `s:${escapeLike(wamid)}:%`);
    }
    if (hashes.length > 0) mentions.orWhereIn("contact_hash", hashes);
    // Nothing to match: select nothing rather than everything.
    if (wamids.length === 0 && hashes.length === 0) mentions.whereRaw("1 = 0");
  });
}

/**
 * Everything the tenant holds about one contact, in one machine-readable document: the contact,
 * its tags and consent history, every conversation with every message (content, statuses,
 * errors, media metadata) and the agents' private notes, files agents uploaded for them, and the
 * raw webhook events still kept. Quick replies are the business's, not the person's: not here.
 */
export async function contactExporter(props: {
  db: Knex;
  personalData: PersonalData;
  actor: AccountActor;
  contactId: number;
}): Promise<ContactExportPayload> {
  const { db } = props;
  const contact = await findContact(db, props.personalData, props.contactId);
  const conversations: Row[] = await db("conversations")
    .where({ contact_id: contact.id })
    .orderBy("id");
  const conversationIds = conversations.map((conversation) => conversation.id as number);
  const messages: Row[] =
    conversationIds.length === 0
      ? []
      : await db("messages").whereIn("conversation_id", conversationIds).orderBy("id");
  const media: Row[] =
    messages.length === 0
      ? []
      : await db("message_media").whereIn(
          "message_id",
          messages.map((message) => message.id as number),
        );
  const mediaByMessage = new Map(media.map((row) => [row.message_id, row]));
  const outboundMedia: Row[] =
    conversationIds.length === 0
      ? []
      : await db("outbound_media").whereIn("conversation_id", conversationIds);
  const wamids = messages.flatMap((message) => (message.wamid ? [String(message.wamid)] : []));
  const notes: Row[] =
    conversationIds.length === 0
      ? []
      : await db("conversation_notes as n")
          .leftJoin("users as u", "u.id", "n.author_user_id")
          .whereIn("n.conversation_id", conversationIds)
          .orderBy("n.id")
          .select(
            "n.id",
            "n.conversation_id",
            "n.author_user_id",
            "u.name as author_name",
            "n.body",
            "n.created_at",
          );
  const tags = (await db("contact_tags")
    .where({ contact_id: contact.id })
    .orderBy("tag")
    .pluck("tag")) as string[];
  const consentRecords: Row[] = await db("consent_records")
    .where({ contact_id: contact.id })
    .orderBy("id")
    .select("id", "status", "text_version", "channel", "source", "wamid", "recorded_at");
  const events: Row[] = await eventsOf(db, props.personalData, contact, wamids).select(
    "event_key",
    "kind",
    "payload",
    "received_at",
  );

  await ActivityLogEntry.record(db, {
    action: "contacts.export",
    actor: props.actor,
    data: { contactId: contact.id },
  });
  return {
    format: "atende.contact-export.v1",
    exportedAt: new Date().toISOString(),
    contact,
    tags,
    consentRecords,
    conversations: conversations.map((conversation) => ({
      ...conversation,
      messages: messages
        .filter((message) => message.conversation_id === conversation.id)
        .map((message) => ({
          ...message,
          content: parsed(message.content),
          outbound_request: parsed(message.outbound_request),
          media: mediaByMessage.get(message.id) ?? null,
        })),
      notes: notes.filter((note) => note.conversation_id === conversation.id),
    })),
    outboundMedia,
    webhookEvents: events.map((event) => ({
      ...event,
      payload: parsed(
        props.personalData.open("whatsapp_inbox_events.payload", event.payload as string),
      ),
    })),
  };
}

/**
 * Erases one contact irreversibly (LGPD right to be forgotten). Media files go first, then in
 * one transaction: statuses and webhook events naming them, uploaded files' rows, tags and
 * consent records, and either every row (`delete`) or every identifying value (`anonymise`:
 * messages keep only date, direction, type and status; notes keep author and date, not their
 * text; the contact row stays as an anonymous count, marked erased).
 * @throws validation_error unless `confirmContactId` repeats the id
 */
export async function contactEraser(props: {
  db: Knex;
  personalData: PersonalData;
  mediaDir: string;
  actor: AccountActor;
  contactId: number;
  input: ContactEraseRequest;
  /**
   * Called after the erasure committed with the person's wamids, so finished jobs that kept
   * them (webhook event keys) go too.
   */
  forgetJobsMentioning?: (wamids: string[]) => Promise<unknown>;
  /** Called after the erasure committed, so recent live events about them go too. */
  forgetEventsOf?: (conversationIds: number[]) => Promise<unknown>;
}): Promise<ContactErasurePayload> {
  const { db, input } = props;
  if (input.confirmContactId !== props.contactId) {
    throw validationError("Confirm the erasure by repeating the contact's id.", {
      field: "confirmContactId",
    });
  }
  const contact = await findContact(db, props.personalData, props.contactId);
  const conversationIds = (
    (await db("conversations").where({ contact_id: contact.id }).select("id")) as Array<{
      id: number;
    }>
  ).map((row) => row.id);
  const messages = (
    conversationIds.length === 0
      ? []
      : await db("messages")
          .whereIn("conversation_id", conversationIds)
          .select("id", "wamid", "type")
  ) as Array<{ id: number; wamid: string | null; type: string }>;
  const wamids = messages.flatMap((message) => (message.wamid ? [message.wamid] : []));

  const files = (
    conversationIds.length === 0
      ? []
      : [
          ...(await db("message_media as mm")
            .join("messages as m", "m.id", "mm.message_id")
            .whereIn("m.conversation_id", conversationIds)
            .whereNotNull("mm.path")
            .pluck("mm.path")),
          ...(await db("outbound_media").whereIn("conversation_id", conversationIds).pluck("path")),
        ]
  ) as string[];
  let mediaFiles = 0;
  const root = path.resolve(props.mediaDir);
  for (const file of files) {
    const absolute = path.resolve(root, file);
    // Paths come from our own rows, but a path outside the media volume is never followed.
    if (!absolute.startsWith(`${root}${path.sep}`)) continue;
    try {
      await unlink(absolute);
      mediaFiles++;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }

  const counts = await db.transaction(async (trx) => {
    const webhookEvents = await eventsOf(trx, props.personalData, contact, wamids).delete();
    if (wamids.length > 0) await trx("message_statuses").whereIn("wamid", wamids).delete();
    // Consent history (wamids, dates) and tags describe the person: gone in both modes.
    await trx("consent_records").where({ contact_id: contact.id }).delete();
    await trx("contact_tags").where({ contact_id: contact.id }).delete();
    if (conversationIds.length > 0) {
      await trx("outbound_media").whereIn("conversation_id", conversationIds).delete();
    }
    if (input.mode === "delete") {
      // Messages, their media rows and the conversations go with the contact (ON DELETE CASCADE).
      await trx("contacts").where({ id: contact.id }).delete();
    } else {
      if (messages.length > 0) {
        await trx("message_media")
          .whereIn(
            "message_id",
            messages.map((message) => message.id),
          )
          .delete();
        for (const type of new Set(messages.map((message) => message.type))) {
          await trx("messages")
            .whereIn("conversation_id", conversationIds)
            .andWhere({ type })
            .update({
              wamid: null,
              reply_to_wamid: null,
              client_key: null,
              outbound_request: null,
              text: null,
              content: JSON.stringify({ type: "unsupported", originalType: type, erased: true }),
              error_title: null,
              error_details: null,
            });
        }
      }
      // Notes are about the person; who wrote them and when stays.
      if (conversationIds.length > 0) {
        await trx("conversation_notes")
          .whereIn("conversation_id", conversationIds)
          .update({ body: ERASED_NOTE_BODY });
      }
      await trx("contacts")
        .where({ id: contact.id })
        .update({
          consent_status: "unknown",
          consent_updated_at: null,
          ...IDENTIFIERS_ERASED,
          erased_at: new Date(),
        });
    }
    const result: ContactErasurePayload = {
      contactId: contact.id,
      mode: input.mode,
      conversations: conversationIds.length,
      messages: messages.length,
      mediaFiles,
      webhookEvents,
    };
    await ActivityLogEntry.record(trx, {
      action: "contacts.erase",
      actor: props.actor,
      data: { ...result },
    });
    return result;
  });
  await props.forgetJobsMentioning?.(wamids);
  await props.forgetEventsOf?.(conversationIds);
  return counts;
}
