import type { Knex } from "knex";
import { User } from "../models/User.js";
import { credentialStamp, type ResolvedSession, type SessionStore } from "./sessionStore.js";

/** Who is making a request, once their session checks out. */
export interface AuthContext {
  user: User;
  session: ResolvedSession;
}

/**
 * Turns a session id from a cookie into the signed-in user, or undefined. Shared by the HTTP
 * `authenticate` middleware, the page redirects and the Socket.IO handshake. Sessions of users
 * who were disabled or whose password changed since login are ended here.
 */
export async function resolveSession(
  deps: { db: Knex; sessions: SessionStore },
  sessionId: string | undefined,
): Promise<AuthContext | undefined> {
  if (sessionId === undefined || sessionId === "") return undefined;
  const session = await deps.sessions.touch(sessionId);
  if (session === undefined) return undefined;
  const user = await User.query(deps.db).findById(session.record.userId);
  if (
    user === undefined ||
    !user.isActive ||
    credentialStamp(user.passwordHash) !== session.record.credentialStamp
  ) {
    await deps.sessions.destroy(session.key);
    return undefined;
  }
  return { user, session };
}
