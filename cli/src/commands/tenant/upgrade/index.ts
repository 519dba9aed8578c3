import {
  AtendeError,
  UPGRADE_STEPS,
  type UpgradeAllResult,
  upgradeAll,
  upgradeTenant,
  validateReleaseVersion,
  validateTenantName,
} from "@atende/control-plane";
import { ExitError, exitCodeFor, usageError } from "../../../errors.js";
import type { Io } from "../../../lib/io.js";
import { formatDuration, printJson, printTable } from "../../../lib/output.js";
import { interruptSignal, withControlPlane } from "../../../lib/session.js";
import { runWithSteps } from "../../../lib/steps.js";

export interface TenantUpgradeOptions {
  name?: string;
  to: string;
  all?: boolean;
  concurrency?: number;
  json?: boolean;
}

/**
 * `atende tenant upgrade <name> --to <version>` and `--all`: backup first, migrations in a
 * one-off container, the new app health-gated before the old one goes, automatic rollback on
 * any failure (exit code 6, "rolled back to <old>").
 */
export async function tenantUpgrade(io: Io, options: TenantUpgradeOptions): Promise<void> {
  validateReleaseVersion(options.to);
  if (options.all && options.name !== undefined)
    throw usageError("Give either a tenant name or --all, not both.");
  if (!options.all && options.name === undefined)
    throw usageError(
      "Which tenant? Give its name, or --all for every ready tenant.",
      "e.g. `atende tenant upgrade acme --to 0.2.0`.",
    );
  if (options.all) return upgradeEveryTenant(io, { ...options, all: true });
  const name = options.name as string;
  validateTenantName(name);
  const interrupt = interruptSignal();
  try {
    const upgraded = await withControlPlane(io, (cp) =>
      runWithSteps(io, UPGRADE_STEPS, { quiet: options.json === true }, (onProgress) =>
        upgradeTenant(cp, { name, to: options.to, onProgress, signal: interrupt.signal }),
      ),
    );
    if (options.json) return printJson(io, { ok: true, ...upgraded });
    io.stdout.write(
      upgraded.changed
        ? [
            "",
            `Tenant ${upgraded.tenant} upgraded from ${upgraded.from} to ${upgraded.to} in ${formatDuration(upgraded.durationMs)}.`,
            `  Switch:      ${formatDuration(upgraded.switchMs ?? 0)} without the app answering`,
            `  Migrations:  ${upgraded.migrationsApplied.length === 0 ? "none to apply" : upgraded.migrationsApplied.join(", ")}`,
            `  Backup:      ${upgraded.backupId} (taken before the upgrade)`,
            "",
          ].join("\n")
        : `\nTenant ${upgraded.tenant} already runs ${upgraded.to}: nothing to do.\n`,
    );
  } finally {
    interrupt.dispose();
  }
}

async function upgradeEveryTenant(
  io: Io,
  options: TenantUpgradeOptions & { all: true },
): Promise<void> {
  const interrupt = interruptSignal();
  let result: UpgradeAllResult;
  try {
    result = await withControlPlane(io, (cp) =>
      upgradeAll(cp, {
        to: options.to,
        ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
        signal: interrupt.signal,
        onProgress: (tenant, event) => {
          if (options.json || event.state === "started") return;
          const title = UPGRADE_STEPS.find((step) => step.id === event.step.id)?.title;
          if (title === undefined) return;
          io.stderr.write(
            `${event.state === "failed" ? "✖" : "✔"} ${tenant}: ${title}${event.note ? ` (${event.note})` : ""}\n`,
          );
        },
      }),
    );
  } finally {
    interrupt.dispose();
  }
  const failed = result.tenants.find((tenant) => tenant.state === "failed");
  if (options.json) printJson(io, result);
  else {
    io.stdout.write("\n");
    printTable(
      io,
      ["TENANT", "RESULT", "DETAIL"],
      result.tenants.map((tenant) => [
        tenant.tenant,
        tenant.state,
        tenant.state === "upgraded"
          ? `${tenant.from} → ${tenant.to} (switch ${formatDuration(tenant.switchMs ?? 0)})`
          : tenant.state === "skipped"
            ? tenant.reason
            : tenant.state === "failed"
              ? tenant.error.message
              : "not started: an earlier tenant failed",
      ]),
    );
  }
  if (failed?.state === "failed") {
    if (!options.json)
      io.stderr.write(
        `✖ The rolling upgrade stopped at ${failed.tenant}: ${failed.error.message}\n`,
      );
    throw new ExitError(exitCodeFor(new AtendeError(failed.error.id, failed.error.message)));
  }
}
