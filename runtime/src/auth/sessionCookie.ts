import type { CookieOptions } from "express";
import { type Env, usesHttps } from "../env.js";

/** Name of the cookie carrying the session id. */
export const SESSION_COOKIE = "atende_session";

/**
 * Flags for the session cookie: unreadable by scripts, not sent on cross-site subrequests or
 * POSTs, and HTTPS-only whenever browsers reach the tenant over HTTPS.
 */
export function sessionCookieOptions(env: Pick<Env, "PUBLIC_URL">): CookieOptions {
  return { httpOnly: true, sameSite: "lax", secure: usesHttps(env), path: "/" };
}
