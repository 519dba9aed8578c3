import type { Request, RequestHandler } from "express";
import type { Knex } from "knex";
import { type AuthContext, resolveSession } from "../auth/resolveSession.js";
import { SESSION_COOKIE } from "../auth/sessionCookie.js";
import type { SessionStore } from "../auth/sessionStore.js";
import type { AccountActor } from "../commands/accountActor.js";
import { authenticationRequired, passwordChangeRequired } from "../errors.js";
import { readCookie } from "../utils/cookies.js";

declare module "express-serve-static-core" {
  interface Request {
    /** Set by `authenticate` (and by `loadSession` when a valid session exists). */
    auth?: AuthContext;
  }
}

/**
 * Requires a valid session cookie; answers 401 `authentication_required` otherwise. A user still
 * on a one-time password gets 403 `password_change_required` everywhere except the few routes
 * that opt in with `allowPendingPasswordChange` (who am I, change password, sign out).
 */
export function authenticate(
  deps: { db: Knex; sessions: SessionStore },
  options: { allowPendingPasswordChange?: boolean } = {},
): RequestHandler {
  return async (req, _res, next) => {
    const auth = await resolveSession(deps, readCookie(req.headers.cookie, SESSION_COOKIE));
    if (auth === undefined) throw authenticationRequired();
    if (auth.user.mustChangePassword && options.allowPendingPasswordChange !== true) {
      throw passwordChangeRequired();
    }
    req.auth = auth;
    next();
  };
}

/** Like `authenticate` but lets anonymous requests through (for pages that redirect). */
export function loadSession(deps: { db: Knex; sessions: SessionStore }): RequestHandler {
  return async (req, _res, next) => {
    const auth = await resolveSession(deps, readCookie(req.headers.cookie, SESSION_COOKIE));
    if (auth !== undefined) req.auth = auth;
    next();
  };
}

/**
 * The signed-in user's context inside a route mounted after `authenticate`.
 * @throws authentication_required if the route was mounted without it (a bug, but a safe one)
 */
export function requireAuth(req: { auth?: AuthContext }): AuthContext {
  if (req.auth === undefined) throw authenticationRequired();
  return req.auth;
}

/** The signed-in user's id and where the request comes from, for the audit trail. */
export function actorOf(req: Request): AccountActor {
  return { userId: requireAuth(req).user.id, ip: req.ip, userAgent: req.get("user-agent") };
}
