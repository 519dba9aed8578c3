import type { Knex } from "knex";
import {
  builtinRolePermissions,
  type Permission,
  type RoleCreateRequest,
  type RolePayload,
  type RoleUpdateRequest,
} from "../../contracts/permissions.js";
import { RoleCatalog } from "../auth/roleCatalog.js";
import { conflict, notFound, validationError } from "../errors.js";
import { ActivityLogEntry } from "../models/ActivityLogEntry.js";
import type { AccountActor } from "./accountActor.js";

interface RoleRow {
  key: string;
  name: string;
  builtin: number | boolean;
  permissions: string | string[];
}

const parsePermissions = (row: RoleRow): Permission[] =>
  (typeof row.permissions === "string"
    ? JSON.parse(row.permissions)
    : row.permissions) as Permission[];

/** Every role with its permissions and how many users hold it. */
export async function listRoles(db: Knex): Promise<RolePayload[]> {
  const rows: RoleRow[] = await db("roles").select("key", "name", "builtin", "permissions");
  const counts: Array<{ role: string; users: number | string }> = await db("users")
    .select("role")
    .count({ users: "*" })
    .groupBy("role");
  const usersOf = new Map(counts.map((row) => [row.role, Number(row.users)]));
  return rows
    .map((row) => {
      const builtin = Boolean(row.builtin);
      return {
        key: row.key,
        name: row.name,
        builtin,
        permissions: builtin
          ? [...builtinRolePermissions[row.key as keyof typeof builtinRolePermissions]]
          : parsePermissions(row),
        users: usersOf.get(row.key) ?? 0,
      };
    })
    .sort(
      (left, right) =>
        Number(right.builtin) - Number(left.builtin) || left.key.localeCompare(right.key),
    );
}

/** Throws a 400 naming the field when `key` is not a role of this tenant. */
export async function assertRoleExists(db: Knex, key: string): Promise<void> {
  const row = await db("roles").where({ key }).first("key");
  if (row === undefined) {
    throw validationError(`Invalid role: there is no role "${key}".`, { field: "role" });
  }
}

/** An admin defines a custom role from the list of permissions. */
export async function roleCreator(props: {
  db: Knex;
  actor: AccountActor;
  input: RoleCreateRequest;
}): Promise<RolePayload> {
  const { db, input } = props;
  await db.transaction(async (trx) => {
    if ((await trx("roles").where({ key: input.key }).forUpdate().first("key")) !== undefined) {
      throw conflict(`A role "${input.key}" already exists.`);
    }
    await trx("roles").insert({
      key: input.key,
      name: input.name,
      builtin: false,
      permissions: JSON.stringify(input.permissions),
    });
    await ActivityLogEntry.record(trx, {
      action: "roles.create",
      actor: props.actor,
      data: { role: input.key, permissions: input.permissions },
    });
  });
  RoleCatalog.for(db).invalidate();
  return findRole(db, input.key);
}

/** An admin renames a custom role or changes its permissions (effective on the next request). */
export async function roleUpdater(props: {
  db: Knex;
  actor: AccountActor;
  key: string;
  input: RoleUpdateRequest;
}): Promise<RolePayload> {
  const { db, input } = props;
  await db.transaction(async (trx) => {
    const row: RoleRow | undefined = await trx("roles")
      .where({ key: props.key })
      .forUpdate()
      .first();
    if (row === undefined) throw notFound("role");
    if (row.builtin)
      throw conflict("Built-in roles cannot be changed; create a custom role instead.");
    await trx("roles")
      .where({ key: props.key })
      .update({
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.permissions === undefined
          ? {}
          : { permissions: JSON.stringify(input.permissions) }),
      });
    await ActivityLogEntry.record(trx, {
      action: "roles.update",
      actor: props.actor,
      data: {
        role: props.key,
        ...(input.permissions === undefined
          ? {}
          : { permissions: { from: parsePermissions(row), to: input.permissions } }),
      },
    });
  });
  RoleCatalog.for(db).invalidate();
  return findRole(db, props.key);
}

/** An admin deletes a custom role nobody holds. */
export async function roleDeleter(props: {
  db: Knex;
  actor: AccountActor;
  key: string;
}): Promise<void> {
  const { db } = props;
  await db.transaction(async (trx) => {
    const row: RoleRow | undefined = await trx("roles")
      .where({ key: props.key })
      .forUpdate()
      .first();
    if (row === undefined) throw notFound("role");
    if (row.builtin) throw conflict("Built-in roles cannot be deleted.");
    const holders = await trx("users").where({ role: props.key }).count({ count: "*" }).first();
    if (Number(holders?.count ?? 0) > 0) {
      throw conflict(
        `${holders?.count} user(s) still have this role; give them another one first.`,
      );
    }
    await trx("roles").where({ key: props.key }).delete();
    await ActivityLogEntry.record(trx, {
      action: "roles.delete",
      actor: props.actor,
      data: { role: props.key },
    });
  });
  RoleCatalog.for(db).invalidate();
}

async function findRole(db: Knex, key: string): Promise<RolePayload> {
  const role = (await listRoles(db)).find((candidate) => candidate.key === key);
  if (role === undefined) throw notFound("role");
  return role;
}
