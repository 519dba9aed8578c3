import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { EmulatorContext } from "../context.js";
import { GraphError, graphErrors } from "../errors.js";
import { newNumericId } from "../ids.js";
import type { MediaObject } from "../state/types.js";

/** Allowed MIME types and size limits per media kind (A5). */
export const mediaLimits = {
  image: { types: ["image/jpeg", "image/png"], maxBytes: 5 * 1024 * 1024 },
  video: { types: ["video/mp4", "video/3gpp"], maxBytes: 16 * 1024 * 1024 },
  audio: {
    types: ["audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg"],
    maxBytes: 16 * 1024 * 1024,
  },
  document: {
    types: [
      "text/plain",
      "application/pdf",
      "application/msword",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "application/vnd.ms-excel",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "application/vnd.ms-powerpoint",
      "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ],
    maxBytes: 100 * 1024 * 1024,
  },
  sticker: { types: ["image/webp"], maxBytes: 500 * 1024 },
} as const;

const allTypes = Object.values(mediaLimits).flatMap((l) => [...l.types]);

/** The bare MIME type (`audio/ogg; codecs=opus` → `audio/ogg`). */
export function bareMime(mime: string): string {
  return (mime.split(";")[0] ?? "").trim().toLowerCase();
}

/** Per-emulator key for signing download URLs. */
const urlKey = randomBytes(32);

/**
 * `POST /{phone-number-id}/media` (multipart: `messaging_product`, `type`, `file`). The body is
 * parsed with the platform's own multipart reader, so no upload library is needed.
 */
export async function uploadMedia(
  ctx: EmulatorContext,
  contentType: string | undefined,
  raw: Buffer,
): Promise<{ id: string }> {
  if (!contentType?.toLowerCase().startsWith("multipart/form-data")) {
    throw graphErrors.invalidParameter(
      "Media upload must be multipart/form-data with messaging_product, type and file",
    );
  }
  let form: FormData;
  try {
    form = await new Response(raw, { headers: { "content-type": contentType } }).formData();
  } catch {
    throw graphErrors.invalidParameter("The multipart body could not be parsed");
  }
  const product = form.get("messaging_product");
  if (product === null)
    throw graphErrors.missingParameter("The parameter messaging_product is required.");
  if (product !== "whatsapp")
    throw graphErrors.invalidParameter("Param messaging_product must be 'whatsapp'");
  const file = form.get("file");
  if (file === null || typeof file === "string")
    throw graphErrors.missingParameter("The parameter file is required.");
  const declared = form.get("type");
  const mime = typeof declared === "string" && declared !== "" ? declared : file.type;
  const bare = bareMime(mime);
  const kind = Object.values(mediaLimits).find((l) =>
    (l.types as readonly string[]).includes(bare),
  );
  if (!kind) {
    throw graphErrors.invalidParameter(
      `Param file must be a file with one of the following types: ${allTypes.join(", ")}. Received file of type '${bare}'.`,
    );
  }
  if (bare === "audio/ogg" && mime.includes("codecs=") && !mime.includes("opus")) {
    throw graphErrors.invalidParameter("Only the opus codec is supported for audio/ogg");
  }
  const data = Buffer.from(await file.arrayBuffer());
  if (data.length === 0) throw graphErrors.invalidParameter("Param file must not be empty");
  if (data.length > kind.maxBytes) {
    throw new GraphError({
      code: 131053,
      details: `Media file size too big. Max file size we currently support: ${kind.maxBytes} bytes. Please choose a smaller file.`,
    });
  }
  const now = ctx.clock.now();
  const media: MediaObject = {
    id: newNumericId(),
    data,
    mimeType: mime,
    sha256: createHash("sha256").update(data).digest("hex"),
    filename: file.name || undefined,
    origin: "upload",
    createdAt: now,
    expiresAt: now + ctx.settings.uploadedMediaTtlMs,
    deleted: false,
  };
  ctx.store.media.set(media.id, media);
  return { id: media.id };
}

/** A live (not deleted, not expired) media object, or a Graph error like Meta's for unknown ids. */
export function liveMedia(ctx: EmulatorContext, id: string): MediaObject {
  const media = ctx.store.media.get(id);
  if (!media || media.deleted || media.expiresAt < ctx.clock.now())
    throw graphErrors.unknownObject(id);
  return media;
}

/** `GET /{media-id}`: metadata plus a download URL valid for `mediaUrlTtlMs`. */
export function mediaInfo(ctx: EmulatorContext, media: MediaObject, baseUrl: string) {
  const ext = Math.floor((ctx.clock.now() + ctx.settings.mediaUrlTtlMs) / 1000);
  const hash = signUrl(media.id, ext);
  return {
    messaging_product: "whatsapp" as const,
    url: `${baseUrl}/whatsapp_business/attachments/?mid=${media.id}&ext=${ext}&hash=${hash}`,
    mime_type: media.mimeType,
    sha256: media.sha256,
    file_size: String(media.data.length),
    id: media.id,
  };
}

/** `DELETE /{media-id}`. */
export function deleteMedia(ctx: EmulatorContext, id: string): { success: true } {
  const media = liveMedia(ctx, id);
  media.deleted = true;
  return { success: true };
}

/**
 * `GET <url>` from mediaInfo (needs the bearer token, checked by the caller). An expired URL,
 * a bad hash or deleted media answer 404.
 */
export function downloadMedia(
  ctx: EmulatorContext,
  query: { mid?: unknown; ext?: unknown; hash?: unknown },
): MediaObject {
  const notFound = (details: string) =>
    new GraphError({
      code: 131052,
      status: 404,
      message: "(#131052) Media download error",
      details,
    });
  if (
    typeof query.mid !== "string" ||
    typeof query.ext !== "string" ||
    typeof query.hash !== "string"
  ) {
    throw notFound("The media URL is incomplete.");
  }
  const ext = Number(query.ext);
  const expected = Buffer.from(signUrl(query.mid, ext));
  const given = Buffer.from(query.hash);
  if (
    !Number.isInteger(ext) ||
    expected.length !== given.length ||
    !timingSafeEqual(expected, given)
  ) {
    throw notFound("The media URL signature is not valid.");
  }
  if (ext * 1000 < ctx.clock.now())
    throw notFound("The media URL has expired: fetch a new one with GET /{media-id}.");
  const media = ctx.store.media.get(query.mid);
  if (!media || media.deleted || media.expiresAt < ctx.clock.now())
    throw notFound("The media no longer exists.");
  return media;
}

function signUrl(mid: string, ext: number): string {
  return createHmac("sha256", urlKey).update(`${mid}.${ext}`).digest("base64url");
}
