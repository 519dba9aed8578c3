import type { ApiFailure } from "../../contracts/error-ids.js";
import type { MediaKind } from "../../contracts/messages.js";
import type { OutboundMediaPayload } from "../../contracts/outbound-messages.js";
import { ApiError } from "./client.js";

/** An upload in flight: its result, and a way to give it up. */
export interface MediaUpload {
  /** Resolves with the stored upload (send it as `uploadId`); rejects with `ApiError`. */
  result: Promise<OutboundMediaPayload>;
  /** Stops sending the file; `result` rejects with `network_error`. */
  abort(): void;
}

/**
 * Uploads a file an agent will send (`POST /api/conversations/:id/media`), reporting progress.
 * `fetch` cannot report upload progress, so this uses XMLHttpRequest; the `X-Atende-Upload`
 * header is the route's CSRF guard.
 * @param onProgress the fraction sent so far, 0…1
 */
export function uploadMedia(
  conversationId: number,
  file: File,
  kind: MediaKind,
  onProgress: (fraction: number) => void,
): MediaUpload {
  const xhr = new XMLHttpRequest();
  const query = new URLSearchParams({ kind });
  if (file.name !== "") query.set("filename", file.name);
  const result = new Promise<OutboundMediaPayload>((resolve, reject) => {
    xhr.open("POST", `/api/conversations/${conversationId}/media?${query}`);
    xhr.withCredentials = true;
    xhr.responseType = "json";
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-Atende-Upload", "1");
    xhr.setRequestHeader("Content-Type", file.type);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onerror = () => reject(new ApiError("network_error", 0, "network error"));
    xhr.onabort = () => reject(new ApiError("network_error", 0, "upload aborted"));
    xhr.onload = () => {
      const payload = xhr.response as { ok: true; data: OutboundMediaPayload } | ApiFailure | null;
      if (payload === null || typeof payload !== "object") {
        reject(new ApiError("internal_error", xhr.status, "unexpected response"));
      } else if (!payload.ok) {
        reject(new ApiError(payload.error, payload.status, payload.message, payload.data));
      } else {
        onProgress(1);
        resolve(payload.data);
      }
    };
    xhr.send(file);
  });
  return { result, abort: () => xhr.abort() };
}
