import type { UserCreateRequest } from "../../contracts/accounts.js";
import { generateOneTimePassword, hashPassword } from "../auth/passwords.js";
import { conflict } from "../errors.js";
import { ActivityLogEntry } from "../models/ActivityLogEntry.js";
import { User } from "../models/User.js";
import type { AccountActor, AccountDeps } from "./accountActor.js";
import { assertRoleExists } from "./roleEditor.js";

/**
 * An admin adds a user with a role. The user gets a one-time password, shown once to the
 * admin, that must be changed at first sign-in.
 * @throws conflict when the e-mail is taken
 */
export async function userCreator(
  props: Pick<AccountDeps, "db"> & { actor: AccountActor; input: UserCreateRequest },
): Promise<{ user: User; oneTimePassword: string }> {
  await assertRoleExists(props.db, props.input.role);
  const oneTimePassword = generateOneTimePassword();
  const passwordHash = await hashPassword(oneTimePassword);
  const user = await props.db.transaction(async (trx) => {
    const taken = await User.query(trx).findOne({ email: props.input.email }).forUpdate();
    if (taken !== undefined) throw conflict("A user with this e-mail address already exists.");
    const created = await User.query(trx).insertAndFetch({
      email: props.input.email,
      name: props.input.name,
      role: props.input.role,
      passwordHash,
      mustChangePassword: true,
    });
    await ActivityLogEntry.record(trx, {
      action: "users.create",
      actor: props.actor,
      data: { userId: created.id, role: created.role },
    });
    return created;
  });
  return { user, oneTimePassword };
}
