import { randomBytes } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import type Docker from "dockerode";
import { BackupCatalog, type BackupEntry, type BackupKind } from "../backups/backupCatalog.js";
import {
  BACKUP_PARTS,
  type BackupManifest,
  LEGACY_DB_PART,
  newBackupKey,
  writeManifest,
  writePart,
} from "../backups/backupFormat.js";
import { streamLogicalDump } from "../backups/logicalDump.js";
import { removeBackupCopy, uploadBackupCopy } from "../backups/offsiteCopy.js";
import { describeOffsiteError, openOffsiteStorage } from "../backups/offsiteStorage.js";
import { canBackUpPhysically, streamPhysicalBackup } from "../backups/physicalBackup.js";
import { type RetentionPolicy, selectBackupsToPrune } from "../backups/retention.js";
import type { ControlPlane } from "../controlPlane.js";
import { AtendeError, backupFailed, tenantNotFound, tenantNotReady } from "../errors.js";
import {
  OperationJournal,
  type ProgressListener,
  type StepDefinition,
  stepsById,
} from "../operations/operationJournal.js";
import { acquireTenantLock } from "../operations/tenantLock.js";
import { assertDockerReachable, inspectContainer } from "../orchestration/dockerClient.js";
import { names } from "../orchestration/labels.js";
import type { TenantRecord } from "../store/tenantRepository.js";
import { loadTemplate } from "../templates/loadTemplate.js";
import { ATENDE_VERSION } from "../version.js";
import { validateTenantName } from "./preflight.js";

/** The steps of `tenant backup`, in order: the CLI shows one line per step. */
export const BACKUP_STEPS = [
  { id: "prepare", title: "Check the tenant and reserve the backup" },
  {
    id: "database",
    title: "Copy the database (physical hot backup, tenant keeps serving)",
  },
  { id: "media", title: "Archive the media volume" },
  { id: "config", title: "Save the configuration" },
  { id: "manifest", title: "Write the manifest" },
  { id: "offsite", title: "Copy to off-site storage (S3-compatible)" },
] as const satisfies readonly StepDefinition[];

const step = stepsById(BACKUP_STEPS);

export interface BackupTenantProps {
  name: string;
  onProgress?: ProgressListener;
  /** `scheduled` for the daily schedule; `manual` otherwise. */
  kind?: Extract<BackupKind, "manual" | "scheduled">;
}

/** What a finished backup is, for the CLI and the API. */
export interface CreatedBackup {
  id: string;
  tenant: string;
  kind: BackupKind;
  path: string;
  createdAt: string;
  plainBytes: number;
  storedBytes: number;
  tables: Record<string, number>;
  durationMs: number;
  operationId: string;
  /** Where the off-site copy went, or null when off-site storage is not configured. */
  offsite: string | null;
}

/**
 * Backs up a running tenant without stopping it: a consistent database dump, the media volume
 * and the configuration, compressed, encrypted and checksummed, with the manifest written last
 * (ADR 0004). A failure is recorded as a failed backup and thrown; nothing half-written stays.
 */
export async function backupTenant(
  cp: ControlPlane,
  props: BackupTenantProps,
): Promise<CreatedBackup> {
  validateTenantName(props.name);
  const record = await cp.tenants.find(props.name);
  if (!record) throw tenantNotFound(props.name);
  const journal = await OperationJournal.begin(cp.store.db, props.name, "backup", props.onProgress);
  const lock = await acquireTenantLock(cp.store.db, props.name, journal.id, "backup").catch(
    async (error: unknown) => {
      await journal.finish(error);
      throw error;
    },
  );
  try {
    const created = await runBackup(cp, journal, record, props.kind ?? "manual");
    await journal.finish();
    return created;
  } catch (error) {
    await journal.finish(error).catch(() => undefined);
    throw error;
  } finally {
    await lock.release().catch(() => undefined);
  }
}

/** A sortable, unique backup id: `20261127T211700Z-3fa9c1`. */
export function newBackupId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `${stamp}-${randomBytes(3).toString("hex")}`;
}

export function backupsDirectory(cp: ControlPlane, tenant: string): string {
  return path.join(cp.config.ATENDE_HOME, "backups", tenant);
}

/**
 * The backup itself, under a journal and lock the caller holds (restore takes a safety backup
 * inside its own operation).
 */
export async function runBackup(
  cp: ControlPlane,
  journal: OperationJournal,
  record: TenantRecord,
  kind: BackupKind,
): Promise<CreatedBackup> {
  const started = Date.now();
  const catalog = new BackupCatalog(cp.store.db);
  const tenant = record.name;
  const id = newBackupId();
  const directory = path.join(backupsDirectory(cp, tenant), id);
  const log = cp.logger.child({ component: "backup", tenant, backupId: id });
  let registered = false;
  let local: (CreatedBackup & { manifest: BackupManifest }) | undefined;
  try {
    const context = await journal.step(step("prepare"), async () => {
      if (record.status !== "ready" && record.status !== "stopped")
        throw tenantNotReady(tenant, record.status, "back up");
      await assertDockerReachable(cp.docker);
      // We hold the tenant lock: a backup still "running" was interrupted (killed CLI).
      for (const stale of (await catalog.list(tenant)).filter((b) => b.status === "running")) {
        await catalog.fail(stale.id, {
          id: "interrupted",
          message: "interrupted before it finished",
        });
        await rm(stale.path, { recursive: true, force: true });
      }
      const db = await inspectContainer(cp.docker, names.container(tenant, "db"));
      if (!db?.State.Running) {
        throw new AtendeError(
          "tenant_not_ready",
          `Cannot back up "${tenant}": its database container is not running.`,
          {
            hint: `Start the tenant with \`atende tenant start ${tenant}\` and run the backup again.`,
          },
        );
      }
      const dbName = envOf(db.Config.Env, "DB_NAME") ?? "atende";
      const { template } = await loadTemplate(record.templateId, cp.config);
      await mkdir(directory, { recursive: true, mode: 0o700 });
      await catalog.start({ id, tenant, kind, path: directory, operationId: journal.id });
      registered = true;
      const box = await cp.secretBox();
      return { dbName, template, ...newBackupKey(box, tenant, id) };
    });
    const { key, sealedKey, dbName, template } = context;

    const {
      format,
      part: dbPart,
      tables,
      tool,
    } = await journal.step(step("database"), () =>
      dumpDatabase(cp.docker, tenant, dbName, { directory, key, backupId: id, log }),
    );
    const mediaPart = await journal.step(step("media"), async () => {
      const archive = (await cp.docker
        .getContainer(names.container(tenant, "app"))
        .getArchive({ path: "/app/media" })) as unknown as Readable;
      return writePart(archive, {
        file: path.join(directory, BACKUP_PARTS.media),
        key,
        backupId: id,
        part: "media",
      });
    });
    const configPart = await journal.step(step("config"), () =>
      writePart(
        Readable.from([
          Buffer.from(
            JSON.stringify({
              record: { ...record, createdAt: record.createdAt.toISOString() },
              template,
            }),
          ),
        ]),
        { file: path.join(directory, BACKUP_PARTS.config), key, backupId: id, part: "config" },
      ),
    );

    const createdAt = new Date(started).toISOString();
    const manifest: Omit<BackupManifest, "hmac"> = {
      format,
      id,
      tenant,
      kind,
      createdAt,
      atendeVersion: ATENDE_VERSION,
      appVersion: record.appVersion,
      template: { id: template.metadata.id, version: template.metadata.version },
      ...(format === 2
        ? {
            tools: { backup: tool },
            database: { name: dbName, tables, method: "mariadb-backup", compression: "zstd-1" },
          }
        : { tools: { dump: tool }, database: { name: dbName, tables } }),
      encryption: { algorithm: "aes-256-gcm", compression: "brotli-1", sealedKey },
      parts: { db: dbPart, media: mediaPart, config: configPart },
    };
    const written = await journal.step(step("manifest"), () =>
      writeManifest(directory, manifest, key),
    );
    const parts = [dbPart, mediaPart, configPart];
    const plainBytes = parts.reduce((sum, part) => sum + part.plainBytes, 0);
    const storedBytes = parts.reduce((sum, part) => sum + part.storedBytes, 0);
    await catalog.succeed(id, { plainBytes, storedBytes, manifestSha256: written.sha256 });
    log.info({ plainBytes, storedBytes, kind }, "backup written");
    local = {
      id,
      tenant,
      kind,
      path: directory,
      createdAt,
      plainBytes,
      storedBytes,
      tables,
      durationMs: 0,
      operationId: journal.id,
      offsite: null,
      manifest: written.manifest,
    };
  } catch (error) {
    await rm(directory, { recursive: true, force: true }).catch(() => undefined);
    const reported =
      error instanceof AtendeError ? error : backupFailed(tenant, (error as Error).message, error);
    if (registered) {
      await catalog
        .fail(id, { id: reported.id, message: reported.message })
        .catch((catalogError: unknown) =>
          log.error({ err: catalogError }, "could not record the failed backup"),
        );
    }
    throw reported;
  }

  // --- Off-site copy (ADR 0006): after the local backup is complete and catalogued. ---
  // A failed upload is recorded and, for the backups people ask for (manual, scheduled), thrown;
  // the local backup stays good either way. Safety and pre-upgrade backups only record it, so
  // a storage outage never blocks a restore or an upgrade.
  const { manifest: signed, ...created } = local;
  const offsite = await journal
    .step(step("offsite"), async () => {
      const storage = await openOffsiteStorage(cp.config);
      if (!storage) return { skipped: "no off-site storage configured" };
      return uploadBackupCopy(storage, catalog, { tenant, id, directory, manifest: signed });
    })
    .catch((error: unknown) => {
      log.error({ err: error, kind }, "off-site copy of the backup failed");
      if (kind === "manual" || kind === "scheduled") throw error;
      return undefined;
    });
  return {
    ...created,
    offsite: offsite && "location" in offsite ? offsite.location : null,
    durationMs: Date.now() - started,
  };
}

/**
 * The database part: a physical hot backup (`mariadb-backup`, zstd in the container) streamed
 * through encryption into the backup directory, with row counts of the same instant
 * (backups/physicalBackup.ts, format 2). A db container whose image predates mariadb-backup
 * (created before the images were rebuilt) gets the format-1 logical dump instead, so its
 * backups, and the backup that starts an upgrade, keep working (ADR 0004).
 */
async function dumpDatabase(
  docker: Docker,
  tenant: string,
  dbName: string,
  options: {
    directory: string;
    key: Buffer;
    backupId: string;
    log: ControlPlane["logger"];
  },
): Promise<{
  format: 1 | 2;
  part: BackupManifest["parts"]["db"];
  tables: Record<string, number>;
  tool: string;
}> {
  const container = names.container(tenant, "db");
  const physical = await canBackUpPhysically(docker, container);
  if (!physical)
    options.log.warn(
      { container },
      "the db image has no mariadb-backup: falling back to a logical dump (format 1); rebuild the images and recreate the tenant's db container for fast physical backups",
    );
  const stream = new PassThrough({ highWaterMark: 1024 * 1024 });
  const [copied, part] = await Promise.all([
    (physical
      ? streamPhysicalBackup(docker, container, dbName, stream)
      : streamLogicalDump(docker, container, dbName, stream)
    ).catch((error: unknown) => {
      stream.destroy(error as Error);
      throw backupFailed(tenant, (error as Error).message, error);
    }),
    writePart(stream, {
      file: path.join(options.directory, physical ? BACKUP_PARTS.db : LEGACY_DB_PART),
      key: options.key,
      backupId: options.backupId,
      part: "db",
      compressed: physical,
    }),
  ]);
  const timings = (copied as { timings?: Record<string, number> }).timings;
  if (timings)
    options.log.info(
      { ...timings, storedBytes: part.storedBytes },
      "database copied (physical hot backup)",
    );
  if (Object.keys(copied.tables).length === 0)
    throw backupFailed(tenant, `the database ${dbName} holds no tables (an empty backup)`);
  return { format: physical ? 2 : 1, part, tables: copied.tables, tool: copied.tool };
}

function envOf(env: string[] | undefined, key: string): string | undefined {
  const entry = env?.find((line) => line.startsWith(`${key}=`));
  return entry?.slice(key.length + 1);
}

/** The retention policy of the control plane's settings (ATENDE_BACKUP_KEEP_*). */
export function retentionPolicyOf(config: ControlPlane["config"]): RetentionPolicy {
  return {
    daily: config.ATENDE_BACKUP_KEEP_DAILY,
    weekly: config.ATENDE_BACKUP_KEEP_WEEKLY,
    monthly: config.ATENDE_BACKUP_KEEP_MONTHLY,
  };
}

/**
 * Prune a tenant's backups by the retention policy (the settings' by default); returns the
 * ids deleted. The off-site copy goes first: when it cannot be deleted, the catalogue entry
 * stays (so the next prune tries again) and the problem is thrown after the others are done.
 */
export async function pruneBackups(
  cp: ControlPlane,
  props: { name: string; policy?: RetentionPolicy },
): Promise<{ deleted: string[]; kept: number }> {
  validateTenantName(props.name);
  const catalog = new BackupCatalog(cp.store.db);
  const backups: BackupEntry[] = await catalog.list(props.name);
  const doomed = selectBackupsToPrune(backups, props.policy ?? retentionPolicyOf(cp.config));
  const storage = doomed.some((id) => backups.find((backup) => backup.id === id)?.remote)
    ? await openOffsiteStorage(cp.config)
    : undefined;
  const deleted: string[] = [];
  const problems: string[] = [];
  for (const id of doomed) {
    const entry = backups.find((backup) => backup.id === id) as BackupEntry;
    try {
      await removeBackupCopy(storage, entry);
    } catch (error) {
      const reason = error instanceof AtendeError ? error.message : describeOffsiteError(error);
      cp.logger.error(
        { component: "backup", tenant: props.name, backupId: id, reason },
        "could not delete the off-site copy of a pruned backup",
      );
      problems.push(`${id}: ${reason}`);
      continue;
    }
    await rm(entry.path, { recursive: true, force: true });
    await catalog.remove(id);
    deleted.push(id);
  }
  if (problems.length > 0)
    throw new AtendeError(
      "offsite_copy_failed",
      `Retention deleted ${deleted.length} backup(s) of "${props.name}" but could not delete the off-site copy of ${problems.length}: ${problems.join("; ")}.`,
      {
        hint: "Their catalogue entries are kept, so the next prune tries again. Check the ATENDE_BACKUP_S3_* settings and the storage.",
      },
    );
  return { deleted, kept: backups.length - deleted.length };
}

/** A tenant's backups from the catalogue, newest first. */
export async function listBackups(
  cp: ControlPlane,
  props: { name: string },
): Promise<BackupEntry[]> {
  validateTenantName(props.name);
  return new BackupCatalog(cp.store.db).list(props.name);
}
