import type {
  DeliveryStatus,
  MediaStatus,
  MessageContent,
  MessagePayload,
} from "../../contracts/messages.js";
import type { FailureReason } from "../../contracts/whatsapp-failures.js";

/** A `messages` row joined with its optional `message_media` row. */
export interface MessageRow {
  id: number | string;
  conversation_id: number;
  direction: "inbound" | "outbound";
  wamid: string | null;
  type: string;
  content: MessageContent | string;
  reply_to_wamid: string | null;
  status: string | null;
  sent_at: Date;
  failure_reason?: string | null;
  sent_by_user_id?: number | null;
  client_key?: string | null;
  media_status?: MediaStatus | null;
  media_mime_type?: string | null;
  media_size_bytes?: number | string | null;
  media_error?: string | null;
}

/** The only way a message leaves the server (API and Socket.IO). */
export function presentMessage(row: MessageRow): MessagePayload {
  const content =
    typeof row.content === "string" ? (JSON.parse(row.content) as MessageContent) : row.content;
  return {
    id: Number(row.id),
    conversationId: row.conversation_id,
    direction: row.direction,
    wamid: row.wamid,
    type: row.type,
    content,
    replyToWamid: row.reply_to_wamid,
    status: (row.status as DeliveryStatus | null) ?? null,
    failureReason: (row.failure_reason as FailureReason | null | undefined) ?? null,
    sentByUserId: row.sent_by_user_id ?? null,
    clientKey: row.client_key ?? null,
    media:
      row.media_status === undefined || row.media_status === null
        ? null
        : {
            status: row.media_status,
            mimeType: row.media_mime_type ?? null,
            sizeBytes: row.media_size_bytes == null ? null : Number(row.media_size_bytes),
            error: row.media_error ?? null,
          },
    sentAt: row.sent_at.toISOString(),
  };
}

/** Columns to select (from `messages m` left-joined with `message_media mm`) for `presentMessage`. */
export const MESSAGE_COLUMNS = [
  "m.id",
  "m.conversation_id",
  "m.direction",
  "m.wamid",
  "m.type",
  "m.content",
  "m.reply_to_wamid",
  "m.status",
  "m.sent_at",
  "m.failure_reason",
  "m.sent_by_user_id",
  "m.client_key",
  "mm.status as media_status",
  "mm.mime_type as media_mime_type",
  "mm.size_bytes as media_size_bytes",
  "mm.error as media_error",
] as const;
