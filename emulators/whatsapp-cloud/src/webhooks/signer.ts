import { createHmac } from "node:crypto";

/**
 * Serialises a webhook payload the way Meta does: compact JSON with every non-ASCII UTF-16 code
 * unit escaped as a lowercase `\uXXXX` (so "Olá" becomes `Ol\u00e1` and an emoji becomes its
 * surrogate pair `\ud83d\ude00`). The result is pure ASCII, so its UTF-8 bytes are the string's
 * characters one for one. Clients that verify a re-serialised body instead of the raw bytes fail
 * against it, which is the point (protocols.md A2).
 */
export function serializeLikeMeta(payload: unknown): string {
  return JSON.stringify(payload).replace(/[\u0080-\uffff]/g, (unit) => {
    return `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

/** `sha256=<lowercase hex HMAC-SHA256 of the raw body, keyed with the app secret>`. */
export function signatureHeader(rawBody: string | Buffer, appSecret: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(rawBody).digest("hex")}`;
}
