import type { Knex } from "knex";
import { generateOneTimePassword, hashPassword } from "../auth/passwords.js";
import { ActivityLogEntry } from "../models/ActivityLogEntry.js";
import { User } from "../models/User.js";

/** Input of `adminCreator`. */
export interface AdminCreatorProps {
  db: Knex;
  /** Already validated, trimmed and lower-cased. */
  email: string;
  /** Display name; defaults to the e-mail's local part for new users, unchanged for existing. */
  name?: string | undefined;
}

/** Output of `adminCreator`: the one-time password is shown once, to the operator. */
export interface AdminCreatorResult {
  email: string;
  password: string;
  created: boolean;
}

/**
 * Creates the tenant's first administrator, or recovers an existing account: in both cases the
 * user ends up an enabled admin with a fresh one-time password that must be changed at next
 * sign-in. Changing the password hash also ends the account's existing sessions.
 */
export async function adminCreator(props: AdminCreatorProps): Promise<AdminCreatorResult> {
  const password = generateOneTimePassword();
  const passwordHash = await hashPassword(password);

  const created = await props.db.transaction(async (trx) => {
    const existing = await User.query(trx).findOne({ email: props.email }).forUpdate();
    if (existing === undefined) {
      const user = await User.query(trx).insert({
        email: props.email,
        name: props.name ?? props.email.split("@")[0] ?? props.email,
        role: "admin",
        passwordHash,
        mustChangePassword: true,
      });
      await ActivityLogEntry.record(trx, {
        action: "users.create",
        data: { userId: user.id, email: props.email, role: "admin", via: "create-admin" },
      });
      return true;
    }
    await User.query(trx)
      .findById(existing.id)
      .patch({
        passwordHash,
        mustChangePassword: true,
        role: "admin",
        disabledAt: null,
        ...(props.name === undefined ? {} : { name: props.name }),
      });
    await ActivityLogEntry.record(trx, {
      action: "users.resetPassword",
      data: { userId: existing.id, email: props.email, via: "create-admin" },
    });
    return false;
  });

  return { email: props.email, password, created };
}
