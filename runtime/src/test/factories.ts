import { randomBytes } from "node:crypto";
import type { Knex } from "knex";
import type { UserRole } from "../../contracts/api.js";
import { hashPassword } from "../auth/passwords.js";
import { User } from "../models/User.js";

/** A user plus the plain password it was created with. */
export interface BuiltUser {
  user: User;
  password: string;
}

/**
 * Inserts a user with a known password. Every field has a unique default, so tests create their
 * own data without colliding.
 */
export async function buildUser(
  db: Knex,
  overrides: {
    email?: string;
    name?: string;
    role?: UserRole;
    password?: string;
    disabledAt?: Date;
  } = {},
): Promise<BuiltUser> {
  const password = overrides.password ?? `pw-${randomBytes(8).toString("hex")}`;
  const user = await User.query(db).insertAndFetch({
    email: overrides.email ?? `agent-${randomBytes(4).toString("hex")}@example.com`,
    name: overrides.name ?? "Agent Test",
    role: overrides.role ?? "agent",
    passwordHash: await hashPassword(password),
    mustChangePassword: false,
    disabledAt: overrides.disabledAt ?? null,
  });
  return { user, password };
}
