import path from "node:path";
import type { Knex } from "knex";
import { baseMimeType, MEDIA_LIMITS } from "../../contracts/media-limits.js";
import type { AuthContext } from "../auth/resolveSession.js";
import { notFound } from "../errors.js";
import { assertMaySeeConversation, loadConversation } from "./conversationAccess.js";

/** Props of `messageMediaReader`. */
export interface MessageMediaReaderProps {
  db: Knex;
  auth: AuthContext;
  conversationId: number;
  messageId: number;
  mediaDir: string;
}

/** A stored file the browser may be shown, and how to serve it. */
export interface MessageMediaFile {
  /** Relative to `MEDIA_DIR`, checked to stay inside it. */
  relativePath: string;
  /** The type stored with the file (what WhatsApp or the agent's upload declared). */
  mimeType: string;
  /** Shown inline only for image, audio and video types WhatsApp itself carries. */
  inline: boolean;
  /** A safe download name (documents carry the sender's; others get `<kind>-<id>.<ext>`). */
  filename: string;
}

/** Types a browser may render in the page: WhatsApp's own image, sticker, audio and video types. */
const INLINE_TYPES: ReadonlySet<string> = new Set([
  ...MEDIA_LIMITS.image.mimeTypes,
  ...MEDIA_LIMITS.sticker.mimeTypes,
  ...MEDIA_LIMITS.audio.mimeTypes,
  ...MEDIA_LIMITS.video.mimeTypes,
]);

/**
 * The stored file of a message's media (`GET /api/conversations/:id/messages/:messageId/media`),
 * for a user who may see the conversation. Anything else — an invisible conversation, a message
 * of another conversation, media still downloading or given up, a file gone from the volume's
 * records — is 404 `not_found`, so nothing is learnt about what exists.
 */
export async function messageMediaReader(
  props: MessageMediaReaderProps,
): Promise<MessageMediaFile> {
  const conversation = await loadConversation(props.db, props.conversationId);
  assertMaySeeConversation(props.auth, conversation);
  const row = (await props
    .db("message_media as mm")
    .join("messages as m", "m.id", "mm.message_id")
    .where({ "mm.message_id": props.messageId, "m.conversation_id": conversation.id })
    .first("mm.kind", "mm.status", "mm.path", "mm.mime_type", "mm.filename")) as
    | {
        kind: string;
        status: "pending" | "ready" | "failed";
        path: string | null;
        mime_type: string | null;
        filename: string | null;
      }
    | undefined;
  if (row === undefined || row.status !== "ready" || row.path === null) throw notFound("media");
  const root = path.resolve(props.mediaDir);
  const absolute = path.resolve(root, row.path);
  // The path comes from our own rows, but a file outside the volume is never served.
  if (!absolute.startsWith(root + path.sep)) throw notFound("media");
  const mimeType = baseMimeType(row.mime_type ?? "") || "application/octet-stream";
  return {
    relativePath: path.relative(root, absolute),
    mimeType,
    inline: row.kind !== "document" && INLINE_TYPES.has(mimeType),
    filename: row.filename ?? `${row.kind}-${props.messageId}${path.extname(row.path)}`,
  };
}
