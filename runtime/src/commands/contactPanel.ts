import type { Knex } from "knex";
import type {
  ConsentRecordPayload,
  ConsentStatus,
  ContactPanelPayload,
  ContactUpdateRequest,
} from "../../contracts/contacts.js";
import type { PersonalData } from "../crypto/personalData.js";
import { notFound } from "../errors.js";
import { ActivityLogEntry } from "../models/ActivityLogEntry.js";
import type { AccountActor } from "./accountActor.js";
import { type ConversationViewer, whereVisibleTo } from "./conversationAccess.js";

/** How many consent events the panel shows (newest first). */
const HISTORY_LIMIT = 20;

interface ContactRow {
  id: number;
  name: string | null;
  wa_id_sealed: string | null;
  consent_status: ConsentStatus;
  consent_updated_at: Date | null;
  created_at: Date;
}

interface ConsentRecordRow {
  status: ConsentRecordPayload["status"];
  text_version: string;
  channel: string;
  source: ConsentRecordPayload["source"];
  recorded_at: Date;
}

/**
 * A contact is shown only to users who may see at least one of its conversations (the same rule
 * as the inbox); anyone else gets 404, learning nothing about whether it exists.
 */
async function assertMaySeeContact(
  db: Knex,
  viewer: ConversationViewer,
  contactId: number,
): Promise<void> {
  const visible = await whereVisibleTo(
    db("conversations as c").where("c.contact_id", contactId),
    viewer,
  ).first("c.id");
  if (visible === undefined) throw notFound("contact");
}

/** The contact panel: name, number, tags, consent with its history, conversation count. */
export async function contactPanelReader(props: {
  db: Knex;
  personalData: PersonalData;
  viewer: ConversationViewer;
  contactId: number;
}): Promise<ContactPanelPayload> {
  const { db, contactId } = props;
  await assertMaySeeContact(db, props.viewer, contactId);
  return presentPanel(db, props.personalData, contactId);
}

/**
 * Renames a contact and/or replaces its tags (`contacts.edit`, plus the visibility rule of the
 * panel). Tags differing only in case or accents are one tag (the column's collation says so);
 * the first spelling wins. Audited with the contact id and the changed field names, never the
 * values (they are personal data, and the activity log cannot be erased).
 */
export async function contactUpdater(props: {
  db: Knex;
  personalData: PersonalData;
  viewer: ConversationViewer;
  actor: AccountActor;
  contactId: number;
  input: ContactUpdateRequest;
}): Promise<ContactPanelPayload> {
  const { db, contactId, input } = props;
  await assertMaySeeContact(db, props.viewer, contactId);
  await db.transaction(async (trx) => {
    const contact = await trx("contacts").where({ id: contactId }).forUpdate().first("id");
    if (contact === undefined) throw notFound("contact");
    if (input.name !== undefined) {
      await trx("contacts").where({ id: contactId }).update({ name: input.name });
    }
    if (input.tags !== undefined) {
      await trx("contact_tags").where({ contact_id: contactId }).delete();
      const tags = distinctTags(input.tags);
      if (tags.length > 0) {
        await trx("contact_tags").insert(tags.map((tag) => ({ contact_id: contactId, tag })));
      }
    }
    await ActivityLogEntry.record(trx, {
      action: "contacts.update",
      actor: props.actor,
      data: { contactId, fields: Object.keys(input).sort() },
    });
  });
  return presentPanel(db, props.personalData, contactId);
}

/** Tags without the duplicates the database would refuse (`utf8mb4_unicode_ci`). */
function distinctTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const tag of tags) {
    const key = tag
      .normalize("NFD")
      .replace(/\p{M}/gu, "")
      .toLocaleLowerCase("pt-BR")
      .replace(/\s+$/u, "");
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(tag);
  }
  return kept;
}

async function presentPanel(
  db: Knex,
  personal: PersonalData,
  contactId: number,
): Promise<ContactPanelPayload> {
  const contact = (await db("contacts")
    .where({ id: contactId })
    .first("id", "name", "wa_id_sealed", "consent_status", "consent_updated_at", "created_at")) as
    | ContactRow
    | undefined;
  if (contact === undefined) throw notFound("contact");
  const tags = (await db("contact_tags")
    .where({ contact_id: contactId })
    .orderBy("tag")
    .pluck("tag")) as string[];
  const history = (await db("consent_records")
    .where({ contact_id: contactId })
    .orderBy("id", "desc")
    .limit(HISTORY_LIMIT)
    .select("status", "text_version", "channel", "source", "recorded_at")) as ConsentRecordRow[];
  const [{ count }] = (await db("conversations")
    .where({ contact_id: contactId })
    .count({ count: "*" })) as [{ count: number | string }];
  return {
    id: contact.id,
    name: contact.name,
    waId: personal.open("contacts.wa_id", contact.wa_id_sealed),
    tags,
    consent: {
      status: contact.consent_status,
      updatedAt: contact.consent_updated_at?.toISOString() ?? null,
      history: history.map((record) => ({
        status: record.status,
        textVersion: record.text_version,
        channel: record.channel,
        source: record.source,
        recordedAt: record.recorded_at.toISOString(),
      })),
    },
    conversationCount: Number(count),
    createdAt: contact.created_at.toISOString(),
  };
}
