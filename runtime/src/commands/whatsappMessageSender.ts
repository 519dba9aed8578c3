import type { Knex } from "knex";
import type { MessagePayload } from "../../contracts/messages.js";
import type { OutboundMessage, SendMessageRequest } from "../../contracts/outbound-messages.js";
import type { FilledTemplateText } from "../../contracts/templates.js";
import type { AuthContext } from "../auth/resolveSession.js";
import {
  conflict,
  validationError,
  whatsappNotConfigured,
  whatsappWindowClosed,
} from "../errors.js";
import {
  filledTemplateText,
  outboundContent,
  previewText,
  type StoredOutboundRequest,
  storedType,
} from "../integrations/whatsapp/outboundMessage.js";
import type { WhatsappSettingsStore } from "../integrations/whatsapp/WhatsappSettingsStore.js";
import { MESSAGE_COLUMNS, type MessageRow, presentMessage } from "../presenters/presentMessage.js";
import {
  type MessageTemplateRow,
  templateComponents,
} from "../presenters/presentMessageTemplate.js";
import { maskSensitiveNumbers } from "../privacy/sensitiveNumbers.js";
import { assertConsentAllowsSend } from "./consentRecorder.js";
import {
  assertMaySeeConversation,
  type ConversationRef,
  loadConversation,
} from "./conversationAccess.js";

/** The customer service window (protocols.md A7). */
export const SERVICE_WINDOW_MS = 24 * 3_600_000;

/** True when a free-form message may go now: the customer wrote within the last 24 hours. */
export function windowOpen(lastInboundAt: Date | null, now: number = Date.now()): boolean {
  return lastInboundAt !== null && now - lastInboundAt.getTime() < SERVICE_WINDOW_MS;
}

/** Props of `whatsappMessageSender`. */
export interface WhatsappMessageSenderProps {
  db: Knex;
  settings: WhatsappSettingsStore;
  auth: AuthContext;
  conversationId: number;
  input: SendMessageRequest;
  /** Queues the send job (after the message is stored and announced). */
  schedule: (messageId: number) => Promise<void>;
  /** Announces the stored message (`message:created`). */
  announce: (message: MessagePayload, contactId: number) => Promise<void>;
  /**
   * Mask CPF, CNPJ and card numbers in the stored and shown copy (env `MASK_SENSITIVE_NUMBERS`);
   * WhatsApp still receives the text as typed (`outbound_request`), since the agent meant to
   * send it.
   */
  maskSensitiveNumbers?: boolean;
}

/** The stored message and whether this call stored it (false: an idempotent replay). */
export interface SentMessage {
  message: MessagePayload;
  created: boolean;
}

/**
 * Accepts one outbound message: checks the conversation, the WhatsApp configuration and the
 * 24-hour window (free-form only; templates always go), resolves the quoted/reacted message and
 * the uploaded file, stores the message as `queued` with what to send, announces it, then queues
 * the send job (data: the message id only). A `clientKey` seen before returns that message and
 * queues nothing new (the job id is the message id, so a re-queue is a no-op).
 */
export async function whatsappMessageSender(
  props: WhatsappMessageSenderProps,
): Promise<SentMessage> {
  const { db, input } = props;
  const conversation = await loadConversation(db, props.conversationId);
  assertMaySeeConversation(props.auth, conversation);

  const existing = await findByClientKey(db, input.clientKey);
  if (existing !== undefined) return replay(props, existing, conversation);

  const settings = await props.settings.get();
  if (settings === undefined || settings.accessToken === null) throw whatsappNotConfigured();
  if (input.message.type !== "template" && !windowOpen(conversation.lastInboundAt)) {
    throw whatsappWindowClosed(conversation.lastInboundAt);
  }
  // LGPD: a customer who withdrew consent gets no templates and no replies they did not ask for.
  await assertConsentAllowsSend(db, {
    contactId: conversation.contactId,
    conversationId: conversation.id,
    messageType: input.message.type,
    origin: "agent",
  });

  const contextWamid =
    input.replyToMessageId === undefined
      ? null
      : await wamidInConversation(db, conversation.id, input.replyToMessageId, "replyToMessageId");
  const reactionWamid =
    input.message.type === "reaction"
      ? await wamidInConversation(db, conversation.id, input.message.messageId, "message.messageId")
      : null;
  const request: StoredOutboundRequest = { message: input.message, contextWamid, reactionWamid };
  const templateText =
    input.message.type === "template" ? await sentTemplateText(db, input.message) : undefined;

  let inserted: { id: number; row: MessageRow } | undefined;
  try {
    inserted = await db.transaction(async (trx) => {
      const upload =
        "uploadId" in input.message && input.message.uploadId !== undefined
          ? await claimableUpload(trx, conversation.id, input.message.uploadId, input.message.type)
          : undefined;
      const now = new Date();
      const content = storedCopy(
        props,
        outboundContent(input.message, {
          reactionWamid,
          mimeType: upload?.mime_type ?? null,
          templateText,
        }),
      );
      const [id] = await trx("messages").insert({
        conversation_id: conversation.id,
        direction: "outbound",
        wamid: null,
        type: storedType(input.message),
        content: JSON.stringify(content),
        text: storedCopy(props, templateText?.body ?? previewText(input.message)),
        reply_to_wamid: contextWamid,
        status: "queued",
        status_rank: 0,
        sent_at: now,
        client_key: input.clientKey,
        outbound_request: JSON.stringify(request),
        sent_by_user_id: props.auth.user.id,
        origin: "agent",
      });
      if (id === undefined) throw new Error("message not stored");
      if (upload !== undefined) {
        const claimed = await trx("outbound_media")
          .where({ id: upload.id })
          .whereNull("message_id")
          .update({ message_id: id });
        if (claimed !== 1)
          throw validationError("This upload was already sent.", { field: "message.uploadId" });
        await trx("message_media").insert({
          message_id: id,
          whatsapp_media_id: null,
          kind: upload.kind,
          mime_type: upload.mime_type,
          filename: upload.filename,
          status: "ready",
          size_bytes: upload.size_bytes,
          path: upload.path,
        });
      }
      await trx("conversations")
        .where({ id: conversation.id })
        .update({
          last_message_at: trx.raw("GREATEST(COALESCE(last_message_at, ?), ?)", [now, now]),
          // First response time: the first reply once the customer has written.
          first_response_at: trx.raw(
            "CASE WHEN first_response_at IS NULL AND last_inbound_at IS NOT NULL THEN ? ELSE first_response_at END",
            [now],
          ),
        });
      const row: MessageRow = {
        id,
        conversation_id: conversation.id,
        direction: "outbound",
        wamid: null,
        type: storedType(input.message),
        content,
        reply_to_wamid: contextWamid,
        status: "queued",
        sent_at: now,
        failure_reason: null,
        sent_by_user_id: props.auth.user.id,
        client_key: input.clientKey,
        media_status: upload === undefined ? null : "ready",
        media_mime_type: upload?.mime_type ?? null,
        media_size_bytes: upload?.size_bytes ?? null,
        media_error: null,
      };
      return { id, row };
    });
  } catch (error) {
    // Two concurrent POSTs with one key: the loser answers with the winner's message.
    if (isDuplicateKey(error)) {
      const winner = await findByClientKey(db, input.clientKey);
      if (winner !== undefined) return replay(props, winner, conversation);
    }
    throw error;
  }
  const message = presentMessage(inserted.row);
  await props.announce(message, conversation.contactId);
  await props.schedule(inserted.id);
  return { message, created: true };
}

async function replay(
  props: WhatsappMessageSenderProps,
  existing: MessageRow,
  conversation: ConversationRef,
): Promise<SentMessage> {
  if (existing.conversation_id !== conversation.id) {
    throw conflict("This clientKey was already used for a message in another conversation.");
  }
  // The first POST may have stored the message and died before queuing it.
  if (existing.status === "queued") await props.schedule(Number(existing.id));
  return { message: presentMessage(existing), created: false };
}

async function findByClientKey(db: Knex, clientKey: string): Promise<MessageRow | undefined> {
  return (await db("messages as m")
    .leftJoin("message_media as mm", "mm.message_id", "m.id")
    .where("m.client_key", clientKey)
    .first(...MESSAGE_COLUMNS)) as MessageRow | undefined;
}

/** The wamid of a message of this conversation that WhatsApp knows (it has a wamid). */
async function wamidInConversation(
  db: Knex,
  conversationId: number,
  messageId: number,
  field: string,
): Promise<string> {
  const row = (await db("messages")
    .where({ id: messageId, conversation_id: conversationId })
    .first("wamid")) as { wamid: string | null } | undefined;
  if (row === undefined) {
    throw validationError(`Invalid ${field}: not a message of this conversation.`, { field });
  }
  if (row.wamid === null) {
    throw validationError(`Invalid ${field}: that message has not reached WhatsApp.`, { field });
  }
  return row.wamid;
}

interface UploadRow {
  id: number;
  kind: string;
  mime_type: string;
  filename: string | null;
  size_bytes: number;
  path: string;
  message_id: number | null;
}

async function claimableUpload(
  trx: Knex.Transaction,
  conversationId: number,
  uploadId: number,
  type: string,
): Promise<UploadRow> {
  const upload = (await trx("outbound_media")
    .where({ id: uploadId, conversation_id: conversationId })
    .forUpdate()
    .first()) as UploadRow | undefined;
  const field = "message.uploadId";
  if (upload === undefined) {
    throw validationError("Invalid message.uploadId: no such upload in this conversation.", {
      field,
    });
  }
  if (upload.kind !== type) {
    throw validationError(
      `Invalid message.uploadId: the upload is a ${upload.kind}, not a ${type}.`,
      {
        field,
      },
    );
  }
  if (upload.message_id !== null) {
    throw validationError("Invalid message.uploadId: this upload was already sent.", { field });
  }
  return upload;
}

function isDuplicateKey(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    "code" in error &&
    (error as { code?: unknown }).code === "ER_DUP_ENTRY"
  );
}

/** Content keys that identify or fetch something rather than say it: never masked. */
const UNMASKED_KEYS = new Set(["targetWamid", "link", "mimeType", "id", "name", "language"]);

/**
 * The copy of an outbound message that is stored and shown: with `maskSensitiveNumbers`, every
 * text in it has CPF, CNPJ and card numbers masked (as inbound messages are).
 */
function storedCopy<T>(props: { maskSensitiveNumbers?: boolean }, value: T): T {
  if (props.maskSensitiveNumbers !== true) return value;
  const mask = (node: unknown, key?: string): unknown => {
    if (typeof node === "string")
      return key !== undefined && UNMASKED_KEYS.has(key) ? node : maskSensitiveNumbers(node);
    if (Array.isArray(node)) return node.map((item) => mask(item));
    if (typeof node === "object" && node !== null) {
      return Object.fromEntries(
        Object.entries(node).map(([name, item]) => [name, mask(item, name)]),
      );
    }
    return node;
  };
  return mask(value) as T;
}

/**
 * What a template message will read like on the customer's phone, from the template as last
 * synced (null when it is not known here: Meta then still validates the name and parameters).
 */
async function sentTemplateText(
  db: Knex,
  message: Extract<OutboundMessage, { type: "template" }>,
): Promise<FilledTemplateText | null> {
  const row = (await db("message_templates")
    .where({ name: message.name, language: message.language })
    .orderBy("id", "desc")
    .first("components")) as Pick<MessageTemplateRow, "components"> | undefined;
  const components = row === undefined ? null : templateComponents(row);
  return components === null ? null : filledTemplateText(components, message);
}
