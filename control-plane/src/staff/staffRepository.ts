import { createHash, randomBytes } from "node:crypto";
import type { Knex } from "knex";

/** Staff roles, weakest first: viewer reads, operator also creates/starts/stops, owner also destroys and manages staff. */
export const STAFF_ROLES = ["viewer", "operator", "owner"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** True when `role` grants at least what `needed` grants. */
export function roleAllows(role: StaffRole, needed: StaffRole): boolean {
  return STAFF_ROLES.indexOf(role) >= STAFF_ROLES.indexOf(needed);
}

/** A staff account as stored (hash included: never leaves the control plane). */
export interface StaffRecord {
  id: number;
  email: string;
  passwordHash: string;
  role: StaffRole;
  disabled: boolean;
  createdAt: Date;
}

/** One row of the staff audit log. */
export interface AuditEntry {
  id: number;
  occurredAt: Date;
  staffId: number | null;
  staffEmail: string | null;
  ip: string | null;
  userAgent: string | null;
  action: string;
  target: string | null;
  outcome: string;
  detail: string | null;
}

/** What an audit row records (the time is added on insert). */
export type AuditInput = Omit<AuditEntry, "id" | "occurredAt">;

interface StaffRow {
  id: number;
  email: string;
  password_hash: string;
  role: StaffRole;
  disabled: number | boolean;
  created_at: number | string;
}

const fromRow = (row: StaffRow): StaffRecord => ({
  id: Number(row.id),
  email: row.email,
  passwordHash: row.password_hash,
  role: row.role,
  disabled: Boolean(row.disabled),
  createdAt: new Date(Number(row.created_at)),
});

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Staff accounts, their sessions and the audit log, in the registry store. */
export class StaffRepository {
  constructor(private readonly db: Knex) {}

  async findByEmail(email: string): Promise<StaffRecord | undefined> {
    const row = (await this.db<StaffRow>("staff_users").where({ email }).first()) as
      | StaffRow
      | undefined;
    return row ? fromRow(row) : undefined;
  }

  async findById(id: number): Promise<StaffRecord | undefined> {
    const row = (await this.db<StaffRow>("staff_users").where({ id }).first()) as
      | StaffRow
      | undefined;
    return row ? fromRow(row) : undefined;
  }

  async list(): Promise<StaffRecord[]> {
    return ((await this.db<StaffRow>("staff_users").orderBy("email")) as StaffRow[]).map(fromRow);
  }

  async insert(email: string, passwordHash: string, role: StaffRole): Promise<void> {
    const now = Date.now();
    await this.db("staff_users").insert({
      email,
      password_hash: passwordHash,
      role,
      disabled: false,
      created_at: now,
      updated_at: now,
    });
  }

  /** Disables or re-enables an account; disabling also ends its sessions. */
  async setDisabled(id: number, disabled: boolean): Promise<void> {
    await this.db.transaction(async (trx) => {
      await trx("staff_users").where({ id }).update({ disabled, updated_at: Date.now() });
      if (disabled) await trx("staff_sessions").where({ staff_id: id }).delete();
    });
  }

  /** Opens a session; returns the token for the cookie (only its hash is stored). */
  async createSession(staffId: number, ttlMs: number): Promise<string> {
    const token = randomBytes(32).toString("base64url");
    const now = Date.now();
    await this.db("staff_sessions").insert({
      token_hash: hashToken(token),
      staff_id: staffId,
      created_at: now,
      last_seen_at: now,
      expires_at: now + ttlMs,
    });
    return token;
  }

  /**
   * The account behind a session token, or undefined when the session is unknown, expired
   * (absolute lifetime), idle for longer than `idleMs`, or its account is disabled.
   */
  async resolveSession(token: string, idleMs: number): Promise<StaffRecord | undefined> {
    const tokenHash = hashToken(token);
    const session = (await this.db("staff_sessions").where({ token_hash: tokenHash }).first()) as
      | { staff_id: number; last_seen_at: number | string; expires_at: number | string }
      | undefined;
    if (!session) return undefined;
    const now = Date.now();
    if (Number(session.expires_at) <= now || Number(session.last_seen_at) + idleMs <= now) {
      await this.db("staff_sessions").where({ token_hash: tokenHash }).delete();
      return undefined;
    }
    const staff = await this.findById(Number(session.staff_id));
    if (!staff || staff.disabled) return undefined;
    // Touch at most once a minute: a busy dashboard should not write on every request.
    if (Number(session.last_seen_at) + 60_000 < now)
      await this.db("staff_sessions")
        .where({ token_hash: tokenHash })
        .update({ last_seen_at: now });
    return staff;
  }

  async deleteSession(token: string): Promise<void> {
    await this.db("staff_sessions")
      .where({ token_hash: hashToken(token) })
      .delete();
  }

  /** Appends one audit row. There is deliberately no update or delete. */
  async audit(entry: AuditInput): Promise<void> {
    await this.db("staff_audit_log").insert({
      occurred_at: Date.now(),
      staff_id: entry.staffId,
      staff_email: entry.staffEmail,
      ip: entry.ip?.slice(0, 64) ?? null,
      user_agent: entry.userAgent?.slice(0, 512) ?? null,
      action: entry.action,
      target: entry.target?.slice(0, 255) ?? null,
      outcome: entry.outcome.slice(0, 64),
      detail: entry.detail?.slice(0, 2000) ?? null,
    });
  }

  /** Newest first. */
  async listAudit(options: { limit: number; before?: number }): Promise<AuditEntry[]> {
    const query = this.db("staff_audit_log").orderBy("id", "desc").limit(options.limit);
    if (options.before !== undefined) query.where("id", "<", options.before);
    const rows = (await query) as Array<Record<string, unknown>>;
    return rows.map((row) => ({
      id: Number(row.id),
      occurredAt: new Date(Number(row.occurred_at)),
      staffId: row.staff_id === null ? null : Number(row.staff_id),
      staffEmail: (row.staff_email as string | null) ?? null,
      ip: (row.ip as string | null) ?? null,
      userAgent: (row.user_agent as string | null) ?? null,
      action: String(row.action),
      target: (row.target as string | null) ?? null,
      outcome: String(row.outcome),
      detail: (row.detail as string | null) ?? null,
    }));
  }
}
