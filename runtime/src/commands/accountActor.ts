import type { Knex } from "knex";
import { verifyPassword } from "../auth/passwords.js";
import type { SessionStore } from "../auth/sessionStore.js";
import { validationError } from "../errors.js";
import { User } from "../models/User.js";

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

/** The acting user's own row (400 if the account went away meanwhile). */
export async function actingUser(db: Knex, actor: AccountActor): Promise<User> {
  const user = await User.query(db).findById(actor.userId);
  if (user === undefined) throw validationError("Your account no longer exists.");
  return user;
}

/** Checks a password typed again; a wrong one is a 400 naming `field`. */
export async function assertPasswordOf(user: User, password: string, field: string): Promise<void> {
  if (!(await verifyPassword(password, user.passwordHash))) {
    throw validationError(
      field === "currentPassword"
        ? "The current password is incorrect."
        : "The password is incorrect.",
      { field },
    );
  }
}
