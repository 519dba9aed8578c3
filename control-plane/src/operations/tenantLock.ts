import { hostname } from "node:os";
import type { Knex } from "knex";
import { tenantBusy } from "../errors.js";
import type { OperationKind } from "./operationJournal.js";

const LOCK_TTL_MS = 60_000;
const HEARTBEAT_MS = 15_000;

/** A held per-tenant lock; release it in `finally`. */
export interface TenantLock {
  release(): Promise<void>;
}

interface LockRow {
  tenant: string;
  operation_id: string;
  operation_kind: string;
  host: string;
  pid: number;
  acquired_at: number | string;
  expires_at: number | string;
}

/**
 * Serialises operations on one tenant across processes (the CLI and the API server share the
 * registry). The primary key on `tenant` makes acquisition atomic on SQLite and MySQL alike. A
 * lock expires a minute after its holder's last heartbeat, and at once when the holder was a
 * process on this host that no longer exists (a killed CLI can be re-run straight away).
 */
export async function acquireTenantLock(
  db: Knex,
  tenant: string,
  operationId: string,
  kind: OperationKind,
): Promise<TenantLock> {
  const host = hostname();
  await clearStaleLock(db, tenant, host);
  const now = Date.now();
  try {
    await db("tenant_locks").insert({
      tenant,
      operation_id: operationId,
      operation_kind: kind,
      host,
      pid: process.pid,
      acquired_at: now,
      expires_at: now + LOCK_TTL_MS,
    });
  } catch (error) {
    const holder = (await db<LockRow>("tenant_locks").where({ tenant }).first()) as
      | LockRow
      | undefined;
    if (!holder) throw error;
    throw tenantBusy(
      tenant,
      holder.operation_kind,
      `${holder.host}:${holder.pid}`,
      new Date(Number(holder.acquired_at)),
    );
  }
  const heartbeat = setInterval(() => {
    void db("tenant_locks")
      .where({ tenant, operation_id: operationId })
      .update({ expires_at: Date.now() + LOCK_TTL_MS })
      .catch(() => undefined);
  }, HEARTBEAT_MS);
  heartbeat.unref();
  return {
    async release() {
      clearInterval(heartbeat);
      await db("tenant_locks").where({ tenant, operation_id: operationId }).delete();
    },
  };
}

async function clearStaleLock(db: Knex, tenant: string, host: string): Promise<void> {
  const holder = (await db<LockRow>("tenant_locks").where({ tenant }).first()) as
    | LockRow
    | undefined;
  if (!holder) return;
  const expired = Number(holder.expires_at) < Date.now();
  const deadHere = holder.host === host && !processExists(Number(holder.pid));
  if (expired || deadHere) {
    await db("tenant_locks").where({ tenant, operation_id: holder.operation_id }).delete();
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
