import type { UserRole } from "../../contracts/api.js";
import { BaseModel } from "./BaseModel.js";

/** Someone who signs in to the tenant's inbox. */
export class User extends BaseModel {
  static override tableName = "users";

  declare id: number;
  /** Lower-cased; unique. */
  declare email: string;
  declare name: string;
  declare role: UserRole;
  /** scrypt hash from `auth/passwords.ts`; never leaves the server. */
  declare passwordHash: string;
  /** Set when the password was generated for the user (one-time password). */
  declare mustChangePassword: boolean;
  /** When set, the user can no longer sign in and existing sessions stop working. */
  declare disabledAt: Date | null;
  declare createdAt: Date;
  declare updatedAt: Date;

  /** Whether the user may sign in. */
  get isActive(): boolean {
    return this.disabledAt === null || this.disabledAt === undefined;
  }
}
