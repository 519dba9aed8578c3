/**
 * Whether a request's `Origin` names this site: either the tenant's public origin, or the host
 * the request was sent to (which is what a browser on a local or test address sends). A
 * cross-site page cannot forge either, because browsers set `Origin` and `Host` themselves.
 */
export function isSameOrigin(
  origin: string,
  requestHost: string | undefined,
  publicUrl: string,
): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false; // includes the literal "null" sent by sandboxed frames and file: pages
  }
  if (parsed.origin === new URL(publicUrl).origin) return true;
  return requestHost !== undefined && parsed.host === requestHost.toLowerCase();
}
