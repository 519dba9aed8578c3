import { RESTORE_STEPS, restoreTenant, validateTenantName } from "@atende/control-plane";
import { EXIT_CODES, ExitError, usageError } from "../../../errors.js";
import type { Io } from "../../../lib/io.js";
import { formatDuration, printJson } from "../../../lib/output.js";
import { prompts } from "../../../lib/prompts.js";
import { interruptSignal, withControlPlane } from "../../../lib/session.js";
import { runWithSteps } from "../../../lib/steps.js";

export interface TenantRestoreOptions {
  name: string;
  from: string;
  as?: string;
  yes?: boolean;
  json?: boolean;
}

/**
 * `atende tenant restore <name> --from <backup>`: in place (after a safety backup; asks first
 * unless --yes) or `--as <new-name>` into an independent copy.
 */
export async function tenantRestore(io: Io, options: TenantRestoreOptions): Promise<void> {
  validateTenantName(options.name);
  if (options.as !== undefined) validateTenantName(options.as);
  const interrupt = interruptSignal();
  try {
    const restored = await withControlPlane(io, async (cp) => {
      // Only a restore over existing data asks; a restore after a destroy or --as replaces nothing.
      const replaces =
        options.as === undefined &&
        (await cp.tenants.find(options.name)) !== undefined &&
        !options.yes;
      if (replaces) await confirmReplace(io, options);
      return runWithSteps(io, RESTORE_STEPS, { quiet: options.json === true }, (onProgress) =>
        restoreTenant(cp, {
          name: options.name,
          from: options.from,
          ...(options.as === undefined ? {} : { as: options.as }),
          onProgress,
          signal: interrupt.signal,
        }),
      );
    });
    if (options.json) return printJson(io, { ok: true, ...restored });
    io.stdout.write(
      [
        "",
        `Tenant ${restored.tenant} restored from backup ${restored.backupId} in ${formatDuration(restored.durationMs)}.`,
        `  Inbox:          ${restored.url}`,
        ...(restored.safetyBackupId
          ? [`  Safety backup:  ${restored.safetyBackupId} (the data that was replaced)`]
          : []),
        "",
      ].join("\n"),
    );
  } finally {
    interrupt.dispose();
  }
}

async function confirmReplace(io: Io, options: TenantRestoreOptions): Promise<void> {
  if (!io.interactive)
    throw usageError(
      `Refusing to replace the data of "${options.name}" without confirmation.`,
      "Add --yes to confirm (a safety backup is taken first), or restore into a copy with --as <new-name>.",
    );
  if (
    !(await prompts.confirm(
      `Replace the data of ${options.name} with backup ${options.from}? (a safety backup is taken first)`,
    ))
  ) {
    io.stderr.write("Nothing was changed.\n");
    throw new ExitError(EXIT_CODES.cancelled);
  }
}
