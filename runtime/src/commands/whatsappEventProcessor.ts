import type { Knex } from "knex";
import type { ConsentStatus } from "../../contracts/contacts.js";
import { type MessagePayload, STATUS_RANK } from "../../contracts/messages.js";
import type { ContactChanged, MessageStatusChanged } from "../../contracts/socket-events.js";
import type { PersonalData } from "../crypto/personalData.js";
import { asDeliveryStatus } from "../integrations/whatsapp/deliveryStatus.js";
import { classifyGraphFailure } from "../integrations/whatsapp/graphApi.js";
import {
  type ParsedInboundMessage,
  type ParsedSender,
  parseInboundMessage,
  parseSender,
  parseTimestamp,
} from "../integrations/whatsapp/inboundMessage.js";
import { messageIdFromCallbackData } from "../integrations/whatsapp/outboundMessage.js";
import { type MessageRow, presentMessage } from "../presenters/presentMessage.js";
import { maskSensitiveNumbers } from "../privacy/sensitiveNumbers.js";
import { redactDatabaseError } from "../utils/redactDatabaseError.js";
import {
  type ConsentSettings,
  consentOnInbound,
  inboundLeavesConsentAsIs,
  type QueuedSystemMessage,
} from "./consentRecorder.js";

/** Props of `whatsappEventProcessor`. */
export interface WhatsappEventProcessorProps {
  db: Knex;
  /** The inbox rows to process (`whatsapp_inbox_events.event_key`), in arrival order. */
  eventKeys: readonly string[];
  /** A resolved conversation reopens on a message within this many hours (env). */
  reopenHours: number;
  /** Mask CPF, CNPJ and card numbers in stored text (env `MASK_SENSITIVE_NUMBERS`). */
  maskSensitiveNumbers?: boolean;
  /** How consent is asked (LGPD); opt-outs are honoured without it too. */
  consent?: ConsentSettings;
  /** Seals the sender's identifiers and hashes them for lookup. */
  personalData: PersonalData;
}

/** What processing one event produced, for the side effects that follow the commit. */
export interface ProcessedEvent {
  eventKey: string;
  outcome: "processed" | "already_processed" | "missing";
  /** The message stored now, to broadcast. */
  createdMessage?: { message: MessagePayload; contactId: number };
  /** A message whose media must be downloaded. */
  mediaMessageId?: number;
  /** An outbound message whose status moved forward, to broadcast. */
  statusChanged?: MessageStatusChanged;
  /** A template whose review status changed, to announce (`template:statusChanged`). */
  templateChange?: { id: number; previousStatus: string | null };
  /** Messages atende queued by itself (consent question, confirmations): announce and send. */
  systemMessages?: QueuedSystemMessage[];
  /** A conversation the message created or reopened, to announce (`conversation:changed`). */
  conversationChange?: { conversationId: number; change: "created" | "status" };
  /** A contact whose consent the message changed, to announce (`contact:changed`). */
  contactChanged?: ContactChanged;
}

/** What `whatsappEventProcessor` did: the events processed and those that failed. */
export interface ProcessedEvents {
  processed: ProcessedEvent[];
  failed: Array<{ eventKey: string; error: unknown }>;
}

type Json = Record<string, unknown>;

interface InboxRow {
  id: number;
  event_key: string;
  kind: "message" | "status" | "template" | "other";
  /** Sealed JSON text (`PersonalData`, field `whatsapp_inbox_events.payload`). */
  payload: string;
  processed_at: Date | null;
}

/** MariaDB's answers to two transactions wanting each other's rows: worth another try. */
const LOCK_CONFLICTS = new Set(["ER_LOCK_DEADLOCK", "ER_LOCK_WAIT_TIMEOUT"]);
const isLockConflict = (error: unknown) =>
  typeof error === "object" &&
  error !== null &&
  LOCK_CONFLICTS.has(String((error as { code?: unknown }).code));

/**
 * Processes stored webhook events so each happens exactly once however often the job runs: the
 * inbox rows are locked, those already processed skipped, and the rest marked processed in the
 * same commit as their effects.
 *
 * Set-wise, because at hundreds of messages a second the cost is in round trips and commits,
 * not in the work: all the events of a job share one transaction, contacts are found and locked
 * with one query, created with one insert, messages stored with one insert and their
 * conversations updated with one statement. When that transaction fails (a malformed event, a
 * constraint), each event is processed again on its own, so one bad event never holds back the
 * others; lock conflicts with a concurrent job are retried first.
 * - message: contact (BSUID first, phone fallback), conversation (reopen rule), message row
 *   (unique wamid) and, for media, a pending `message_media` row;
 * - status: the best status per wamid, never downgraded, applied to the message if stored;
 * - template: `message_templates` updated, older updates never overwriting newer ones;
 * - other: recorded only.
 */
export async function whatsappEventProcessor(
  props: WhatsappEventProcessorProps,
): Promise<ProcessedEvents> {
  const keys = [...new Set(props.eventKeys)];
  for (let attempt = 1; ; attempt += 1) {
    try {
      return { processed: await processTogether(props, keys), failed: [] };
    } catch (error) {
      if (isLockConflict(error) && attempt < 3) continue;
      // What is kept of the failure (inbox row, logs, the job) must not quote SQL values.
      if (keys.length === 1) {
        return {
          processed: [],
          failed: [{ eventKey: keys[0] as string, error: redactDatabaseError(error) }],
        };
      }
      break;
    }
  }
  const outcome: ProcessedEvents = { processed: [], failed: [] };
  for (const eventKey of keys) {
    const alone = await whatsappEventProcessor({ ...props, eventKeys: [eventKey] });
    outcome.processed.push(...alone.processed);
    outcome.failed.push(...alone.failed);
  }
  return outcome;
}

/** One transaction for every event of `keys`. */
async function processTogether(
  props: WhatsappEventProcessorProps,
  keys: readonly string[],
): Promise<ProcessedEvent[]> {
  return props.db.transaction(async (trx) => {
    const rows = (await trx("whatsapp_inbox_events")
      .whereIn("event_key", keys)
      .orderBy("id")
      .forUpdate()
      .select("id", "event_key", "kind", "payload", "processed_at")) as InboxRow[];
    const byKey = new Map(rows.map((row) => [row.event_key, row]));
    const results = new Map<string, ProcessedEvent>();
    const messages: Array<{ row: InboxRow; payload: Json }> = [];
    for (const eventKey of keys) {
      const row = byKey.get(eventKey);
      if (row === undefined) results.set(eventKey, { eventKey, outcome: "missing" });
      else if (row.processed_at !== null)
        results.set(eventKey, { eventKey, outcome: "already_processed" });
    }
    const pending = rows.filter((row) => row.processed_at === null);

    for (const row of pending) {
      const payload = JSON.parse(
        props.personalData.open("whatsapp_inbox_events.payload", row.payload) ?? "{}",
      ) as Json;
      const processed: ProcessedEvent = { eventKey: row.event_key, outcome: "processed" };
      results.set(row.event_key, processed);
      switch (row.kind) {
        case "message":
          if (props.maskSensitiveNumbers === true && maskPayloadText(payload)) {
            // The raw event keeps the masked text too: it is kept until retention.
            await trx("whatsapp_inbox_events")
              .where({ id: row.id })
              .update({
                payload: props.personalData.seal(
                  "whatsapp_inbox_events.payload",
                  JSON.stringify(payload),
                ),
              });
          }
          messages.push({ row, payload });
          break;
        case "status": {
          const statusChanged = await processStatus(trx, payload);
          if (statusChanged !== undefined) processed.statusChanged = statusChanged;
          break;
        }
        case "template": {
          const templateChange = await processTemplateUpdate(trx, payload);
          if (templateChange !== undefined) processed.templateChange = templateChange;
          break;
        }
        default:
          break;
      }
    }
    for (const [eventKey, effects] of await processMessages(trx, props, messages)) {
      Object.assign(results.get(eventKey) ?? {}, effects);
    }

    if (pending.length > 0) {
      await trx("whatsapp_inbox_events")
        .whereIn(
          "id",
          pending.map((row) => row.id),
        )
        .update({
          processed_at: trx.fn.now(3),
          attempts: trx.raw("attempts + 1"),
          last_error: null,
        });
    }
    return keys.map((eventKey) => results.get(eventKey) ?? { eventKey, outcome: "missing" });
  });
}
/**
 * Masks CPF, CNPJ and card numbers in the customer-typed text of an inbound message payload (the
 * text body, a media caption) before anything is parsed or stored.
 * @returns whether anything changed
 */
function maskPayloadText(payload: Json): boolean {
  const message = payload.message;
  if (typeof message !== "object" || message === null) return false;
  const typed = message as Json;
  const part = typed[String(typed.type)];
  if (typeof part !== "object" || part === null) return false;
  const fields = part as Json;
  let changed = false;
  for (const field of ["body", "caption"] as const) {
    const value = fields[field];
    if (typeof value !== "string") continue;
    const masked = maskSensitiveNumbers(value);
    if (masked !== value) {
      fields[field] = masked;
      changed = true;
    }
  }
  return changed;
}

/** Records a failed processing attempt (outside the rolled-back transaction). */
export async function recordEventFailure(
  db: Knex,
  eventKey: string,
  error: unknown,
): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await db("whatsapp_inbox_events")
    .where({ event_key: eventKey })
    .update({ attempts: db.raw("attempts + 1"), last_error: message.slice(0, 500) });
}

/** An inbound message of the batch, parsed. */
interface InboundOfBatch {
  eventKey: string;
  parsed: ParsedInboundMessage;
  sender: ParsedSender;
  contact: ContactState;
}

/**
 * Stores the batch's inbound messages, in order: contacts, conversations (reopen rule),
 * messages, media rows, conversation counters, consent.
 * @returns the effects of each event, by event key
 */
async function processMessages(
  trx: Knex.Transaction,
  props: WhatsappEventProcessorProps,
  events: ReadonlyArray<{ row: InboxRow; payload: Json }>,
): Promise<Map<string, Partial<ProcessedEvent>>> {
  const effects = new Map<string, Partial<ProcessedEvent>>();
  if (events.length === 0) return effects;
  const parsedEvents = events.map(({ row, payload }) => {
    const parsed = parseInboundMessage(payload.message);
    const sender = parseSender(payload.contact, parsed);
    if (sender.userId === null && sender.waId === null) {
      throw new Error("inbound message without sender (no from, no user id)");
    }
    return { eventKey: row.event_key, parsed, sender };
  });
  const contacts = await lockContacts(
    trx,
    props.personalData,
    parsedEvents.map((event) => event.sender),
  );
  const inbound: InboundOfBatch[] = parsedEvents.map((event, i) => ({
    ...event,
    contact: contacts[i] as ContactState,
  }));

  // A wamid once per batch: Meta may deliver one message twice.
  const seen = new Set<string>();
  const unique = inbound.filter(({ parsed }) => !seen.has(parsed.wamid) && seen.add(parsed.wamid));

  const conversations = await latestConversations(
    trx,
    unique.map((message) => message.contact.id),
  );
  const conversationOf = new Map<InboundOfBatch, number>();
  for (const message of unique) {
    const { id, change } = await conversationFor(
      trx,
      conversations,
      message.contact.id,
      message.parsed.sentAt,
      props.reopenHours,
    );
    conversationOf.set(message, id);
    if (change !== undefined) {
      effects.set(message.eventKey, { conversationChange: { conversationId: id, change } });
    }
  }

  // IGNORE: a message stored already (its event processed under another key, a manual replay)
  // is neither stored nor announced again.
  const [insert] = (await trx.raw(
    `INSERT IGNORE INTO messages
       (conversation_id, direction, wamid, type, content, text, reply_to_wamid, sent_at)
     VALUES ${unique.map(() => "(?, 'inbound', ?, ?, ?, ?, ?, ?)").join(", ")}`,
    unique.flatMap((message) => [
      conversationOf.get(message) as number,
      message.parsed.wamid,
      message.parsed.type,
      JSON.stringify(message.parsed.content),
      message.parsed.text,
      message.parsed.replyToWamid,
      message.parsed.sentAt,
    ]),
  )) as [{ affectedRows: number; insertId: number }];
  if (insert.affectedRows === 0) return effects;
  // Ids grow with time, so the rows stored now are those from the insert id on; they need not be
  // consecutive (auto-increment lock modes differ between servers), so several are read back.
  const idOf =
    unique.length === 1
      ? new Map([[(unique[0] as InboundOfBatch).parsed.wamid, Number(insert.insertId)]])
      : new Map(
          (
            (await trx("messages")
              .whereIn(
                "wamid",
                unique.map((message) => message.parsed.wamid),
              )
              .andWhere("id", ">=", insert.insertId)
              .select("id", "wamid")) as Array<{ id: number; wamid: string }>
          ).map((row) => [row.wamid, Number(row.id)]),
        );
  const fresh = unique.filter((message) => idOf.has(message.parsed.wamid));
  const messageIdOf = (message: InboundOfBatch) => {
    const id = idOf.get(message.parsed.wamid);
    if (id === undefined) throw new Error("stored message not found");
    return id;
  };

  const media = fresh.filter((message) => message.parsed.media !== null);
  if (media.length > 0) {
    await trx("message_media").insert(
      media.map((message) => {
        const file = message.parsed.media as NonNullable<ParsedInboundMessage["media"]>;
        return {
          message_id: messageIdOf(message),
          whatsapp_media_id: file.id,
          kind: file.kind,
          mime_type: file.mimeType,
          sha256: file.sha256,
          filename: file.filename,
          status: "pending",
        };
      }),
    );
  }
  await countInbound(
    trx,
    fresh.map((message) => ({
      conversationId: conversationOf.get(message) as number,
      sentAt: message.parsed.sentAt,
    })),
  );

  for (const message of fresh) {
    const { parsed, contact } = message;
    const messageId = messageIdOf(message);
    const conversationId = conversationOf.get(message) as number;
    const settings = props.consent ?? { prompt: false, textVersion: "unversioned", text: "" };
    let systemMessages: QueuedSystemMessage[] = [];
    let consentChanged = false;
    if (
      contact.consentStatus === undefined ||
      !inboundLeavesConsentAsIs(contact.consentStatus, parsed.content, settings)
    ) {
      ({ systemMessages, changed: consentChanged } = await consentOnInbound(trx, {
        contactId: contact.id,
        conversationId,
        wamid: parsed.wamid,
        content: parsed.content,
        settings,
      }));
      // It may have changed it: later messages of this contact read it again.
      contact.consentStatus = undefined;
    }
    // Built from what was just written (no read-back): the same shape presentMessage gives.
    const row: MessageRow = {
      id: messageId,
      conversation_id: conversationId,
      direction: "inbound",
      wamid: parsed.wamid,
      type: parsed.type,
      content: parsed.content,
      reply_to_wamid: parsed.replyToWamid,
      status: null,
      sent_at: parsed.sentAt,
      media_status: parsed.media === null ? null : "pending",
      media_mime_type: parsed.media?.mimeType ?? null,
      media_size_bytes: null,
      media_error: null,
    };
    effects.set(message.eventKey, {
      ...effects.get(message.eventKey),
      createdMessage: { message: presentMessage(row), contactId: contact.id },
      ...(parsed.media === null ? {} : { mediaMessageId: messageId }),
      ...(systemMessages.length === 0 ? {} : { systemMessages }),
      ...(consentChanged ? { contactChanged: { contactId: contact.id, conversationId } } : {}),
    });
  }
  return effects;
}

/**
 * Adds the batch's messages to their conversations in one statement: the latest message and
 * inbound times move forward only, the unread count grows by the number of messages.
 */
async function countInbound(
  trx: Knex.Transaction,
  messages: ReadonlyArray<{ conversationId: number; sentAt: Date }>,
): Promise<void> {
  const byConversation = new Map<number, { latest: Date; count: number }>();
  for (const { conversationId, sentAt } of messages) {
    const current = byConversation.get(conversationId);
    if (current === undefined) byConversation.set(conversationId, { latest: sentAt, count: 1 });
    else {
      current.count += 1;
      if (sentAt > current.latest) current.latest = sentAt;
    }
  }
  const rows = [...byConversation];
  await trx.raw(
    `UPDATE conversations c
       JOIN (${rows.map(() => "SELECT ? AS id, CAST(? AS DATETIME(3)) AS sent_at, ? AS messages").join(" UNION ALL ")}) batch
         ON batch.id = c.id
        SET c.last_message_at = GREATEST(COALESCE(c.last_message_at, batch.sent_at), batch.sent_at),
            c.last_inbound_at = GREATEST(COALESCE(c.last_inbound_at, batch.sent_at), batch.sent_at),
            c.unread_count = c.unread_count + batch.messages`,
    rows.flatMap(([id, { latest, count }]) => [id, latest, count]),
  );
}

/** A sender's contact as the batch knows it (locked until the commit). */
interface ContactState {
  id: number;
  whatsapp_user_id_hash: string | null;
  wa_id_hash: string | null;
  name: string | null;
  username_sealed: string | null;
  /** Undefined once this batch may have changed it (read it again). */
  consentStatus: ConsentStatus | undefined;
}

const CONTACT_COLUMNS = [
  "id",
  "whatsapp_user_id_hash",
  "wa_id_hash",
  "name",
  "username_sealed",
  "consent_status",
] as const;

/**
 * Finds or creates each sender's contact, locked for the rest of the transaction so concurrent
 * messages from one person thread into one conversation. The BSUID is the key; the phone number
 * is the fallback, and a contact first known by phone gains its BSUID when both appear. Both are
 * found by keyed hash (the unique indexes) and stored sealed.
 * @returns the contact of each sender, in order (one object per contact)
 */
async function lockContacts(
  trx: Knex.Transaction,
  personal: PersonalData,
  senders: readonly ParsedSender[],
): Promise<ContactState[]> {
  const hashed = senders.map((sender) => ({
    sender,
    userIdHash: sender.userId === null ? null : personal.lookupHash("bsuid", sender.userId),
    waIdHash: sender.waId === null ? null : personal.lookupHash("phone", sender.waId),
  }));
  const byId = new Map<number, ContactState>();
  const byUserId = new Map<string, ContactState>();
  const byWaId = new Map<string, ContactState>();
  const lockBy = async (column: "whatsapp_user_id_hash" | "wa_id_hash", hashes: string[]) => {
    if (hashes.length === 0) return;
    // One unique index per query (an OR of both could scan and lock the table); sorted, so
    // concurrent jobs lock in the same order.
    const rows = (await trx("contacts")
      .whereIn(column, [...new Set(hashes)].sort())
      .orderBy("id")
      .forUpdate()
      .select(CONTACT_COLUMNS)) as Array<
      Omit<ContactState, "consentStatus"> & { consent_status: ConsentStatus }
    >;
    for (const { consent_status, ...row } of rows) {
      const contact = byId.get(row.id) ?? { ...row, consentStatus: consent_status };
      byId.set(row.id, contact);
      if (row.whatsapp_user_id_hash !== null) byUserId.set(row.whatsapp_user_id_hash, contact);
      if (row.wa_id_hash !== null) byWaId.set(row.wa_id_hash, contact);
    }
  };
  const load = async (entries: typeof hashed) => {
    await lockBy(
      "whatsapp_user_id_hash",
      entries.flatMap((entry) => entry.userIdHash ?? []),
    );
    await lockBy(
      "wa_id_hash",
      entries.flatMap((entry) => entry.waIdHash ?? []),
    );
  };
  const find = (entry: (typeof hashed)[number]) =>
    (entry.userIdHash === null ? undefined : byUserId.get(entry.userIdHash)) ??
    (entry.waIdHash === null ? undefined : byWaId.get(entry.waIdHash));

  await load(hashed);
  const unknown = hashed.filter((entry) => find(entry) === undefined);
  if (unknown.length > 0) {
    // IGNORE: another job may create the same contact meanwhile (or this batch twice); then
    // lock theirs.
    await trx.raw(
      `INSERT IGNORE INTO contacts
         (whatsapp_user_id_hash, whatsapp_user_id_sealed, wa_id_hash, wa_id_sealed, name, username_sealed)
       VALUES ${unknown.map(() => "(?, ?, ?, ?, ?, ?)").join(", ")}`,
      unknown.flatMap(({ sender, userIdHash, waIdHash }) => [
        userIdHash,
        personal.seal("contacts.whatsapp_user_id", sender.userId),
        waIdHash,
        personal.seal("contacts.wa_id", sender.waId),
        sender.name,
        personal.seal("contacts.username", sender.username),
      ]),
    );
    await load(unknown);
  }

  const changed = new Map<ContactState, Record<string, string | null>>();
  const contacts = hashed.map((entry) => {
    const contact = find(entry);
    if (contact === undefined) throw new Error("contact could not be stored");
    const { sender, userIdHash, waIdHash } = entry;
    const changes = changed.get(contact) ?? {};
    if (sender.name !== null && sender.name !== contact.name) {
      changes.name = contact.name = sender.name;
    }
    if (
      sender.username !== null &&
      sender.username !== personal.open("contacts.username", contact.username_sealed)
    ) {
      changes.username_sealed = contact.username_sealed = personal.seal(
        "contacts.username",
        sender.username,
      );
    }
    if (contact.whatsapp_user_id_hash === null && userIdHash !== null) {
      changes.whatsapp_user_id_hash = contact.whatsapp_user_id_hash = userIdHash;
      changes.whatsapp_user_id_sealed = personal.seal("contacts.whatsapp_user_id", sender.userId);
      byUserId.set(userIdHash, contact);
    }
    // Only when no other contact owns the number (merging two contacts is an agent's call).
    if (contact.wa_id_hash === null && waIdHash !== null && !byWaId.has(waIdHash)) {
      changes.wa_id_hash = contact.wa_id_hash = waIdHash;
      changes.wa_id_sealed = personal.seal("contacts.wa_id", sender.waId);
      byWaId.set(waIdHash, contact);
    }
    if (Object.keys(changes).length > 0) changed.set(contact, changes);
    return contact;
  });
  for (const [contact, changes] of changed) {
    await trx("contacts").where({ id: contact.id }).update(changes);
  }
  return contacts;
}

interface ConversationRow {
  id: number;
  contact_id: number;
  status: "open" | "pending" | "resolved";
  resolved_at: Date | null;
}

/** Each contact's latest conversation, by contact id. */
async function latestConversations(
  trx: Knex.Transaction,
  contactIds: readonly number[],
): Promise<Map<number, ConversationRow>> {
  const rows = (await trx("conversations as c")
    .join(
      trx("conversations")
        .whereIn("contact_id", [...new Set(contactIds)])
        .groupBy("contact_id")
        .select(trx.raw("MAX(id) AS id"))
        .as("latest"),
      "latest.id",
      "c.id",
    )
    .select("c.id", "c.contact_id", "c.status", "c.resolved_at")) as ConversationRow[];
  return new Map(rows.map((row) => [row.contact_id, row]));
}

/**
 * The conversation a new message belongs to: the contact's latest one if open; reopened if it
 * was resolved less than `reopenHours` before the message; otherwise a new one. `latest` follows
 * what this batch did.
 */
async function conversationFor(
  trx: Knex.Transaction,
  latest: Map<number, ConversationRow>,
  contactId: number,
  sentAt: Date,
  reopenHours: number,
): Promise<{ id: number; change?: "created" | "status" }> {
  const current = latest.get(contactId);
  if (current?.status === "open") return { id: current.id };
  // Pending means waiting on the customer: their message makes it open again.
  if (current?.status === "pending") {
    await trx("conversations").where({ id: current.id }).update({ status: "open" });
    current.status = "open";
    return { id: current.id, change: "status" };
  }
  // Measured from the message's own time (a backlog must not change the outcome); a message
  // written before the agent resolved the conversation always reopens it.
  if (
    current?.resolved_at != null &&
    sentAt.getTime() - current.resolved_at.getTime() <= reopenHours * 3_600_000
  ) {
    await trx("conversations")
      .where({ id: current.id })
      .update({ status: "open", resolved_at: null });
    Object.assign(current, { status: "open", resolved_at: null });
    return { id: current.id, change: "status" };
  }
  const [id] = await trx("conversations").insert({
    contact_id: contactId,
    status: "open",
    opened_at: sentAt,
  });
  if (id === undefined) throw new Error("conversation could not be created");
  latest.set(contactId, { id, contact_id: contactId, status: "open", resolved_at: null });
  return { id, change: "created" };
}

/**
 * Upserts the best status seen for a wamid and applies it to the message, both guarded by rank
 * so a late or duplicate report never moves a status backwards.
 */
async function processStatus(
  trx: Knex.Transaction,
  payload: Json,
): Promise<MessageStatusChanged | undefined> {
  const status = (payload.status ?? {}) as Json;
  const wamid = typeof status.id === "string" ? status.id : undefined;
  const state = asDeliveryStatus(status.status);
  if (wamid === undefined || state === undefined) return undefined;
  const rank = STATUS_RANK[state];
  const at = parseTimestamp(status.timestamp);
  const [error] = Array.isArray(status.errors) ? (status.errors as Json[]) : [];
  const errorCode = state === "failed" && typeof error?.code === "number" ? error.code : null;
  const errorTitle =
    state === "failed" ? String(error?.title ?? error?.message ?? "Failed").slice(0, 255) : null;
  const errorDetails =
    state === "failed"
      ? String(((error?.error_data ?? {}) as Json).details ?? error?.message ?? "") || null
      : null;

  // Assignments run left to right: status_rank must be updated last.
  await trx.raw(
    `INSERT INTO message_statuses (wamid, status, status_rank, status_at, error_code, error_title, error_details)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON DUPLICATE KEY UPDATE
       status = IF(VALUES(status_rank) > status_rank, VALUES(status), status),
       status_at = IF(VALUES(status_rank) > status_rank, VALUES(status_at), status_at),
       error_code = IF(VALUES(status_rank) > status_rank, VALUES(error_code), error_code),
       error_title = IF(VALUES(status_rank) > status_rank, VALUES(error_title), error_title),
       error_details = IF(VALUES(status_rank) > status_rank, VALUES(error_details), error_details),
       status_rank = GREATEST(status_rank, VALUES(status_rank))`,
    [wamid, state, rank, at, errorCode, errorTitle, errorDetails],
  );
  // A send whose worker died after Meta accepted it has no wamid yet: our callback data names
  // the row, so it learns its wamid here and the retry sees it was sent.
  const ownId = messageIdFromCallbackData(status.biz_opaque_callback_data);
  if (ownId !== undefined) {
    await trx("messages")
      .where({ id: ownId, direction: "outbound" })
      .whereNull("wamid")
      .update({ wamid, status: "accepted", status_rank: STATUS_RANK.accepted });
  }
  const failureReason =
    state === "failed" ? classifyGraphFailure(400, errorCode ?? undefined).reason : null;
  const update: Record<string, unknown> = { status: state, status_rank: rank };
  if (state === "failed")
    Object.assign(update, {
      error_code: errorCode,
      error_title: errorTitle,
      error_details: errorDetails,
      failure_reason: failureReason,
    });
  else update.failure_reason = null;
  const changed = await trx("messages")
    .where("wamid", wamid)
    .andWhere("status_rank", "<", rank)
    .update(update);
  if (changed === 0) return undefined;
  const message = (await trx("messages").where("wamid", wamid).first("id", "conversation_id")) as
    | { id: number; conversation_id: number }
    | undefined;
  if (message === undefined) return undefined;
  return {
    messageId: Number(message.id),
    conversationId: message.conversation_id,
    wamid,
    status: state,
    failureReason,
  };
}

/**
 * Applies a `message_template_status_update` unless a newer update was applied already.
 * @returns the template when its status changed
 */
async function processTemplateUpdate(
  trx: Knex.Transaction,
  payload: Json,
): Promise<{ id: number; previousStatus: string | null } | undefined> {
  const value = (payload.value ?? {}) as Json;
  const templateId = value.message_template_id;
  const event = value.event;
  if (
    (typeof templateId !== "number" && typeof templateId !== "string") ||
    typeof event !== "string"
  )
    return undefined;
  const at = typeof payload.time === "number" ? new Date(payload.time * 1000) : new Date();
  const row = {
    whatsapp_template_id: String(templateId),
    name: String(value.message_template_name ?? ""),
    language: String(value.message_template_language ?? ""),
    category:
      typeof value.message_template_category === "string" ? value.message_template_category : null,
    status: event,
    reason:
      typeof value.reason === "string" && value.reason !== "NONE"
        ? value.reason.slice(0, 255)
        : null,
    status_updated_at: at,
  };
  const existing = (await trx("message_templates")
    .where({ whatsapp_template_id: row.whatsapp_template_id })
    .forUpdate()
    .first("id", "status", "status_updated_at")) as
    | { id: number; status: string; status_updated_at: Date | null }
    | undefined;
  if (existing === undefined) {
    const [id] = await trx("message_templates").insert(row);
    return id === undefined ? undefined : { id, previousStatus: null };
  }
  if (existing.status_updated_at !== null && existing.status_updated_at > at) return undefined;
  const { whatsapp_template_id: _id, ...changes } = row;
  if (changes.name === "") Reflect.deleteProperty(changes, "name");
  if (changes.language === "") Reflect.deleteProperty(changes, "language");
  if (changes.category === null) Reflect.deleteProperty(changes, "category");
  await trx("message_templates").where({ id: existing.id }).update(changes);
  return existing.status === row.status
    ? undefined
    : { id: existing.id, previousStatus: existing.status };
}
