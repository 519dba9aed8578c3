/**
 * Reads one cookie from a `Cookie` request header. Hand-rolled because the runtime reads a
 * single cookie and Express 5 no longer parses cookies; values are not URI-decoded since ours
 * are base64url.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const pair of header.split(";")) {
    const separator = pair.indexOf("=");
    if (separator === -1) continue;
    if (pair.slice(0, separator).trim() === name) return pair.slice(separator + 1).trim();
  }
  return undefined;
}
