import { listBackups } from "@atende/control-plane";
import type { Io } from "../../../lib/io.js";
import { printJson, printTable } from "../../../lib/output.js";
import { withControlPlane } from "../../../lib/session.js";
import { formatBytes } from "../backup/index.js";

/** `atende tenant backups <name>`: the tenant's backup catalogue, newest first. */
export async function tenantBackups(
  io: Io,
  options: { name: string; json?: boolean },
): Promise<void> {
  const backups = await withControlPlane(io, (cp) => listBackups(cp, { name: options.name }));
  if (options.json) return printJson(io, backups);
  if (backups.length === 0) {
    io.stdout.write(
      `No backups of ${options.name} yet. Take one with \`atende tenant backup ${options.name}\`.\n`,
    );
    return;
  }
  printTable(
    io,
    ["ID", "KIND", "STATUS", "SIZE", "CREATED", "VERIFIED"],
    backups.map((backup) => [
      backup.id,
      backup.kind,
      backup.status === "failed" ? `FAILED: ${backup.error?.message ?? ""}` : backup.status,
      formatBytes(backup.storedBytes),
      backup.createdAt.toISOString(),
      backup.verifiedAt
        ? `${backup.verifyStatus} ${backup.verifiedAt.toISOString()}`
        : "never (unverified)",
    ]),
  );
}
