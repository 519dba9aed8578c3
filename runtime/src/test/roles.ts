import type { Knex } from "knex";
import {
  builtinRolePermissions,
  type Permission,
  permissions,
} from "../../contracts/permissions.js";

/** A role to test with and the permissions it grants. */
export interface RoleCase {
  role: string;
  grants: ReadonlySet<Permission>;
}

/** The key of the custom role holding only `permission`. */
const onlyRoleKey = (permission: Permission) =>
  `only-${permission.replace(".", "-").toLowerCase()}`;

/**
 * The roles an authorisation matrix checks: the three built-in ones and, per permission, a
 * custom role holding only that permission.
 */
export const matrixRoleCases: readonly RoleCase[] = [
  ...Object.entries(builtinRolePermissions).map(([role, granted]) => ({
    role,
    grants: new Set<Permission>(granted),
  })),
  ...permissions.map((permission) => ({
    role: onlyRoleKey(permission),
    grants: new Set<Permission>([permission]),
  })),
];

/** Creates the one-permission custom roles of `matrixRoleCases` in a tenant database. */
export async function insertOnePermissionRoles(db: Knex): Promise<void> {
  await db("roles").insert(
    permissions.map((permission) => ({
      key: onlyRoleKey(permission),
      name: `Only ${permission}`,
      builtin: false,
      permissions: JSON.stringify([permission]),
    })),
  );
}
