import type { Knex } from "knex";
import type { AuditEntryPayload, AuditQuery } from "../../contracts/audit.js";

interface JoinedRow {
  id: number;
  action: string;
  ip: string | null;
  user_agent: string | null;
  data: string | Record<string, unknown> | null;
  created_at: Date;
  actor_id: number | null;
  actor_name: string | null;
  actor_email: string | null;
}

/** The filtered activity log, newest first, as a query the reader pages or streams. */
function filtered(db: Knex, query: Omit<AuditQuery, "limit">): Knex.QueryBuilder {
  const builder = db("activity_log as log")
    .leftJoin("users as actor", "actor.id", "log.actor_user_id")
    .select(
      "log.id",
      "log.action",
      "log.ip",
      "log.user_agent",
      "log.data",
      "log.created_at",
      "actor.id as actor_id",
      "actor.name as actor_name",
      "actor.email as actor_email",
    )
    .orderBy("log.id", "desc");
  if (query.action !== undefined) {
    if (query.action.endsWith(".")) builder.where("log.action", "like", `${query.action}%`);
    else builder.where("log.action", query.action);
  }
  if (query.actorUserId !== undefined) builder.where("log.actor_user_id", query.actorUserId);
  if (query.ip !== undefined) builder.where("log.ip", query.ip);
  if (query.from !== undefined) builder.where("log.created_at", ">=", query.from);
  if (query.to !== undefined) builder.where("log.created_at", "<=", query.to);
  if (query.before !== undefined) builder.where("log.id", "<", query.before);
  return builder;
}

function present(row: JoinedRow): AuditEntryPayload {
  return {
    id: Number(row.id),
    at: new Date(row.created_at).toISOString(),
    action: row.action,
    actor:
      row.actor_id === null
        ? null
        : { id: row.actor_id, name: row.actor_name ?? "", email: row.actor_email ?? "" },
    ip: row.ip,
    userAgent: row.user_agent,
    data: typeof row.data === "string" ? JSON.parse(row.data) : row.data,
  };
}

/** One page of the activity log (newest first) and the cursor of the next one. */
export async function readActivityLog(
  db: Knex,
  query: AuditQuery,
): Promise<{ entries: AuditEntryPayload[]; nextBefore: number | null }> {
  const rows: JoinedRow[] = await filtered(db, query).limit(query.limit + 1);
  const entries = rows.slice(0, query.limit).map(present);
  return {
    entries,
    nextBefore: rows.length > query.limit ? (entries.at(-1)?.id ?? null) : null,
  };
}

/** Most rows one CSV export may hold; narrow the filters for more. */
export const EXPORT_MAX_ROWS = 100_000;
const EXPORT_BATCH = 1_000;

/** Every entry matching the filters, newest first, in batches (for the CSV export). */
export async function* streamActivityLog(
  db: Knex,
  query: Omit<AuditQuery, "limit" | "before">,
): AsyncGenerator<AuditEntryPayload> {
  let before: number | undefined;
  let sent = 0;
  while (sent < EXPORT_MAX_ROWS) {
    const rows: JoinedRow[] = await filtered(db, { ...query, ...(before ? { before } : {}) }).limit(
      EXPORT_BATCH,
    );
    for (const row of rows) {
      yield present(row);
      sent++;
    }
    if (rows.length < EXPORT_BATCH) return;
    before = Number(rows.at(-1)?.id);
  }
}
