import { createHmac, timingSafeEqual } from "node:crypto";

const PREFIX = "sha256=";
// "sha256=" + 64 lowercase hex digits.
const HEADER_PATTERN = /^sha256=[0-9a-f]{64}$/;

/**
 * `X-Hub-Signature-256` for a body, as Meta computes it: HMAC-SHA256 over the raw bytes, keyed
 * with the app secret, lowercase hex, `sha256=` prefix (protocols.md A2).
 */
export function signatureFor(appSecret: string, rawBody: Buffer | string): string {
  return `${PREFIX}${createHmac("sha256", appSecret).update(rawBody).digest("hex")}`;
}

/**
 * Whether `header` is the signature of exactly these bytes. Never re-serialises the body (Meta
 * escapes non-ASCII as `\uXXXX`, so a re-stringified body has other bytes) and compares in
 * constant time. A missing or malformed header is simply invalid.
 */
export function isValidSignature(
  appSecret: string,
  rawBody: Buffer,
  header: string | string[] | undefined,
): boolean {
  if (typeof header !== "string") return false;
  const received = header.trim().toLowerCase();
  if (!HEADER_PATTERN.test(received)) return false;
  return constantTimeEqual(received, signatureFor(appSecret, rawBody));
}

/** Constant-time comparison of two secrets of possibly different lengths. */
export function constantTimeEqual(received: string, expected: string): boolean {
  const a = Buffer.from(received, "utf8");
  const b = Buffer.from(expected, "utf8");
  // timingSafeEqual throws on unequal lengths; a length says nothing about the secret's value.
  return a.length === b.length && timingSafeEqual(a, b);
}
