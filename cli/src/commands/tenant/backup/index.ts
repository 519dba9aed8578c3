import {
  BACKUP_STEPS,
  backupTenant,
  pruneBackups,
  type RetentionPolicy,
  retentionPolicyOf,
  validateTenantName,
} from "@atende/control-plane";
import type { Io } from "../../../lib/io.js";
import { formatDuration, printJson } from "../../../lib/output.js";
import { withControlPlane } from "../../../lib/session.js";
import { runWithSteps } from "../../../lib/steps.js";

export interface TenantBackupOptions {
  name: string;
  json?: boolean;
  prune?: boolean;
  keepDaily?: number;
  keepWeekly?: number;
  keepMonthly?: number;
}

/**
 * `atende tenant backup <name>`: a consistent, encrypted backup of a running tenant. With
 * --prune, a successful backup is followed by retention (for a daily cron job). A failure
 * exits non-zero and is recorded as failed in the catalogue.
 */
export async function tenantBackup(io: Io, options: TenantBackupOptions): Promise<void> {
  validateTenantName(options.name);
  const { backup, pruned } = await withControlPlane(io, async (cp) => {
    // The flags override the control plane's ATENDE_BACKUP_KEEP_* settings.
    const configured = retentionPolicyOf(cp.config);
    const policy: RetentionPolicy = {
      daily: options.keepDaily ?? configured.daily,
      weekly: options.keepWeekly ?? configured.weekly,
      monthly: options.keepMonthly ?? configured.monthly,
    };
    const backup = await runWithSteps(
      io,
      BACKUP_STEPS,
      { quiet: options.json === true },
      (onProgress) => backupTenant(cp, { name: options.name, onProgress }),
    );
    const pruned = options.prune ? await pruneBackups(cp, { name: options.name, policy }) : null;
    return { backup, pruned };
  });
  if (options.json) {
    printJson(io, { ok: true, ...backup, ...(pruned ? { pruned: pruned.deleted } : {}) });
    return;
  }
  const rows = Object.values(backup.tables).reduce((sum, count) => sum + count, 0);
  io.stdout.write(
    [
      "",
      `Backup ${backup.id} of ${backup.tenant} written in ${formatDuration(backup.durationMs)}.`,
      `  Where:     ${backup.path}`,
      ...(backup.offsite ? [`  Off-site:  ${backup.offsite} (uploaded, checksums verified)`] : []),
      `  Size:      ${formatBytes(backup.storedBytes)} stored (${formatBytes(backup.plainBytes)} before compression)`,
      `  Database:  ${Object.keys(backup.tables).length} tables, ${rows} rows`,
      ...(pruned
        ? [`  Retention: ${pruned.deleted.length} old backup(s) deleted, ${pruned.kept} kept`]
        : []),
      "",
      `Prove it restores: atende tenant verify-backup ${backup.tenant} --backup ${backup.id}`,
      "",
    ].join("\n"),
  );
}

/** `1.2 MB`. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return "-";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
