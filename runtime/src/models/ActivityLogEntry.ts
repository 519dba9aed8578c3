import type { Knex } from "knex";
import type { AccountActor } from "../commands/accountActor.js";
import { BaseModel } from "./BaseModel.js";

/**
 * Audited actions, spelled `resources.verb` (style §3). `sessions.fail` is a rejected login.
 */
export type ActivityAction =
  | "users.create"
  | "users.resetPassword"
  | "users.changePassword"
  | "users.update"
  | "users.unlock"
  | "users.enableTotp"
  | "users.disableTotp"
  | "audit.export"
  | "contacts.view"
  | "contacts.export"
  | "contacts.erase"
  | "contacts.update"
  | "contacts.consent"
  | "conversations.view"
  | "conversations.claim"
  | "conversations.assign"
  | "conversations.release"
  | "conversations.changeStatus"
  | "queues.create"
  | "queues.update"
  | "queues.delete"
  | "quickReplies.create"
  | "quickReplies.update"
  | "quickReplies.delete"
  | "roles.create"
  | "roles.update"
  | "roles.delete"
  | "sessions.create"
  | "sessions.fail"
  | "sessions.lockout"
  | "sessions.delete"
  | "sessions.deleteAll"
  | "whatsappSettings.update"
  | "whatsappTemplates.sync"
  | "whatsappTemplates.create"
  | "whatsappTemplates.delete";

/** One row of the audit trail (`activity_log`). Append-only. */
export class ActivityLogEntry extends BaseModel {
  static override tableName = "activity_log";

  static override get jsonAttributes() {
    return ["data"];
  }

  declare id: number;
  /** The signed-in user who acted; null for the system and for failed logins. */
  declare actorUserId: number | null;
  declare action: ActivityAction;
  declare ip: string | null;
  declare userAgent: string | null;
  /** Action details; never secrets (no passwords, tokens or session ids). */
  declare data: Record<string, unknown> | null;
  declare createdAt: Date;

  /** Appends an entry. Long user agents are cut to fit the column. */
  static async record(
    db: Knex,
    entry: {
      action: ActivityAction;
      /** Who acted and from where: the signed-in user's request (fills the three below). */
      actor?: AccountActor;
      actorUserId?: number | null;
      ip?: string | null;
      userAgent?: string | null;
      data?: Record<string, unknown> | null;
    },
  ): Promise<void> {
    await ActivityLogEntry.query(db).insert({
      action: entry.action,
      actorUserId: entry.actor?.userId ?? entry.actorUserId ?? null,
      ip: entry.actor?.ip ?? entry.ip ?? null,
      userAgent: (entry.actor?.userAgent ?? entry.userAgent)?.slice(0, 512) ?? null,
      data: entry.data ?? null,
    });
  }
}
