import type { Knex } from "knex";
import type { MessagePayload } from "../../contracts/messages.js";
import type { MessageStatusChanged } from "../../contracts/socket-events.js";
import type { PersonalData } from "../crypto/personalData.js";
import { asDeliveryStatus, STATUS_RANK } from "../integrations/whatsapp/deliveryStatus.js";
import { classifyGraphFailure } from "../integrations/whatsapp/graphApi.js";
import {
  type ParsedSender,
  parseInboundMessage,
  parseSender,
  parseTimestamp,
} from "../integrations/whatsapp/inboundMessage.js";
import { messageIdFromCallbackData } from "../integrations/whatsapp/outboundMessage.js";
import { type MessageRow, presentMessage } from "../presenters/presentMessage.js";
import { maskSensitiveNumbers } from "../privacy/sensitiveNumbers.js";
import {
  type ConsentSettings,
  consentOnInbound,
  type QueuedSystemMessage,
} from "./consentRecorder.js";

/** Props of `whatsappEventProcessor`. */
export interface WhatsappEventProcessorProps {
  db: Knex;
  /** The inbox row to process (`whatsapp_inbox_events.event_key`). */
  eventKey: string;
  /** A resolved conversation reopens on a message within this many hours (env). */
  reopenHours: number;
  /** Mask CPF, CNPJ and card numbers in stored text (env `MASK_SENSITIVE_NUMBERS`). */
  maskSensitiveNumbers?: boolean;
  /** How consent is asked (LGPD); opt-outs are honoured without it too. */
  consent?: ConsentSettings;
  /** Seals the sender's identifiers and hashes them for lookup. */
  personalData: PersonalData;
}

/** What processing produced, for the side effects that follow the commit. */
export interface ProcessedEvent {
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
}

type Json = Record<string, unknown>;

interface InboxRow {
  id: number;
  kind: "message" | "status" | "template" | "other";
  /** Sealed JSON text (`PersonalData`, field `whatsapp_inbox_events.payload`). */
  payload: string;
  processed_at: Date | null;
}

/**
 * Processes one stored webhook event in one transaction, so it happens exactly once however
 * often the job runs: the inbox row is locked, skipped if already processed, and marked
 * processed in the same commit as its effects.
 * - message: contact (BSUID first, phone fallback), conversation (reopen rule), message row
 *   (unique wamid) and, for media, a pending `message_media` row;
 * - status: the best status per wamid, never downgraded, applied to the message if stored;
 * - template: `message_templates` updated, older updates never overwriting newer ones;
 * - other: recorded only.
 */
export async function whatsappEventProcessor(
  props: WhatsappEventProcessorProps,
): Promise<ProcessedEvent> {
  return props.db.transaction(async (trx) => {
    const row = (await trx("whatsapp_inbox_events")
      .where({ event_key: props.eventKey })
      .forUpdate()
      .first()) as InboxRow | undefined;
    if (row === undefined) return { outcome: "missing" };
    if (row.processed_at !== null) return { outcome: "already_processed" };
    const payload = JSON.parse(
      props.personalData.open("whatsapp_inbox_events.payload", row.payload) ?? "{}",
    ) as Json;

    let result: ProcessedEvent = { outcome: "processed" };
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
        result = await processMessage(
          trx,
          payload,
          props.personalData,
          props.reopenHours,
          props.consent,
        );
        break;
      case "status": {
        const statusChanged = await processStatus(trx, payload);
        if (statusChanged !== undefined) result = { outcome: "processed", statusChanged };
        break;
      }
      case "template": {
        const templateChange = await processTemplateUpdate(trx, payload);
        if (templateChange !== undefined) result = { ...result, templateChange };
        break;
      }
      default:
        break;
    }
    await trx("whatsapp_inbox_events")
      .where({ id: row.id })
      .update({ processed_at: trx.fn.now(3), attempts: trx.raw("attempts + 1"), last_error: null });
    return result;
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

async function processMessage(
  trx: Knex.Transaction,
  payload: Json,
  personalData: PersonalData,
  reopenHours: number,
  consent: ConsentSettings = { prompt: false, textVersion: "unversioned", text: "" },
): Promise<ProcessedEvent> {
  const parsed = parseInboundMessage(payload.message);
  const sender = parseSender(payload.contact, parsed);
  if (sender.userId === null && sender.waId === null) {
    throw new Error("inbound message without sender (no from, no user id)");
  }
  const contactId = await upsertContact(trx, personalData, sender);
  const { id: conversationId, change } = await conversationFor(
    trx,
    contactId,
    parsed.sentAt,
    reopenHours,
  );

  const [insert] = (await trx.raw(
    `INSERT IGNORE INTO messages
       (conversation_id, direction, wamid, type, content, text, reply_to_wamid, sent_at)
     VALUES (?, 'inbound', ?, ?, ?, ?, ?, ?)`,
    [
      conversationId,
      parsed.wamid,
      parsed.type,
      JSON.stringify(parsed.content),
      parsed.text,
      parsed.replyToWamid,
      parsed.sentAt,
    ],
  )) as [{ affectedRows: number; insertId: number }];
  // Stored by an earlier run that crashed before marking the event: nothing new to announce.
  if (insert.affectedRows === 0) return { outcome: "processed" };
  const messageId = insert.insertId;

  if (parsed.media !== null) {
    await trx("message_media").insert({
      message_id: messageId,
      whatsapp_media_id: parsed.media.id,
      kind: parsed.media.kind,
      mime_type: parsed.media.mimeType,
      sha256: parsed.media.sha256,
      filename: parsed.media.filename,
      status: "pending",
    });
  }
  await trx("conversations")
    .where({ id: conversationId })
    .update({
      last_message_at: trx.raw("GREATEST(COALESCE(last_message_at, ?), ?)", [
        parsed.sentAt,
        parsed.sentAt,
      ]),
      last_inbound_at: trx.raw("GREATEST(COALESCE(last_inbound_at, ?), ?)", [
        parsed.sentAt,
        parsed.sentAt,
      ]),
      unread_count: trx.raw("unread_count + 1"),
    });

  const systemMessages = await consentOnInbound(trx, {
    contactId,
    conversationId,
    wamid: parsed.wamid,
    content: parsed.content,
    settings: consent,
  });

  // Built from what was just written (no read-back): the same shape presentMessage gives.
  const stored: MessageRow = {
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
  return {
    outcome: "processed",
    createdMessage: { message: presentMessage(stored), contactId },
    ...(parsed.media === null ? {} : { mediaMessageId: messageId }),
    ...(systemMessages.length === 0 ? {} : { systemMessages }),
    ...(change === undefined ? {} : { conversationChange: { conversationId, change } }),
  };
}

interface ContactRow {
  id: number;
  whatsapp_user_id_hash: string | null;
  wa_id_hash: string | null;
  name: string | null;
  username_sealed: string | null;
}

/**
 * Finds or creates the sender's contact, locked for the rest of the transaction so concurrent
 * messages from one person thread into one conversation. The BSUID is the key; the phone number
 * is the fallback, and a contact first known by phone gains its BSUID when both appear. Both are
 * found by keyed hash (the unique indexes) and stored sealed.
 */
async function upsertContact(
  trx: Knex.Transaction,
  personal: PersonalData,
  sender: ParsedSender,
): Promise<number> {
  const userIdHash = sender.userId === null ? null : personal.lookupHash("bsuid", sender.userId);
  const waIdHash = sender.waId === null ? null : personal.lookupHash("phone", sender.waId);
  const find = async (column: "whatsapp_user_id_hash" | "wa_id_hash", hash: string | null) =>
    hash === null
      ? undefined
      : ((await trx("contacts")
          .where(column, hash)
          .forUpdate()
          .first("id", "whatsapp_user_id_hash", "wa_id_hash", "name", "username_sealed")) as
          | ContactRow
          | undefined);
  const findSender = async () =>
    (await find("whatsapp_user_id_hash", userIdHash)) ?? (await find("wa_id_hash", waIdHash));

  let contact = await findSender();
  if (contact === undefined) {
    // IGNORE: another job may create the same contact meanwhile; then lock theirs.
    await trx.raw(
      `INSERT IGNORE INTO contacts
         (whatsapp_user_id_hash, whatsapp_user_id_sealed, wa_id_hash, wa_id_sealed, name, username_sealed)
       VALUES (?, ?, ?, ?, ?, ?)`,
      [
        userIdHash,
        personal.seal("contacts.whatsapp_user_id", sender.userId),
        waIdHash,
        personal.seal("contacts.wa_id", sender.waId),
        sender.name,
        personal.seal("contacts.username", sender.username),
      ],
    );
    contact = await findSender();
    if (contact === undefined) throw new Error("contact could not be stored");
  }

  const changes: Record<string, string | null> = {};
  if (sender.name !== null && sender.name !== contact.name) changes.name = sender.name;
  if (
    sender.username !== null &&
    sender.username !== personal.open("contacts.username", contact.username_sealed)
  ) {
    changes.username_sealed = personal.seal("contacts.username", sender.username);
  }
  if (contact.whatsapp_user_id_hash === null && userIdHash !== null) {
    changes.whatsapp_user_id_hash = userIdHash;
    changes.whatsapp_user_id_sealed = personal.seal("contacts.whatsapp_user_id", sender.userId);
  }
  if (contact.wa_id_hash === null && waIdHash !== null) {
    // Only when no other contact owns the number (merging two contacts is an agent's call).
    const owner = await trx("contacts").where("wa_id_hash", waIdHash).first("id");
    if (owner === undefined) {
      changes.wa_id_hash = waIdHash;
      changes.wa_id_sealed = personal.seal("contacts.wa_id", sender.waId);
    }
  }
  if (Object.keys(changes).length > 0)
    await trx("contacts").where({ id: contact.id }).update(changes);
  return contact.id;
}

interface ConversationRow {
  id: number;
  status: "open" | "pending" | "resolved";
  resolved_at: Date | null;
}

/**
 * The conversation a new message belongs to: the contact's latest one if open; reopened if it
 * was resolved less than `reopenHours` before the message; otherwise a new one.
 */
async function conversationFor(
  trx: Knex.Transaction,
  contactId: number,
  sentAt: Date,
  reopenHours: number,
): Promise<{ id: number; change?: "created" | "status" }> {
  const latest = (await trx("conversations")
    .where({ contact_id: contactId })
    .orderBy("id", "desc")
    .first("id", "status", "resolved_at")) as ConversationRow | undefined;
  if (latest?.status === "open") return { id: latest.id };
  // Pending means waiting on the customer: their message makes it open again.
  if (latest?.status === "pending") {
    await trx("conversations").where({ id: latest.id }).update({ status: "open" });
    return { id: latest.id, change: "status" };
  }
  // Measured from the message's own time (a backlog must not change the outcome); a message
  // written before the agent resolved the conversation always reopens it.
  if (
    latest?.resolved_at != null &&
    sentAt.getTime() - latest.resolved_at.getTime() <= reopenHours * 3_600_000
  ) {
    await trx("conversations")
      .where({ id: latest.id })
      .update({ status: "open", resolved_at: null });
    return { id: latest.id, change: "status" };
  }
  const [id] = await trx("conversations").insert({
    contact_id: contactId,
    status: "open",
    opened_at: sentAt,
  });
  if (id === undefined) throw new Error("conversation could not be created");
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
