import type { MediaKind } from "../../../contracts/messages.js";

/** Accepted MIME types (without parameters) and the largest file per media kind (A5). */
export const MEDIA_LIMITS: Readonly<
  Record<MediaKind, { maxBytes: number; mimeTypes: readonly string[] }>
> = {
  image: { maxBytes: 5 * 1024 * 1024, mimeTypes: ["image/jpeg", "image/png"] },
  video: { maxBytes: 16 * 1024 * 1024, mimeTypes: ["video/mp4", "video/3gpp"] },
  audio: {
    maxBytes: 16 * 1024 * 1024,
    mimeTypes: ["audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg", "audio/opus"],
  },
  document: {
    maxBytes: 100 * 1024 * 1024,
    mimeTypes: [
      "text/plain",
      "application/pdf",
      "application/msword",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "application/vnd.ms-excel",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "application/vnd.ms-powerpoint",
      "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ],
  },
  sticker: { maxBytes: 500 * 1024, mimeTypes: ["image/webp"] },
};

/** File extensions for stored media, by MIME type. */
const EXTENSIONS: Readonly<Record<string, string>> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
  "video/mp4": "mp4",
  "video/3gpp": "3gp",
  "audio/aac": "aac",
  "audio/amr": "amr",
  "audio/mpeg": "mp3",
  "audio/mp4": "m4a",
  "audio/ogg": "ogg",
  "audio/opus": "opus",
  "text/plain": "txt",
  "application/pdf": "pdf",
  "application/msword": "doc",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
  "application/vnd.ms-excel": "xls",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
  "application/vnd.ms-powerpoint": "ppt",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
};

/** `audio/ogg; codecs=opus` → `audio/ogg`. */
export function baseMimeType(mimeType: string): string {
  return (mimeType.split(";")[0] ?? "").trim().toLowerCase();
}

/** Why a file of this kind, type and size may not be stored, or undefined when it may. */
export function mediaRefusal(
  kind: MediaKind,
  mimeType: string,
  sizeBytes: number | undefined,
): string | undefined {
  const limits = MEDIA_LIMITS[kind];
  const base = baseMimeType(mimeType);
  if (!limits.mimeTypes.includes(base))
    return `type ${base || "unknown"} is not accepted for ${kind}`;
  if (sizeBytes !== undefined && sizeBytes > limits.maxBytes) {
    return `${kind} of ${sizeBytes} bytes exceeds the ${limits.maxBytes}-byte limit`;
  }
  return undefined;
}

/** Extension for a stored file. */
export function extensionFor(mimeType: string): string {
  return EXTENSIONS[baseMimeType(mimeType)] ?? "bin";
}
