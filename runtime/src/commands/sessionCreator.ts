import type { Knex } from "knex";
import { hashPassword, verifyPassword } from "../auth/passwords.js";
import type { SessionStore } from "../auth/sessionStore.js";
import { invalidCredentials } from "../errors.js";
import { ActivityLogEntry } from "../models/ActivityLogEntry.js";
import { User } from "../models/User.js";

/** Input of `sessionCreator`. */
export interface SessionCreatorProps {
  db: Knex;
  sessions: SessionStore;
  /** Already trimmed and lower-cased. */
  email: string;
  password: string;
  ip: string | undefined;
  userAgent: string | undefined;
}

/** Why a login failed; recorded in the activity log, never told to the client. */
type FailureReason = "unknown_email" | "wrong_password" | "disabled";

// Unknown e-mails are still checked against a real hash, so a failed login takes as long
// whether or not the account exists (no user enumeration by timing).
let decoyHash: Promise<string> | undefined;

/**
 * Signs a user in: checks the password, starts a session and records `sessions.create`; or
 * records `sessions.fail` and throws the same `invalid_credentials` for every kind of failure.
 * @returns the new session id (for the cookie only) and the user
 */
export async function sessionCreator(
  props: SessionCreatorProps,
): Promise<{ sessionId: string; sessionKey: string; user: User }> {
  const { db, email, password, ip, userAgent } = props;
  const user = await User.query(db).findOne({ email });
  decoyHash ??= hashPassword("decoy password that matches nothing");
  const matches = await verifyPassword(password, user?.passwordHash ?? (await decoyHash));

  const reason: FailureReason | undefined =
    user === undefined
      ? "unknown_email"
      : !matches
        ? "wrong_password"
        : !user.isActive
          ? "disabled"
          : undefined;
  if (user === undefined || reason !== undefined) {
    await ActivityLogEntry.record(db, {
      action: "sessions.fail",
      ip,
      userAgent,
      data: { email, reason, ...(user === undefined ? {} : { userId: user.id }) },
    });
    throw invalidCredentials();
  }

  const session = await props.sessions.create(user.id, user.passwordHash);
  await ActivityLogEntry.record(db, {
    action: "sessions.create",
    actorUserId: user.id,
    ip,
    userAgent,
  });
  return { sessionId: session.id, sessionKey: session.key, user };
}
