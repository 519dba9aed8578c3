import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { AtendeError } from "../errors.js";
import type { BackupCatalog, BackupEntry } from "./backupCatalog.js";
import {
  type BackupManifest,
  backupCorrupt,
  KNOWN_PART_FILES,
  MANIFEST_FILE,
} from "./backupFormat.js";
import { describeOffsiteError, type OffsiteStorage } from "./offsiteStorage.js";

/** The part files a backup may have (any format restore knows): a remote manifest names no other. */
const PART_FILES: readonly string[] = KNOWN_PART_FILES;

export const offsiteCopyFailed = (tenant: string, backupId: string, reason: string) =>
  new AtendeError(
    "offsite_copy_failed",
    `Backup ${backupId} of "${tenant}" was written locally, but its off-site copy failed: ${reason}.`,
    {
      hint: `The local backup is complete and restorable (\`atende tenant backups ${tenant}\`). Check the ATENDE_BACKUP_S3_* settings and the storage, then take a new backup.`,
      data: { tenant, backupId },
    },
  );

export const offsiteCopyUnavailable = (tenant: string, backupId: string, problem: string) =>
  new AtendeError(
    "backup_not_found",
    `Backup ${backupId} of "${tenant}" is not on this machine and ${problem}.`,
    {
      hint: "Nothing was changed. Configure the same ATENDE_BACKUP_S3_* settings the backup was made with, or pick another backup (`atende tenant backups <name>`).",
      data: { tenant, backupId },
    },
  );

/** Where a backup's copy lives in the storage, as the catalogue records it. */
export const remoteLocationOf = (storage: OffsiteStorage, tenant: string, backupId: string) =>
  `${storage.location.replace(/\/+$/, "")}/${tenant}/${backupId}/`;

/**
 * Uploads a finished backup: every part (checked against the manifest's size and sha256 once
 * stored), then the manifest, so a copy without a manifest is, as locally, an unfinished one.
 * The catalogue records the copy's state; a failure is recorded and thrown, the local backup
 * stays as it is.
 */
export async function uploadBackupCopy(
  storage: OffsiteStorage,
  catalog: BackupCatalog,
  backup: { tenant: string; id: string; directory: string; manifest: BackupManifest },
): Promise<{ location: string }> {
  const { tenant, id, directory, manifest } = backup;
  const location = remoteLocationOf(storage, tenant, id);
  await catalog.recordRemote(id, { location, state: "uploading" });
  try {
    for (const part of Object.values(manifest.parts)) {
      await storage.upload(storage.keyOf(tenant, id, part.file), path.join(directory, part.file), {
        sha256: part.sha256,
        bytes: part.storedBytes,
      });
    }
    const manifestFile = path.join(directory, MANIFEST_FILE);
    const text = await readFile(manifestFile);
    await storage.upload(storage.keyOf(tenant, id, MANIFEST_FILE), manifestFile, {
      sha256: createHash("sha256").update(text).digest("hex"),
      bytes: (await stat(manifestFile)).size,
    });
  } catch (error) {
    const reason = describeOffsiteError(error);
    await catalog.recordRemote(id, { location, state: "failed", error: reason });
    throw offsiteCopyFailed(tenant, id, `${location}: ${reason}`);
  }
  await catalog.recordRemote(id, { location, state: "uploaded" });
  return { location };
}

const remoteManifestSchema = z.object({
  id: z.string(),
  tenant: z.string(),
  parts: z.record(
    z.string(),
    z.object({
      file: z.string(),
      storedBytes: z.number().int().nonnegative(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
});

/**
 * Brings a backup back from its off-site copy into `entry.path` when the local copy is gone.
 * The manifest must have the sha256 the catalogue recorded, every part the sha256 and size of
 * the manifest; only then is the directory put in place (by rename), so a damaged or partial
 * download never looks like a backup. The caller still runs the full verification.
 */
export async function downloadBackupCopy(
  storage: OffsiteStorage | undefined,
  entry: BackupEntry,
): Promise<void> {
  if (entry.remote?.state !== "uploaded")
    throw offsiteCopyUnavailable(entry.tenant, entry.id, "it has no complete off-site copy");
  if (!storage)
    throw offsiteCopyUnavailable(
      entry.tenant,
      entry.id,
      `its off-site copy (${entry.remote.location}) cannot be read: no S3 storage is configured`,
    );
  assertSameStorage(storage, entry);
  const where = `${entry.remote.location} (off-site copy)`;
  const staging = `${entry.path}.download-${randomBytes(4).toString("hex")}`;
  await mkdir(staging, { recursive: true, mode: 0o700 });
  try {
    const got = await storage
      .download(
        storage.keyOf(entry.tenant, entry.id, MANIFEST_FILE),
        path.join(staging, MANIFEST_FILE),
      )
      .catch((error: unknown) => {
        throw offsiteCopyUnavailable(
          entry.tenant,
          entry.id,
          `its off-site copy cannot be read: ${describeOffsiteError(error)}`,
        );
      });
    if (entry.manifestSha256 !== null && got.sha256 !== entry.manifestSha256)
      throw backupCorrupt(where, "its manifest.json is not the one the catalogue recorded");
    let manifest: z.infer<typeof remoteManifestSchema>;
    try {
      manifest = remoteManifestSchema.parse(
        JSON.parse(await readFile(path.join(staging, MANIFEST_FILE), "utf8")),
      );
    } catch {
      throw backupCorrupt(where, "its manifest.json is not a valid atende backup manifest");
    }
    if (manifest.id !== entry.id || manifest.tenant !== entry.tenant)
      throw backupCorrupt(where, "its manifest.json belongs to another backup");
    for (const [name, part] of Object.entries(manifest.parts)) {
      // File names come from a remote document: only the known part names, never a path.
      if (!PART_FILES.includes(part.file))
        throw backupCorrupt(where, `its manifest names an unknown part file ${part.file}`);
      const arrived = await storage
        .download(storage.keyOf(entry.tenant, entry.id, part.file), path.join(staging, part.file))
        .catch((error: unknown) => {
          throw backupCorrupt(
            where,
            `the ${name} part ${part.file} cannot be downloaded (${describeOffsiteError(error)})`,
          );
        });
      if (arrived.bytes !== part.storedBytes)
        throw backupCorrupt(
          where,
          `the ${name} part ${part.file} has ${arrived.bytes} bytes, the manifest says ${part.storedBytes} (truncated or overwritten)`,
        );
      if (arrived.sha256 !== part.sha256)
        throw backupCorrupt(where, `the ${name} part ${part.file} fails its sha256 checksum`);
    }
    await rm(entry.path, { recursive: true, force: true });
    await mkdir(path.dirname(entry.path), { recursive: true, mode: 0o700 });
    await rename(staging, entry.path);
  } finally {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * Deletes a backup's off-site copy: the manifest first, so a half-deleted copy is never taken
 * for a backup, then whatever else is under the backup's prefix (parts of any format, leftovers
 * of a failed upload).
 */
export async function removeBackupCopy(
  storage: OffsiteStorage | undefined,
  entry: BackupEntry,
): Promise<void> {
  if (!entry.remote) return;
  if (!storage)
    throw new AtendeError(
      "offsite_copy_failed",
      `Backup ${entry.id} of "${entry.tenant}" has an off-site copy at ${entry.remote.location}, but no S3 storage is configured to delete it.`,
      {
        hint: "Configure the ATENDE_BACKUP_S3_* settings it was made with; the catalogue entry is kept until the copy is deleted.",
      },
    );
  assertSameStorage(storage, entry);
  await storage.remove([storage.keyOf(entry.tenant, entry.id, MANIFEST_FILE)]);
  const rest = await storage.list(`${storage.keyOf(entry.tenant, entry.id, "")}/`);
  if (rest.length > 0) await storage.remove(rest);
}

/** Object keys are derived from the configured prefix: it must still be the one the copy went to. */
function assertSameStorage(storage: OffsiteStorage, entry: BackupEntry): void {
  const location = entry.remote?.location ?? "";
  if (location !== remoteLocationOf(storage, entry.tenant, entry.id))
    throw offsiteCopyUnavailable(
      entry.tenant,
      entry.id,
      `its off-site copy is at ${location}, but the configured storage is ${storage.location}`,
    );
}
