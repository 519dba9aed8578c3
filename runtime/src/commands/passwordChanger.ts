import { assertAcceptablePassword } from "../auth/passwordPolicy.js";
import { hashPassword, verifyPassword } from "../auth/passwords.js";
import { validationError } from "../errors.js";
import { ActivityLogEntry } from "../models/ActivityLogEntry.js";
import { User } from "../models/User.js";
import {
  type AccountActor,
  type AccountDeps,
  actingUser,
  assertPasswordOf,
  endUserSessions,
} from "./accountActor.js";

/** Input of `passwordChanger`. */
export interface PasswordChangerProps extends AccountDeps {
  actor: AccountActor;
  currentPassword: string;
  newPassword: string;
}

/**
 * A signed-in user chooses a new password (also how a one-time password is replaced). Every
 * session of the user ends, the asking one included, and a fresh session is returned: the
 * session id changes whenever the credentials do, so a stolen id dies with the old password.
 */
export async function passwordChanger(
  props: PasswordChangerProps,
): Promise<{ sessionId: string; user: User }> {
  const user = await actingUser(props.db, props.actor);
  await assertPasswordOf(user, props.currentPassword, "currentPassword");
  assertAcceptablePassword(props.newPassword, { email: user.email });
  if (await verifyPassword(props.newPassword, user.passwordHash)) {
    throw validationError("The new password must differ from the current one.", {
      field: "newPassword",
    });
  }

  const passwordHash = await hashPassword(props.newPassword);
  const updated = await User.query(props.db).patchAndFetchById(user.id, {
    passwordHash,
    mustChangePassword: false,
  });
  await endUserSessions(props, user.id);
  const session = await props.sessions.create(user.id, passwordHash);
  await ActivityLogEntry.record(props.db, {
    action: "users.changePassword",
    actor: props.actor,
    data: { userId: user.id },
  });
  return { sessionId: session.id, user: updated };
}
