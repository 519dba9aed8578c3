import { runDueBackups, scheduledBackupsFailed } from "@atende/control-plane";
import { EXIT_CODES, ExitError } from "../../../errors.js";
import type { Io } from "../../../lib/io.js";
import { printJson } from "../../../lib/output.js";
import { withControlPlane } from "../../../lib/session.js";

/**
 * `atende backup run-due`: backs up every tenant whose daily backup (ATENDE_BACKUP_SCHEDULE) is
 * due, each followed by retention, with the same library code as `control-plane serve`'s
 * scheduler. For hosts that prefer cron or a systemd timer (run it every 15 minutes; it does
 * nothing when nothing is due). Exits non-zero when any backup, off-site copy or pruning failed.
 */
export async function backupRunDue(io: Io, options: { json?: boolean }): Promise<void> {
  const run = await withControlPlane(io, (cp) =>
    runDueBackups(cp, {
      onResult: (result) => {
        if (options.json) return;
        const line =
          result.status === "succeeded"
            ? `✔ ${result.tenant}: backup ${result.backupId}${result.offsite ? ` (off-site copy in ${result.offsite})` : ""}, ${result.pruned.length} old backup(s) pruned`
            : result.status === "failed"
              ? `✖ ${result.tenant}: ${result.error?.message ?? "failed"}`
              : `- ${result.tenant}: skipped (busy, or backed up meanwhile)`;
        io.stdout.write(`${line}\n`);
      },
    }),
  );
  if (options.json) {
    printJson(io, { ok: run.failed === 0, ...run });
    if (run.failed > 0) throw new ExitError(EXIT_CODES.unhealthy);
    return;
  }
  if (run.due.length === 0)
    io.stdout.write(
      `Nothing due: every ready tenant has been backed up since the last ${run.schedule.time} (${run.schedule.timeZone}).\n`,
    );
  if (run.failed > 0) throw scheduledBackupsFailed(run);
}
