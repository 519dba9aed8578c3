import { VERIFY_BACKUP_STEPS, validateTenantName, verifyBackup } from "@atende/control-plane";
import type { Io } from "../../../lib/io.js";
import { formatDuration, printJson } from "../../../lib/output.js";
import { withControlPlane } from "../../../lib/session.js";
import { runWithSteps } from "../../../lib/steps.js";

/**
 * `atende tenant verify-backup <name> [--backup <id>]`: restores into a throw-away tenant,
 * checks it, records the verdict and removes the throw-away tenant.
 */
export async function tenantVerifyBackup(
  io: Io,
  options: { name: string; backup?: string; json?: boolean },
): Promise<void> {
  validateTenantName(options.name);
  const verified = await withControlPlane(io, (cp) =>
    runWithSteps(io, VERIFY_BACKUP_STEPS, { quiet: options.json === true }, (onProgress) =>
      verifyBackup(cp, {
        name: options.name,
        ...(options.backup === undefined ? {} : { backup: options.backup }),
        onProgress,
      }),
    ),
  );
  if (options.json) return printJson(io, { ok: true, ...verified });
  io.stdout.write(
    `\nBackup ${verified.backupId} of ${verified.tenant} verified in ${formatDuration(verified.durationMs)}: ${verified.detail}.\n`,
  );
}
