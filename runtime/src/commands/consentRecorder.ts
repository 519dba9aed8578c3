import type { Knex } from "knex";
import type { ConsentStatus } from "../../contracts/contacts.js";
import type { MessageContent, MessagePayload } from "../../contracts/messages.js";
import type { OutboundMessage } from "../../contracts/outbound-messages.js";
import type { Env } from "../env.js";
import { type AppError, consentRevoked as consentRevokedError } from "../errors.js";
import {
  consentIntentOf,
  consentQuestion,
  DEFAULT_CONSENT_TEXT,
  GRANTED_AGAIN_TEXT,
  REVOKED_CONFIRMATION_TEXT,
  systemText,
} from "../integrations/whatsapp/consentMessages.js";
import {
  outboundContent,
  previewText,
  type StoredOutboundRequest,
  storedType,
} from "../integrations/whatsapp/outboundMessage.js";
import { ActivityLogEntry } from "../models/ActivityLogEntry.js";
import { type MessageRow, presentMessage } from "../presenters/presentMessage.js";

/**
 * Consent (LGPD), the rule:
 *
 * 1. **Asking.** When a contact whose `consent_status` is `unknown` writes (any inbound message
 *    that is not itself a decision) and the tenant asks (`CONSENT_PROMPT`, default on), atende
 *    queues the question as reply buttons ("Concordo" `consent:grant:<version>`, "Não concordo"
 *    `consent:deny:<version>`) through the normal send queue with `origin = 'system'` (never a
 *    first response), and records `asked` (source `system`). It asks once: `asked` is not asked
 *    again; agents answer meanwhile as usual.
 * 2. **Deciding.** A tap on our button records `granted` / `revoked` with the button's text
 *    version (source `button`); a message that is exactly STOP, SAIR or PARAR (any case,
 *    accents and surrounding spaces ignored) records `revoked`, exactly VOLTAR or START `granted`
 *    (source `keyword`, the current text version). A decision equal to the current state changes
 *    nothing. Withdrawing queues one short confirmation (system, sent although revoked);
 *    VOLTAR/START after a withdrawal queues a thank-you. Every change appends to
 *    `consent_records` (time, text version, channel `whatsapp`, source, the message's wamid),
 *    updates `contacts.consent_status`/`consent_updated_at` and writes `contacts.consent` to the
 *    activity log (contact id only). A message is processed once (its wamid is unique), and a
 *    wamid already recorded is never recorded twice.
 * 3. **Sending while revoked** (`assertConsentAllowsSend`, before anything is queued): templates
 *    (business-initiated) and automatic answers (`origin = 'automatic'`) are refused with 409
 *    `consent_revoked`; an agent's free-form reply is allowed only when the customer wrote again
 *    after withdrawing (a new inbound message in that conversation: they started talking, and the
 *    24-hour window applies as usual), else refused. `unknown` and `asked` block nothing. System
 *    messages (the confirmations) are never blocked.
 *
 * Opting out works whether or not the tenant asks: `CONSENT_PROMPT=false` only stops the question.
 */

/** How the tenant asks (env `CONSENT_PROMPT`, `CONSENT_TEXT_VERSION`, `CONSENT_TEXT`). */
export interface ConsentSettings {
  /** Ask new contacts on their first message. */
  prompt: boolean;
  textVersion: string;
  /** The question's body. */
  text: string;
}

/** The consent settings from the environment. */
export function consentSettingsFrom(
  env: Pick<Env, "CONSENT_PROMPT" | "CONSENT_TEXT_VERSION" | "CONSENT_TEXT">,
): ConsentSettings {
  return {
    prompt: env.CONSENT_PROMPT,
    textVersion: env.CONSENT_TEXT_VERSION,
    text: env.CONSENT_TEXT ?? DEFAULT_CONSENT_TEXT,
  };
}

/** Where consent is recorded from. */
export const CONSENT_CHANNEL = "whatsapp";

/** A system message stored as `queued`: announce it and queue its send after the commit. */
export interface QueuedSystemMessage {
  message: MessagePayload;
  contactId: number;
}

/** 409 `consent_revoked`: the customer withdrew consent, so this message may not go. */
export function consentRevoked(
  revokedAt: Date | null,
  reason: "template" | "automatic" | "no_message_since_revocation",
): AppError {
  const message =
    reason === "no_message_since_revocation"
      ? "The customer withdrew consent (LGPD): you can reply once they write to you again."
      : "The customer withdrew consent (LGPD): templates and automatic messages cannot be sent to them.";
  return consentRevokedError(message, {
    consentStatus: "revoked",
    revokedAt: revokedAt?.toISOString() ?? null,
    reason,
  });
}

/**
 * Appends one consent event and makes it the contact's current state, in the caller's
 * transaction, and writes it to the activity log (ids and versions only: the log is
 * append-only and must hold nothing an erasure would have to remove).
 */
export async function consentRecorder(
  trx: Knex.Transaction,
  props: {
    contactId: number;
    status: Exclude<ConsentStatus, "unknown">;
    source: "button" | "keyword" | "agent" | "system";
    textVersion: string;
    wamid?: string | null;
    /** The user who recorded it (source `agent`). */
    userId?: number | null;
  },
): Promise<void> {
  await trx("consent_records").insert({
    contact_id: props.contactId,
    status: props.status,
    text_version: props.textVersion,
    channel: CONSENT_CHANNEL,
    source: props.source,
    wamid: props.wamid ?? null,
    recorded_by_user_id: props.userId ?? null,
    recorded_at: trx.raw("NOW(3)"),
  });
  await trx("contacts")
    .where({ id: props.contactId })
    .update({ consent_status: props.status, consent_updated_at: trx.raw("NOW(3)") });
  await ActivityLogEntry.record(trx, {
    action: "contacts.consent",
    actorUserId: props.userId ?? null,
    data: {
      contactId: props.contactId,
      status: props.status,
      source: props.source,
      textVersion: props.textVersion,
      channel: CONSENT_CHANNEL,
    },
  });
}

/**
 * Whether an inbound message leaves a contact's consent as it is (`current`): neither a decision
 * that changes it nor a first message to ask after. `consentOnInbound` does nothing then, so
 * callers that already know the status may skip it.
 */
export function inboundLeavesConsentAsIs(
  current: ConsentStatus,
  content: MessageContent,
  settings: ConsentSettings,
): boolean {
  const intent = consentIntentOf(content);
  if (intent === undefined) return current !== "unknown" || !settings.prompt;
  return intent.status === current;
}

/**
 * Applies the rule (see the top of this file) to one newly stored inbound message, inside the
 * transaction that stored it (the contact row is locked by then).
 * @returns system messages stored as `queued`, to announce and queue after the commit, and
 *   whether the contact's consent changed (the contact panel shows it)
 */
export async function consentOnInbound(
  trx: Knex.Transaction,
  props: {
    contactId: number;
    conversationId: number;
    wamid: string;
    content: MessageContent;
    settings: ConsentSettings;
  },
): Promise<{ systemMessages: QueuedSystemMessage[]; changed: boolean }> {
  const unchanged = { systemMessages: [], changed: false };
  const contact = (await trx("contacts")
    .where({ id: props.contactId })
    .forUpdate()
    .first("consent_status")) as { consent_status: ConsentStatus } | undefined;
  if (contact === undefined) return unchanged;
  const current = contact.consent_status;
  if (inboundLeavesConsentAsIs(current, props.content, props.settings)) return unchanged;
  const intent = consentIntentOf(props.content);

  if (intent === undefined) {
    const question = await queueSystemMessage(trx, {
      conversationId: props.conversationId,
      contactId: props.contactId,
      message: consentQuestion(props.settings),
    });
    await consentRecorder(trx, {
      contactId: props.contactId,
      status: "asked",
      source: "system",
      textVersion: props.settings.textVersion,
    });
    return { systemMessages: [question], changed: true };
  }

  const seen = await trx("consent_records").where({ wamid: props.wamid }).first("id");
  if (seen !== undefined) return unchanged;
  await consentRecorder(trx, {
    contactId: props.contactId,
    status: intent.status,
    source: intent.source,
    textVersion: intent.textVersion ?? props.settings.textVersion,
    wamid: props.wamid,
  });
  const reply =
    intent.status === "revoked"
      ? REVOKED_CONFIRMATION_TEXT
      : intent.source === "keyword" && current === "revoked"
        ? GRANTED_AGAIN_TEXT
        : undefined;
  if (reply === undefined) return { systemMessages: [], changed: true };
  const confirmation = await queueSystemMessage(trx, {
    conversationId: props.conversationId,
    contactId: props.contactId,
    message: systemText(reply),
  });
  return { systemMessages: [confirmation], changed: true };
}

/**
 * Stores a message atende sends by itself (`origin = 'system'`, no sender) as `queued`, the way
 * the send API stores an agent's, so the send job treats it alike (order, window, pacing).
 */
export async function queueSystemMessage(
  trx: Knex.Transaction,
  props: { conversationId: number; contactId: number; message: OutboundMessage },
): Promise<QueuedSystemMessage> {
  const now = new Date();
  const content = outboundContent(props.message, { reactionWamid: null, mimeType: null });
  const request: StoredOutboundRequest = {
    message: props.message,
    contextWamid: null,
    reactionWamid: null,
  };
  const [id] = await trx("messages").insert({
    conversation_id: props.conversationId,
    direction: "outbound",
    wamid: null,
    type: storedType(props.message),
    content: JSON.stringify(content),
    text: previewText(props.message),
    status: "queued",
    status_rank: 0,
    sent_at: now,
    outbound_request: JSON.stringify(request),
    sent_by_user_id: null,
    origin: "system",
  });
  if (id === undefined) throw new Error("system message not stored");
  await trx("conversations")
    .where({ id: props.conversationId })
    .update({
      last_message_at: trx.raw("GREATEST(COALESCE(last_message_at, ?), ?)", [now, now]),
    });
  const row: MessageRow = {
    id,
    conversation_id: props.conversationId,
    direction: "outbound",
    wamid: null,
    type: storedType(props.message),
    content,
    reply_to_wamid: null,
    status: "queued",
    sent_at: now,
    failure_reason: null,
    sent_by_user_id: null,
    client_key: null,
  };
  return { message: presentMessage(row), contactId: props.contactId };
}

/**
 * Refuses a message the contact's consent does not allow (rule 3 at the top of this file).
 * @throws consent_revoked (409)
 */
export async function assertConsentAllowsSend(
  db: Knex,
  props: {
    contactId: number;
    conversationId: number;
    messageType: OutboundMessage["type"];
    origin: "agent" | "automatic" | "system";
  },
): Promise<void> {
  if (props.origin === "system") return;
  const contact = (await db("contacts")
    .where({ id: props.contactId })
    .first("consent_status", "consent_updated_at")) as
    | { consent_status: ConsentStatus; consent_updated_at: Date | null }
    | undefined;
  if (contact === undefined || contact.consent_status !== "revoked") return;
  const revokedAt = contact.consent_updated_at;
  if (props.messageType === "template") throw consentRevoked(revokedAt, "template");
  if (props.origin === "automatic") throw consentRevoked(revokedAt, "automatic");
  const wroteSince = await db("messages")
    .where({ conversation_id: props.conversationId, direction: "inbound" })
    .modify((query) => {
      if (revokedAt !== null) query.where("created_at", ">", revokedAt);
    })
    .first("id");
  if (wroteSince === undefined) throw consentRevoked(revokedAt, "no_message_since_revocation");
}
