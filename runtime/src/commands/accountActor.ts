import type { Knex } from "knex";
import type { SessionStore } from "../auth/sessionStore.js";

/** Who does an account operation, and from where (for the audit trail). */
export interface AccountActor {
  userId: number;
  ip: string | undefined;
  userAgent: string | undefined;
}

/** What the account commands share: the database, the sessions and their live sockets. */
export interface AccountDeps {
  db: Knex;
  sessions: SessionStore;
  /** Closes the live sockets of one session, so an ended session also loses real time. */
  disconnectSession: (sessionKey: string) => void;
}

/**
 * Ends a user's sessions (all, or all but `keepKey`) and their sockets.
 * @returns how many sessions were ended
 */
export async function endUserSessions(
  deps: AccountDeps,
  userId: number,
  keepKey?: string,
): Promise<number> {
  const ended = await deps.sessions.destroyAllForUser(userId, keepKey);
  for (const key of ended) deps.disconnectSession(key);
  return ended.length;
}
