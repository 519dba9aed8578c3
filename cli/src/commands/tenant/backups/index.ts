import { existsSync } from "node:fs";
import path from "node:path";
import { type BackupEntry, listBackups } from "@atende/control-plane";
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
    ["ID", "KIND", "STATUS", "SIZE", "CREATED", "VERIFIED", "COPIES"],
    backups.map((backup) => [
      backup.id,
      backup.kind,
      backup.status === "failed" ? `FAILED: ${backup.error?.message ?? ""}` : backup.status,
      formatBytes(backup.storedBytes),
      backup.createdAt.toISOString(),
      backup.verifiedAt
        ? `${backup.verifyStatus} ${backup.verifiedAt.toISOString()}`
        : "never (unverified)",
      copiesOf(backup),
    ]),
  );
}

/** Where the copies of a backup are: `local`, and the off-site copy with its state. */
function copiesOf(backup: BackupEntry): string {
  if (backup.status !== "succeeded") return "-";
  const remote = backup.remote;
  const offsite = !remote
    ? ""
    : remote.state === "uploaded"
      ? ` + ${remote.location}`
      : remote.state === "failed"
        ? ` + OFF-SITE COPY FAILED: ${remote.error ?? "unknown"}`
        : ` + ${remote.location} (uploading)`;
  // A local copy may have been lost or moved away; the off-site one still restores.
  const local = existsSync(path.join(backup.path, "manifest.json")) ? "local" : "LOCAL MISSING";
  return `${local}${offsite}`;
}
