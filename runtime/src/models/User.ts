import { BaseModel } from "./BaseModel.js";

/** Someone who signs in to the tenant's inbox. */
export class User extends BaseModel {
  static override tableName = "users";

  declare id: number;
  /** Lower-cased; unique. */
  declare email: string;
  declare name: string;
  /** Key of a built-in role (admin, manager, agent) or a custom one (`roles` table). */
  declare role: string;
  /** scrypt hash from `auth/passwords.ts`; never leaves the server. */
  declare passwordHash: string;
  /** Set when the password was generated for the user (one-time password). */
  declare mustChangePassword: boolean;
  /** When set, the user can no longer sign in and existing sessions stop working. */
  declare disabledAt: Date | null;
  /** TOTP secret sealed with the tenant key (`users.totp_secret`); set from enrolment on. */
  declare totpSecretSealed: string | null;
  /** When the second factor was confirmed; null while it is off or being set up. */
  declare totpEnabledAt: Date | null;
  declare createdAt: Date;
  declare updatedAt: Date;

  /** Whether sign-in asks for a TOTP code. */
  get hasTotp(): boolean {
    return this.totpEnabledAt !== null && this.totpEnabledAt !== undefined;
  }

  /** Whether the user may sign in. */
  get isActive(): boolean {
    return this.disabledAt === null || this.disabledAt === undefined;
  }
}
