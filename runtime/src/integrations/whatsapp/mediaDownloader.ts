import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { MediaKind } from "../../../contracts/messages.js";
import { GraphApiError, graphRequest } from "./graphApi.js";
import { extensionFor, MEDIA_LIMITS, mediaRefusal } from "./mediaLimits.js";

/** Time limit of each Graph call and of the whole download. */
const GRAPH_TIMEOUT_MS = 15_000;
const DOWNLOAD_TIMEOUT_MS = 120_000;

/** A download failure: `retryable` says whether a later attempt may succeed. */
export class MediaDownloadError extends Error {
  readonly retryable: boolean;

  constructor(message: string, retryable: boolean) {
    super(message);
    this.name = "MediaDownloadError";
    this.retryable = retryable;
  }
}

/** What the downloader needs to fetch one file. */
export interface MediaDownloadRequest {
  graphApiBaseUrl: string;
  graphApiVersion: string;
  accessToken: string;
  phoneNumberId: string;
  mediaId: string;
  kind: MediaKind;
  /** Under MEDIA_DIR; the file name is made unique. */
  mediaDir: string;
  /** Prefix of the stored file name (the message id). */
  name: string;
}

/** A stored file. */
export interface DownloadedMedia {
  /** Relative to `mediaDir`. */
  path: string;
  mimeType: string;
  sizeBytes: number;
}

/**
 * Downloads one WhatsApp media file (A5): `GET /{v}/{media-id}` for a short-lived URL, then that
 * URL with the same bearer token, streamed to disk with the kind's size and type limits. The file
 * appears under its final name only when complete. Errors say in plain words what went wrong and
 * never contain the token or the signed URL.
 */
export async function downloadMedia(request: MediaDownloadRequest): Promise<DownloadedMedia> {
  const headers = {
    Authorization: `Bearer ${request.accessToken}`,
    "User-Agent": "atende-runtime",
  };
  let body: { url?: unknown; mime_type?: unknown; file_size?: unknown };
  try {
    body = await graphRequest(
      request,
      "GET",
      `/${encodeURIComponent(request.mediaId)}`,
      undefined,
      { timeoutMs: GRAPH_TIMEOUT_MS, query: { phone_number_id: request.phoneNumberId } },
    );
  } catch (error) {
    if (error instanceof GraphApiError) throw lookupFailure(error);
    throw error;
  }
  if (typeof body.url !== "string" || body.url === "") {
    throw new MediaDownloadError("media lookup answered without a download URL", true);
  }
  const declaredType = typeof body.mime_type === "string" ? body.mime_type : "";
  const declaredSize = body.file_size === undefined ? undefined : Number(body.file_size);
  const refusal = mediaRefusal(
    request.kind,
    declaredType,
    Number.isFinite(declaredSize) ? declaredSize : undefined,
  );
  if (refusal !== undefined) throw new MediaDownloadError(`refused: ${refusal}`, false);

  const file = await call(
    () => fetch(body.url as string, { headers, signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) }),
    "media download",
  );
  if (!file.ok || file.body === null) {
    await file.body?.cancel();
    // The URL lives about five minutes (A5): an expired one answers 404-class; the next attempt
    // asks Graph for a fresh URL.
    const expired = file.status === 404 || file.status === 410 || file.status === 403;
    throw new MediaDownloadError(
      expired
        ? `media URL expired or not found (HTTP ${file.status})`
        : `media download failed (HTTP ${file.status})`,
      true,
    );
  }
  const mimeType = declaredType || file.headers.get("content-type") || "application/octet-stream";
  const maxBytes = MEDIA_LIMITS[request.kind].maxBytes;
  const length = Number(file.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(length) && length > maxBytes) {
    await file.body.cancel();
    throw new MediaDownloadError(
      `refused: ${request.kind} of ${length} bytes exceeds the ${maxBytes}-byte limit`,
      false,
    );
  }

  const now = new Date();
  const relativeDir = path.join(
    String(now.getUTCFullYear()),
    String(now.getUTCMonth() + 1).padStart(2, "0"),
  );
  const fileName = `${request.name}-${randomBytes(6).toString("hex")}.${extensionFor(mimeType)}`;
  const finalPath = path.join(request.mediaDir, relativeDir, fileName);
  const partPath = `${finalPath}.part`;
  await mkdir(path.dirname(finalPath), { recursive: true });
  let sizeBytes = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      sizeBytes += chunk.length;
      if (sizeBytes > maxBytes) {
        done(
          new MediaDownloadError(
            `refused: ${request.kind} exceeds the ${maxBytes}-byte limit`,
            false,
          ),
        );
        return;
      }
      done(null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.fromWeb(file.body as import("node:stream/web").ReadableStream),
      limiter,
      createWriteStream(partPath),
    );
    await rename(partPath, finalPath);
  } catch (error) {
    await rm(partPath, { force: true });
    if (error instanceof MediaDownloadError) throw error;
    throw new MediaDownloadError("media download interrupted", true);
  }
  return { path: path.join(relativeDir, fileName), mimeType, sizeBytes };
}

async function call(request: () => Promise<Response>, what: string): Promise<Response> {
  try {
    return await request();
  } catch (error) {
    const reason =
      error instanceof Error && error.name === "TimeoutError" ? "timed out" : "could not connect";
    throw new MediaDownloadError(`${what} ${reason}`, true);
  }
}

/** A failed Graph media lookup (the shared seam's reason) in the downloader's words. */
function lookupFailure(error: GraphApiError): MediaDownloadError {
  const what = "media lookup";
  if (error.status === 0) {
    return new MediaDownloadError(
      `${what} ${error.reason === "timeout" ? "timed out" : "could not connect"}`,
      true,
    );
  }
  const suffix =
    error.code === undefined ? `HTTP ${error.status}` : `HTTP ${error.status}, code ${error.code}`;
  if (error.reason === "token_invalid") {
    return new MediaDownloadError(
      `${what} refused: access token invalid or expired (${suffix})`,
      false,
    );
  }
  if (
    error.status === 404 ||
    error.reason === "invalid_parameter" ||
    error.reason === "media_unavailable"
  ) {
    return new MediaDownloadError(
      `${what}: media not found or no longer available (${suffix})`,
      false,
    );
  }
  if (error.reason === "permission_denied") {
    return new MediaDownloadError(`${what} refused: permission denied (${suffix})`, false);
  }
  return new MediaDownloadError(`${what} failed (${suffix})`, error.retryable);
}
