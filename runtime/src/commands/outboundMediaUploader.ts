import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Knex } from "knex";
import type { MediaKind } from "../../contracts/messages.js";
import type { OutboundMediaPayload } from "../../contracts/outbound-messages.js";
import type { AuthContext } from "../auth/resolveSession.js";
import { AppError, mediaRejected } from "../errors.js";
import {
  baseMimeType,
  extensionFor,
  MEDIA_LIMITS,
  mediaRefusal,
} from "../integrations/whatsapp/mediaLimits.js";
import { assertMaySeeConversation, loadConversation } from "./conversationAccess.js";

/** Props of `outboundMediaUploader`. */
export interface OutboundMediaUploaderProps {
  db: Knex;
  auth: AuthContext;
  conversationId: number;
  kind: MediaKind;
  filename: string | undefined;
  /** `Content-Type` of the request: the file's type. */
  contentType: string | undefined;
  /** `Content-Length`, when the client sent one. */
  contentLength: number | undefined;
  body: Readable;
  mediaDir: string;
}

class TooLarge extends Error {}

/**
 * Stores a file an agent will send (`POST /api/conversations/:id/media`) in the tenant's media
 * volume (`MEDIA_DIR/outbound/<yyyy>/<mm>/`), refusing (422 `media_rejected`) a type or size
 * WhatsApp does not accept for the kind (protocols.md A5) before reading the body when the
 * declared length already says so, and while streaming otherwise. The file appears under its
 * final name only when complete; the send job uploads it to Meta.
 */
export async function outboundMediaUploader(
  props: OutboundMediaUploaderProps,
): Promise<OutboundMediaPayload> {
  const conversation = await loadConversation(props.db, props.conversationId);
  assertMaySeeConversation(props.auth, conversation);
  const mimeType = baseMimeType(props.contentType ?? "");
  const refusal = mediaRefusal(props.kind, mimeType, props.contentLength);
  if (refusal !== undefined) {
    props.body.resume();
    throw mediaRejected(refusal);
  }
  const maxBytes = MEDIA_LIMITS[props.kind].maxBytes;
  const now = new Date();
  const relativeDir = path.join(
    "outbound",
    String(now.getUTCFullYear()),
    String(now.getUTCMonth() + 1).padStart(2, "0"),
  );
  const fileName = `${randomBytes(12).toString("hex")}.${extensionFor(mimeType)}`;
  const finalPath = path.join(props.mediaDir, relativeDir, fileName);
  const partPath = `${finalPath}.part`;
  await mkdir(path.dirname(finalPath), { recursive: true });
  let sizeBytes = 0;
  let head = Buffer.alloc(0);
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      sizeBytes += chunk.length;
      if (head.length < 16) head = Buffer.concat([head, chunk.subarray(0, 16 - head.length)]);
      if (sizeBytes > maxBytes) return done(new TooLarge());
      done(null, chunk);
    },
  });
  try {
    await pipeline(props.body, limiter, createWriteStream(partPath));
  } catch (error) {
    await rm(partPath, { force: true });
    props.body.resume();
    if (error instanceof TooLarge) {
      throw mediaRejected(`${props.kind} exceeds the ${maxBytes}-byte limit`);
    }
    throw new AppError("validation_error", 400, "The upload was interrupted.", { cause: error });
  }
  if (sizeBytes === 0 || !contentMatches(mimeType, head)) {
    await rm(partPath, { force: true });
    throw mediaRejected(
      sizeBytes === 0 ? "the file is empty" : `the file's content is not ${mimeType}`,
    );
  }
  await rename(partPath, finalPath);
  const relative = path.join(relativeDir, fileName);
  const [id] = await props.db("outbound_media").insert({
    conversation_id: conversation.id,
    kind: props.kind,
    mime_type: mimeType,
    filename: props.filename ?? null,
    size_bytes: sizeBytes,
    path: relative,
    uploaded_by_user_id: props.auth.user.id,
  });
  if (id === undefined) throw new Error("upload not stored");
  return { id, kind: props.kind, mimeType, sizeBytes, filename: props.filename ?? null };
}

/**
 * A light check that the bytes are what the type says, for the types whose signature is
 * unambiguous (so a renamed executable is not sent as a "photo"). Others pass.
 */
export function contentMatches(mimeType: string, head: Buffer): boolean {
  const starts = (...bytes: number[]) => bytes.every((byte, index) => head[index] === byte);
  switch (mimeType) {
    case "image/jpeg":
      return starts(0xff, 0xd8, 0xff);
    case "image/png":
      return starts(0x89, 0x50, 0x4e, 0x47);
    case "image/webp":
      return (
        head.subarray(0, 4).toString("latin1") === "RIFF" &&
        head.subarray(8, 12).toString("latin1") === "WEBP"
      );
    case "application/pdf":
      return head.subarray(0, 5).toString("latin1") === "%PDF-";
    default:
      return true;
  }
}
