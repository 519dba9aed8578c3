import { generateTotpSecret, totpUri, verifyTotp } from "../auth/totp.js";
import type { FieldCipher } from "../crypto/fieldCipher.js";
import { conflict, validationError } from "../errors.js";
import { ActivityLogEntry } from "../models/ActivityLogEntry.js";
import { User } from "../models/User.js";
import {
  type AccountActor,
  type AccountDeps,
  actingUser,
  assertPasswordOf,
} from "./accountActor.js";

/** Associated data of the sealed secret: binds it to its column. */
export const TOTP_SECRET_FIELD = "users.totp_secret";

interface TotpProps extends Pick<AccountDeps, "db"> {
  cipher: FieldCipher;
  actor: AccountActor;
}

/**
 * Starts setting up the second factor (the password again, so a borrowed session cannot
 * enrol its own phone): a new secret is sealed and returned once, for the authenticator app.
 * It counts only after `totpConfirmer` sees a code from it.
 */
export async function totpEnroller(
  props: TotpProps & { password: string; issuer: string },
): Promise<{ secret: string; uri: string }> {
  const user = await actingUser(props.db, props.actor);
  if (user.hasTotp) throw conflict("Two-factor sign-in is already on; turn it off first.");
  await assertPasswordOf(user, props.password, "password");
  const secret = generateTotpSecret();
  await User.query(props.db)
    .findById(user.id)
    .patch({ totpSecretSealed: props.cipher.seal(TOTP_SECRET_FIELD, secret) });
  return { secret, uri: totpUri(secret, user.email, props.issuer) };
}

/** Turns the second factor on once the user proves their app shows the right codes. */
export async function totpConfirmer(props: TotpProps & { code: string }): Promise<void> {
  const user = await actingUser(props.db, props.actor);
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
    actor: props.actor,
    data: { userId: user.id },
  });
}

/** Turns the second factor off (the password again). */
export async function totpDisabler(props: TotpProps & { password: string }): Promise<void> {
  const user = await actingUser(props.db, props.actor);
  await assertPasswordOf(user, props.password, "password");
  await User.query(props.db)
    .findById(user.id)
    .patch({ totpSecretSealed: null, totpEnabledAt: null });
  await ActivityLogEntry.record(props.db, {
    action: "users.disableTotp",
    actor: props.actor,
    data: { userId: user.id },
  });
}
