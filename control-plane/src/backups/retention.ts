import type { BackupEntry } from "./backupCatalog.js";

/** How many backups to keep: the newest of each of the last N days, ISO weeks and months. */
export interface RetentionPolicy {
  daily: number;
  weekly: number;
  monthly: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { daily: 7, weekly: 4, monthly: 6 };

type Candidate = Pick<BackupEntry, "id" | "status" | "createdAt" | "verifyStatus">;

const dayOf = (date: Date) => date.toISOString().slice(0, 10);
const monthOf = (date: Date) => date.toISOString().slice(0, 7);

/** ISO-8601 week, e.g. `2026-W48` (weeks start on Monday, week 1 holds the first Thursday). */
export function isoWeekOf(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

/**
 * The catalogue entries retention may delete. Pure: it only ever picks from the entries it is
 * given (the catalogue, never a directory listing), and it never picks
 * - a running backup,
 * - the newest good backup, nor the newest verified one,
 * - a failed backup newer than the newest good one (it is the alert someone must see).
 * Good backups are kept when they are the newest of one of the last `daily` days, `weekly`
 * ISO weeks or `monthly` months that have a backup.
 */
export function selectBackupsToPrune(backups: Candidate[], policy: RetentionPolicy): string[] {
  const newestFirst = [...backups].sort(
    (left, right) =>
      right.createdAt.getTime() - left.createdAt.getTime() || right.id.localeCompare(left.id),
  );
  const good = newestFirst.filter((backup) => backup.status === "succeeded");
  const keep = new Set<string>();
  const newestGood = good[0];
  if (newestGood) keep.add(newestGood.id);
  const newestVerified = good.find((backup) => backup.verifyStatus === "passed");
  if (newestVerified) keep.add(newestVerified.id);

  for (const [count, bucketOf] of [
    [policy.daily, dayOf],
    [policy.weekly, isoWeekOf],
    [policy.monthly, monthOf],
  ] as const) {
    const seen = new Set<string>();
    for (const backup of good) {
      if (seen.size >= count) break;
      const bucket = bucketOf(backup.createdAt);
      if (seen.has(bucket)) continue;
      seen.add(bucket);
      keep.add(backup.id);
    }
  }

  return newestFirst
    .filter((backup) => {
      if (keep.has(backup.id) || backup.status === "running") return false;
      if (backup.status === "failed")
        return newestGood !== undefined && backup.createdAt < newestGood.createdAt;
      return true;
    })
    .map((backup) => backup.id);
}
