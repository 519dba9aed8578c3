import type { BackupEntry } from "./backupCatalog.js";

/** How long a scheduled tenant may go without a good backup before it is an alert. */
export const OVERDUE_AFTER_MS = 26 * 60 * 60 * 1000;

/** An upload still recorded as in progress after this long was interrupted (a killed process). */
export const STALE_UPLOAD_MS = 6 * 60 * 60 * 1000;

/** Something about a tenant's backups that a person must look at. */
export interface BackupAlert {
  /**
   * `backup_failed`: its newest backup failed. `offsite_failed`: the off-site copy of its newest
   * good backup failed. `backup_overdue`: the schedule is on and it has no good backup from the
   * last 26 hours.
   */
  id: "backup_failed" | "offsite_failed" | "backup_overdue";
  /** The backup concerned (none for `backup_overdue`). */
  backupId: string | null;
  /** The error id of a failed backup, or the reason an off-site copy failed. */
  reason: string | null;
  /** When the failed backup started, or the newest good backup's time for `backup_overdue`. */
  since: Date | null;
}

/**
 * The backup alerts of one tenant. Pure: `backups` is its catalogue (any order), `scheduled`
 * whether the daily schedule is on. A tenant that is not `ready` (stopped on purpose, being
 * created) or younger than the 26 h window is not overdue.
 */
export function backupAlertsOf(input: {
  backups: readonly BackupEntry[];
  tenant: { status: string; createdAt: Date };
  scheduled: boolean;
  now: Date;
}): BackupAlert[] {
  const finished = [...input.backups]
    .filter((backup) => backup.status !== "running")
    .sort((left, right) => right.createdAt.getTime() - left.createdAt.getTime());
  const alerts: BackupAlert[] = [];
  const newest = finished[0];
  if (newest?.status === "failed")
    alerts.push({
      id: "backup_failed",
      backupId: newest.id,
      reason: newest.error?.id ?? null,
      since: newest.createdAt,
    });
  const good = finished.filter((backup) => backup.status === "succeeded");
  const newestCopied = good.find((backup) => backup.remote !== null);
  const remote = newestCopied?.remote;
  const interrupted =
    remote?.state === "uploading" && input.now.getTime() - remote.at.getTime() > STALE_UPLOAD_MS;
  if (newestCopied && (remote?.state === "failed" || interrupted))
    alerts.push({
      id: "offsite_failed",
      backupId: newestCopied.id,
      reason: interrupted ? "the upload was interrupted" : (remote?.error ?? null),
      since: newestCopied.createdAt,
    });
  const windowStart = input.now.getTime() - OVERDUE_AFTER_MS;
  if (
    input.scheduled &&
    input.tenant.status === "ready" &&
    input.tenant.createdAt.getTime() < windowStart &&
    !good.some((backup) => backup.createdAt.getTime() >= windowStart)
  )
    alerts.push({
      id: "backup_overdue",
      backupId: null,
      reason: null,
      since: good[0]?.createdAt ?? null,
    });
  return alerts;
}
