import { BackupCatalog } from "../backups/backupCatalog.js";
import {
  type DailySchedule,
  scheduleOf,
  selectDueTenants,
  type TenantBackupState,
} from "../backups/backupSchedule.js";
import type { ControlPlane } from "../controlPlane.js";
import { AtendeError, invalidOption } from "../errors.js";
import { backupTenant, pruneBackups } from "./backupCreator.js";

/** What happened to one tenant in a scheduled run. */
export interface DueBackupResult {
  tenant: string;
  /** `skipped`: it became busy or was backed up by someone else in the meantime. */
  status: "succeeded" | "failed" | "skipped";
  backupId: string | null;
  /** Where the off-site copy went, when there is one. */
  offsite: string | null;
  /** Backups deleted by retention afterwards. */
  pruned: string[];
  error: { id: string; message: string } | null;
}

export interface DueBackupsRun {
  schedule: DailySchedule;
  /** Tenants that were due, in the order they were backed up. */
  due: string[];
  results: DueBackupResult[];
  /** How many of them failed (the backup, its off-site copy or the pruning after it). */
  failed: number;
}

/** Reads what the schedule needs from the registry: tenants, their newest backup, locks. */
async function tenantStates(cp: ControlPlane, now: Date): Promise<TenantBackupState[]> {
  const catalog = new BackupCatalog(cp.store.db);
  const locked = new Set(
    (
      (await cp.store
        .db("tenant_locks")
        .where("expires_at", ">", now.getTime())
        .select("tenant")) as Array<{ tenant: string }>
    ).map((row) => row.tenant),
  );
  return Promise.all(
    (await cp.tenants.list()).map(async (tenant) => {
      const backups = await catalog.list(tenant.name);
      return {
        name: tenant.name,
        status: tenant.status,
        lastAttemptAt: backups[0]?.createdAt ?? null,
        busy: locked.has(tenant.name) || backups.some((backup) => backup.status === "running"),
      };
    }),
  );
}

/**
 * Backs up every tenant whose daily backup is due (ATENDE_BACKUP_SCHEDULE), one after another,
 * each followed by retention (ATENDE_BACKUP_KEEP_*). The same code runs in `control-plane
 * serve`'s scheduler and in `atende backup run-due` (cron, systemd timers). Every failure is
 * logged as an error and counted; the caller decides how loud to be.
 */
export async function runDueBackups(
  cp: ControlPlane,
  props: {
    now?: () => Date;
    onResult?: (result: DueBackupResult) => void;
    /** Checked before each tenant: a stopping server finishes the backup in progress only. */
    shouldStop?: () => boolean;
    /**
     * Tenants whose backup failed in this process, and when. A failure that left no catalogue
     * entry (Docker unreachable) does not count as the day's attempt; these wait
     * `retryAfterMs` before the next try instead of retrying at every tick.
     */
    failures?: Map<string, number>;
    retryAfterMs?: number;
  } = {},
): Promise<DueBackupsRun> {
  const schedule = scheduleOf(cp.config);
  if (!schedule)
    throw invalidOption(
      "The backup schedule is off (ATENDE_BACKUP_SCHEDULE is not set).",
      "Set ATENDE_BACKUP_SCHEDULE=03:00 (and ATENDE_BACKUP_TIMEZONE) for the control plane, or back up one tenant with `atende tenant backup <name> --prune`.",
    );
  const now = props.now ?? (() => new Date());
  const log = cp.logger.child({ component: "backup-schedule" });
  const retryAfter = props.retryAfterMs ?? 15 * 60_000;
  const due = selectDueTenants(await tenantStates(cp, now()), schedule, now()).filter(
    (tenant) => now().getTime() - (props.failures?.get(tenant) ?? 0) >= retryAfter,
  );
  const results: DueBackupResult[] = [];
  for (const tenant of due) {
    if (props.shouldStop?.()) break;
    const result = await backUpIfStillDue(cp, schedule, tenant, now);
    if (result.status === "failed") props.failures?.set(tenant, now().getTime());
    else props.failures?.delete(tenant);
    if (result.status === "failed")
      log.error(
        { tenant, backupId: result.backupId, error: result.error },
        "scheduled backup failed",
      );
    else if (result.status === "succeeded")
      log.info(
        { tenant, backupId: result.backupId, pruned: result.pruned.length },
        "scheduled backup done",
      );
    results.push(result);
    props.onResult?.(result);
  }
  return {
    schedule,
    due,
    results,
    failed: results.filter((result) => result.status === "failed").length,
  };
}

async function backUpIfStillDue(
  cp: ControlPlane,
  schedule: DailySchedule,
  tenant: string,
  now: () => Date,
): Promise<DueBackupResult> {
  const result: DueBackupResult = {
    tenant,
    status: "skipped",
    backupId: null,
    offsite: null,
    pruned: [],
    error: null,
  };
  // Another process (a second server, a cron run) may have got there first.
  const fresh = (await tenantStates(cp, now())).filter((state) => state.name === tenant);
  if (selectDueTenants(fresh, schedule, now()).length === 0) return result;
  try {
    const backup = await backupTenant(cp, { name: tenant, kind: "scheduled" });
    result.backupId = backup.id;
    result.offsite = backup.offsite;
    result.status = "succeeded";
    result.pruned = (await pruneBackups(cp, { name: tenant })).deleted;
  } catch (error) {
    if (error instanceof AtendeError && error.id === "tenant_busy" && result.backupId === null)
      return result;
    result.status = "failed";
    result.error = {
      id: error instanceof AtendeError ? error.id : "internal_error",
      message: (error as Error).message,
    };
    if (result.backupId === null && error instanceof AtendeError && error.data?.backupId)
      result.backupId = String(error.data.backupId);
  }
  return result;
}

export const scheduledBackupsFailed = (run: DueBackupsRun) =>
  new AtendeError(
    "scheduled_backups_failed",
    `${run.failed} of ${run.due.length} scheduled backup(s) failed: ${run.results
      .filter((result) => result.status === "failed")
      .map((result) => `${result.tenant} (${result.error?.id ?? "failed"})`)
      .join(", ")}.`,
    {
      hint: "Each failure is recorded in `atende tenant backups <name>` and shown in the dashboard. Fix the cause and run `atende backup run-due` again, or wait for the next scheduled time.",
      data: { failed: run.failed },
    },
  );

/** A running scheduler; `stop` waits for a backup in progress to finish. */
export interface BackupScheduler {
  stop(): Promise<void>;
}

/**
 * Checks every `intervalMs` (a minute) whether backups are due and runs them; started by
 * `control-plane serve` when ATENDE_BACKUP_SCHEDULE is set. Never two runs at once in one
 * process; across processes the tenant lock and the re-check before each backup keep it to
 * one backup per tenant per scheduled time.
 */
export function startBackupScheduler(
  cp: ControlPlane,
  options: { intervalMs?: number; now?: () => Date; retryAfterMs?: number } = {},
): BackupScheduler | undefined {
  const schedule = scheduleOf(cp.config);
  const log = cp.logger.child({ component: "backup-schedule" });
  if (!schedule) return undefined;
  log.info(
    { time: schedule.time, timeZone: schedule.timeZone },
    "backup schedule on: daily backups with retention",
  );
  let stopped = false;
  let running: Promise<void> | undefined;
  const failures = new Map<string, number>();
  const tick = () => {
    if (stopped || running) return;
    running = runDueBackups(cp, {
      ...(options.now ? { now: options.now } : {}),
      shouldStop: () => stopped,
      failures,
      ...(options.retryAfterMs === undefined ? {} : { retryAfterMs: options.retryAfterMs }),
    })
      .then(() => undefined)
      .catch((error: unknown) => log.error({ err: error }, "the backup schedule could not run"))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, options.intervalMs ?? 60_000);
  timer.unref();
  setImmediate(tick);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
