import type { Knex } from "knex";
import type { Permission } from "../../contracts/permissions.js";
import { User } from "../models/User.js";
import { RoleCatalog } from "./roleCatalog.js";
import { credentialStamp, type ResolvedSession, type SessionStore } from "./sessionStore.js";

/** Who is making a request, once their session checks out. */
export interface AuthContext {
  user: User;
  session: ResolvedSession;
  /** What the user's role allows, resolved once per request. */
  permissions: ReadonlySet<Permission>;
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
  const permissions = await RoleCatalog.for(deps.db).permissionsOf(user.role);
  return { user, session, permissions };
}
