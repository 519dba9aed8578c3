import type { Knex } from "knex";
import type { UserUpdateRequest } from "../../contracts/accounts.js";
import { conflict, notFound } from "../errors.js";
import { ActivityLogEntry } from "../models/ActivityLogEntry.js";
import { User } from "../models/User.js";
import { type AccountActor, type AccountDeps, endUserSessions } from "./accountActor.js";
import { assertRoleExists } from "./roleEditor.js";

/**
 * An admin renames a user, changes their role, or disables / enables the account. Disabling
 * ends the user's sessions at once; a role change takes effect on their next request. The
 * tenant always keeps at least one enabled admin.
 */
export async function userUpdater(
  props: AccountDeps & { actor: AccountActor; userId: number; input: UserUpdateRequest },
): Promise<User> {
  const { input } = props;
  if (input.role !== undefined) await assertRoleExists(props.db, input.role);
  const updated = await props.db.transaction(async (trx) => {
    const user = await User.query(trx).findById(props.userId).forUpdate();
    if (user === undefined) throw notFound("user");
    const losesAdmin =
      user.role === "admin" &&
      user.isActive &&
      ((input.role !== undefined && input.role !== "admin") || input.disabled === true);
    if (losesAdmin && (await otherEnabledAdmins(trx, user.id)) === 0) {
      throw conflict("The tenant must keep at least one enabled administrator.");
    }
    const patch: Partial<Pick<User, "name" | "role" | "disabledAt">> = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.role !== undefined) patch.role = input.role;
    if (input.disabled !== undefined)
      patch.disabledAt = input.disabled ? (user.disabledAt ?? new Date()) : null;
    const result = await User.query(trx).patchAndFetchById(user.id, patch);
    await ActivityLogEntry.record(trx, {
      action: "users.update",
      actor: props.actor,
      data: {
        userId: user.id,
        ...(input.role !== undefined && input.role !== user.role
          ? { role: { from: user.role, to: input.role } }
          : {}),
        ...(input.disabled !== undefined ? { disabled: input.disabled } : {}),
        ...(input.name !== undefined ? { renamed: true } : {}),
      },
    });
    return result;
  });
  if (input.disabled === true) await endUserSessions(props, updated.id);
  return updated;
}

async function otherEnabledAdmins(trx: Knex.Transaction, userId: number): Promise<number> {
  const row = await User.query(trx)
    .where({ role: "admin" })
    .whereNull("disabled_at")
    .whereNot("id", userId)
    .count({ count: "*" })
    .first();
  return Number((row as unknown as { count: number | string } | undefined)?.count ?? 0);
}
