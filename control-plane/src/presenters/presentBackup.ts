import type { BackupEntry } from "../backups/backupCatalog.js";
import type { BackupPayload } from "../contracts/api.js";

/** A backup as the API shows it: no path on the server, no checksum, no error details. */
export function presentBackup(entry: BackupEntry): BackupPayload {
  return {
    id: entry.id,
    kind: entry.kind,
    status: entry.status,
    storedBytes: entry.storedBytes,
    createdAt: entry.createdAt.toISOString(),
    finishedAt: entry.finishedAt?.toISOString() ?? null,
    errorId: entry.error?.id ?? null,
    verifyStatus: entry.verifyStatus,
    verifiedAt: entry.verifiedAt?.toISOString() ?? null,
    offsite: entry.remote
      ? { location: entry.remote.location, state: entry.remote.state, error: entry.remote.error }
      : null,
  };
}
