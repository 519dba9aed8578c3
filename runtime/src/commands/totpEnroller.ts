import { verifyPassword } from "../auth/passwords.js";
import { generateTotpSecret, totpUri, verifyTotp } from "../auth/totp.js";
import type { FieldCipher } from "../crypto/fieldCipher.js";
import { conflict, validationError } from "../errors.js";
import { ActivityLogEntry } from "../models/ActivityLogEntry.js";
import { User } from "../models/User.js";
import type { AccountActor, AccountDeps } from "./accountActor.js";

/** Associated data of the sealed secret: binds it to its column. */
export const TOTP_SECRET_FIELD = "users.totp_secret";

interface TotpProps extends Pick<AccountDeps, "db"> {
  cipher: FieldCipher;
  actor: AccountActor;
}

async function signedInUser(props: TotpProps): Promise<User> {
  const user = await User.query(props.db).findById(props.actor.userId);
  if (user === undefined) throw validationError("Your account no longer exists.");
  return user;
}

async function assertPassword(user: User, password: string): Promise<void> {
  if (!(await verifyPassword(password, user.passwordHash))) {
    throw validationError("The password is incorrect.", { field: "password" });
  }
}

/**
 * Starts setting up the second factor (the password again, so a borrowed session cannot
 * enrol its own phone): a new secret is sealed and returned once, for the authenticator app.
 * It counts only after `totpConfirmer` sees a code from it.
 */
export async function totpEnroller(
  props: TotpProps & { password: string; issuer: string },
): Promise<{ secret: string; uri: string }> {
  const user = await signedInUser(props);
  if (user.hasTotp) throw conflict("Two-factor sign-in is already on; turn it off first.");
  await assertPassword(user, props.password);
  const secret = generateTotpSecret();
  await User.query(props.db)
    .findById(user.id)
    .patch({ totpSecretSealed: props.cipher.seal(TOTP_SECRET_FIELD, secret) });
  return { secret, uri: totpUri(secret, user.email, props.issuer) };
}

/** Turns the second factor on once the user proves their app shows the right codes. */
export async function totpConfirmer(props: TotpProps & { code: string }): Promise<void> {
  const user = await signedInUser(props);
  if (user.hasTotp) throw conflict("Two-factor sign-in is already on.");
  if (user.totpSecretSealed === null) {
    throw conflict("Start the two-factor set-up first (POST /api/me/totp).");
  }
  const secret = props.cipher.open(TOTP_SECRET_FIELD, user.totpSecretSealed);
  if (verifyTotp(secret, props.code) === undefined) {
    throw validationError("That code is not right; check the phone's clock and try again.", {
      field: "code",
    });
  }
  await User.query(props.db).findById(user.id).patch({ totpEnabledAt: new Date() });
  await ActivityLogEntry.record(props.db, {
    action: "users.enableTotp",
    actorUserId: user.id,
    ip: props.actor.ip,
    userAgent: props.actor.userAgent,
    data: { userId: user.id },
  });
}

/** Turns the second factor off (the password again). */
export async function totpDisabler(props: TotpProps & { password: string }): Promise<void> {
  const user = await signedInUser(props);
  await assertPassword(user, props.password);
  await User.query(props.db)
    .findById(user.id)
    .patch({ totpSecretSealed: null, totpEnabledAt: null });
  await ActivityLogEntry.record(props.db, {
    action: "users.disableTotp",
    actorUserId: user.id,
    ip: props.actor.ip,
    userAgent: props.actor.userAgent,
    data: { userId: user.id },
  });
}
