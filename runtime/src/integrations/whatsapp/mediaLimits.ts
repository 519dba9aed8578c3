import { baseMimeType, MEDIA_LIMITS } from "../../../contracts/media-limits.js";
import type { MediaKind } from "../../../contracts/messages.js";

// The table lives in contracts/ so the browser checks files against the same limits.
export { baseMimeType, MEDIA_LIMITS };

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
