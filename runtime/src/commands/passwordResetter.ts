import type { LoginThrottle } from "../auth/loginThrottle.js";
import { generateOneTimePassword, hashPassword } from "../auth/passwords.js";
import { notFound } from "../errors.js";
import { ActivityLogEntry } from "../models/ActivityLogEntry.js";
import { User } from "../models/User.js";
import { type AccountActor, type AccountDeps, endUserSessions } from "./accountActor.js";

/**
 * An admin resets someone's password: a new one-time password (shown once, to the admin), to be
 * changed at next sign-in; the user's sessions end, any lockout is lifted and the second factor
 * is turned off (the user sets it up again).
 */
export async function passwordResetter(
  props: AccountDeps & { throttle: LoginThrottle; actor: AccountActor; userId: number },
): Promise<{ user: User; oneTimePassword: string }> {
  const user = await User.query(props.db).findById(props.userId);
  if (user === undefined) throw notFound("user");
  const oneTimePassword = generateOneTimePassword();
  const updated = await User.query(props.db).patchAndFetchById(user.id, {
    passwordHash: await hashPassword(oneTimePassword),
    mustChangePassword: true,
    // A reset is also how someone who lost their phone gets back in.
    totpSecretSealed: null,
    totpEnabledAt: null,
  });
  await endUserSessions(props, user.id);
  await props.throttle.unlock(user.email);
  await ActivityLogEntry.record(props.db, {
    action: "users.resetPassword",
    actor: props.actor,
    data: { userId: user.id },
  });
  return { user: updated, oneTimePassword };
}
