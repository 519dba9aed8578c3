import type { Knex } from "knex";
import type { LoginThrottle } from "../auth/loginThrottle.js";
import { hashPassword, verifyPassword } from "../auth/passwords.js";
import type { SessionStore } from "../auth/sessionStore.js";
import { verifyTotp } from "../auth/totp.js";
import type { FieldCipher } from "../crypto/fieldCipher.js";
import { invalidCredentials, loginLocked, totpRequired } from "../errors.js";
import { ActivityLogEntry } from "../models/ActivityLogEntry.js";
import { User } from "../models/User.js";
import { TOTP_SECRET_FIELD } from "./totpEnroller.js";

/** Input of `sessionCreator`. */
export interface SessionCreatorProps {
  db: Knex;
  sessions: SessionStore;
  throttle: LoginThrottle;
  /** Already trimmed and lower-cased. */
  email: string;
  password: string;
  /** The authenticator code, when the user sent one. */
  totpCode?: string | undefined;
  /** Opens the users' sealed TOTP secrets. */
  cipher: FieldCipher;
  ip: string | undefined;
  userAgent: string | undefined;
}

/** Why a login failed; recorded in the activity log, never told to the client. */
type FailureReason = "unknown_email" | "wrong_password" | "disabled" | "wrong_totp";

// Unknown e-mails are still checked against a real hash, so a failed login takes as long
// whether or not the account exists (no user enumeration by timing).
let decoyHash: Promise<string> | undefined;

/**
 * Signs a user in: checks the password, starts a session and records `sessions.create`; or
 * records `sessions.fail` and throws the same `invalid_credentials` for every kind of failure.
 * After too many failures for the e-mail or from the IP, answers `login_locked` without even
 * checking the password, until the lockout ends by itself or an admin lifts it.
 * @returns the new session id (for the cookie only) and the user
 */
export async function sessionCreator(
  props: SessionCreatorProps,
): Promise<{ sessionId: string; sessionKey: string; user: User }> {
  const { db, email, password, ip, userAgent, throttle } = props;
  const lockout = await throttle.lockout(email, ip);
  if (lockout !== undefined) {
    await ActivityLogEntry.record(db, {
      action: "sessions.fail",
      ip,
      userAgent,
      data: { email, reason: `locked_${lockout.scope}` },
    });
    throw loginLocked(lockout.retryAfterSeconds);
  }
  const user = await User.query(db).findOne({ email });
  decoyHash ??= hashPassword("decoy password that matches nothing");
  const matches = await verifyPassword(password, user?.passwordHash ?? (await decoyHash));

  const fail = async (failure: FailureReason, userId?: number): Promise<never> => {
    await ActivityLogEntry.record(db, {
      action: "sessions.fail",
      ip,
      userAgent,
      data: { email, reason: failure, ...(userId === undefined ? {} : { userId }) },
    });
    const startedLockout = await throttle.recordFailure(email, ip);
    if (startedLockout !== undefined) {
      await ActivityLogEntry.record(db, {
        action: "sessions.lockout",
        ip,
        userAgent,
        data: {
          email,
          scope: startedLockout.scope,
          minutes: startedLockout.retryAfterSeconds / 60,
        },
      });
    }
    throw invalidCredentials();
  };

  if (user === undefined) return fail("unknown_email");
  if (!matches) return fail("wrong_password", user.id);
  if (!user.isActive) return fail("disabled", user.id);
  if (user.hasTotp && user.totpSecretSealed !== null) {
    // Asked for only once the password is right; a missing code is not a failed attempt.
    if (props.totpCode === undefined) throw totpRequired();
    const secret = props.cipher.open(TOTP_SECRET_FIELD, user.totpSecretSealed);
    const step = verifyTotp(secret, props.totpCode);
    if (step === undefined || !(await throttle.claimTotpStep(user.id, step))) {
      return fail("wrong_totp", user.id);
    }
  }

  await throttle.recordSuccess(email);

  const session = await props.sessions.create(user.id, user.passwordHash);
  await ActivityLogEntry.record(db, {
    action: "sessions.create",
    actorUserId: user.id,
    ip,
    userAgent,
  });
  return { sessionId: session.id, sessionKey: session.key, user };
}
