import { randomBytes } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import type Docker from "dockerode";
import { BackupCatalog, type BackupEntry, type BackupKind } from "../backups/backupCatalog.js";
import {
  BACKUP_FORMAT,
  BACKUP_PARTS,
  type BackupManifest,
  newBackupKey,
  writeManifest,
  writePart,
} from "../backups/backupFormat.js";
import { DumpRowCounter } from "../backups/dumpRowCounter.js";
import {
  DEFAULT_RETENTION,
  type RetentionPolicy,
  selectBackupsToPrune,
} from "../backups/retention.js";
import type { ControlPlane } from "../controlPlane.js";
import { AtendeError, backupFailed, tenantNotFound, tenantNotReady } from "../errors.js";
import {
  OperationJournal,
  type ProgressListener,
  type StepDefinition,
  stepsById,
} from "../operations/operationJournal.js";
import { acquireTenantLock } from "../operations/tenantLock.js";
import { execStreaming } from "../orchestration/containerStreams.js";
import { assertDockerReachable, inspectContainer } from "../orchestration/dockerClient.js";
import { names } from "../orchestration/labels.js";
import type { TenantRecord } from "../store/tenantRepository.js";
import { loadTemplate } from "../templates/loadTemplate.js";
import { ATENDE_VERSION } from "../version.js";
import { validateTenantName } from "./preflight.js";

/** The steps of `tenant backup`, in order: the CLI shows one line per step. */
export const BACKUP_STEPS = [
  { id: "prepare", title: "Check the tenant and reserve the backup" },
  { id: "database", title: "Dump the database (consistent snapshot, tenant keeps serving)" },
  { id: "media", title: "Archive the media volume" },
  { id: "config", title: "Save the configuration" },
  { id: "manifest", title: "Write the manifest" },
] as const satisfies readonly StepDefinition[];

const step = stepsById(BACKUP_STEPS);

/** Where a finished backup may also be copied (S3-compatible storage later; not built yet). */
export interface BackupTarget {
  name: string;
  upload(directory: string, manifest: BackupManifest): Promise<void>;
}

export interface BackupTenantProps {
  name: string;
  onProgress?: ProgressListener;
  /** Extra copies after the local one; none is implemented yet (ADR 0004). */
  targets?: BackupTarget[];
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
    const created = await runBackup(cp, journal, record, "manual", props.targets ?? []);
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
  targets: BackupTarget[] = [],
): Promise<CreatedBackup> {
  const started = Date.now();
  const catalog = new BackupCatalog(cp.store.db);
  const tenant = record.name;
  const id = newBackupId();
  const directory = path.join(backupsDirectory(cp, tenant), id);
  const log = cp.logger.child({ component: "backup", tenant, backupId: id });
  let registered = false;
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
      part: dbPart,
      tables,
      tool,
    } = await journal.step(step("database"), () =>
      dumpDatabase(cp.docker, tenant, dbName, { directory, key, backupId: id }),
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
      format: BACKUP_FORMAT,
      id,
      tenant,
      kind,
      createdAt,
      atendeVersion: ATENDE_VERSION,
      appVersion: record.appVersion,
      template: { id: template.metadata.id, version: template.metadata.version },
      tools: { dump: tool },
      database: { name: dbName, tables },
      encryption: { algorithm: "aes-256-gcm", compression: "brotli-1", sealedKey },
      parts: { db: dbPart, media: mediaPart, config: configPart },
    };
    const written = await journal.step(step("manifest"), async () => {
      const result = await writeManifest(directory, manifest, key);
      for (const target of targets) await target.upload(directory, result.manifest);
      return result;
    });
    const parts = [dbPart, mediaPart, configPart];
    const plainBytes = parts.reduce((sum, part) => sum + part.plainBytes, 0);
    const storedBytes = parts.reduce((sum, part) => sum + part.storedBytes, 0);
    await catalog.succeed(id, { plainBytes, storedBytes, manifestSha256: written.sha256 });
    log.info({ plainBytes, storedBytes, kind }, "backup written");
    return {
      id,
      tenant,
      kind,
      path: directory,
      createdAt,
      plainBytes,
      storedBytes,
      tables,
      durationMs: Date.now() - started,
      operationId: journal.id,
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
}

async function dumpDatabase(
  docker: Docker,
  tenant: string,
  dbName: string,
  options: { directory: string; key: Buffer; backupId: string },
): Promise<{
  part: BackupManifest["parts"]["db"];
  tables: Record<string, number>;
  tool: string;
}> {
  const container = names.container(tenant, "db");
  const version = new TextSink();
  await execStreaming(docker, container, ["mariadb-dump", "--version"], { stdout: version });
  const counter = new DumpRowCounter();
  // No password anywhere: the exec runs as OS user mysql, which is mysql@localhost over the
  // server's unix socket (docker/README.md).
  const [dump, part] = await Promise.all([
    execStreaming(
      docker,
      container,
      [
        "mariadb-dump",
        "--single-transaction",
        "--quick",
        "--routines",
        "--events",
        "--triggers",
        "--hex-blob",
        "--skip-dump-date",
        "--databases",
        dbName,
      ],
      { stdout: counter },
    ),
    writePart(counter, {
      file: path.join(options.directory, BACKUP_PARTS.db),
      key: options.key,
      backupId: options.backupId,
      part: "db",
    }),
  ]);
  if (dump.exitCode !== 0) {
    throw backupFailed(
      tenant,
      `mariadb-dump exited with code ${dump.exitCode}: ${dump.stderr.trim().slice(0, 500) || "no message"}`,
    );
  }
  if (counter.rows.size === 0)
    throw backupFailed(tenant, `the dump of database ${dbName} holds no tables (an empty backup)`);
  return {
    part,
    tables: Object.fromEntries([...counter.rows.entries()].sort(([a], [b]) => a.localeCompare(b))),
    tool: version.text.trim() || "mariadb-dump",
  };
}

/** Keeps a small command output as text. */
class TextSink extends Writable {
  readonly #chunks: Buffer[] = [];
  get text(): string {
    return Buffer.concat(this.#chunks).toString("utf8");
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.#chunks.push(chunk);
    done();
  }
}

function envOf(env: string[] | undefined, key: string): string | undefined {
  const entry = env?.find((line) => line.startsWith(`${key}=`));
  return entry?.slice(key.length + 1);
}

/** Prune a tenant's backups by the retention policy; returns the ids deleted. */
export async function pruneBackups(
  cp: ControlPlane,
  props: { name: string; policy?: RetentionPolicy },
): Promise<{ deleted: string[]; kept: number }> {
  validateTenantName(props.name);
  const catalog = new BackupCatalog(cp.store.db);
  const backups: BackupEntry[] = await catalog.list(props.name);
  const doomed = selectBackupsToPrune(backups, props.policy ?? DEFAULT_RETENTION);
  for (const id of doomed) {
    const entry = backups.find((backup) => backup.id === id) as BackupEntry;
    await rm(entry.path, { recursive: true, force: true });
    await catalog.remove(id);
  }
  return { deleted: doomed, kept: backups.length - doomed.length };
}

/** A tenant's backups from the catalogue, newest first. */
export async function listBackups(
  cp: ControlPlane,
  props: { name: string },
): Promise<BackupEntry[]> {
  validateTenantName(props.name);
  return new BackupCatalog(cp.store.db).list(props.name);
}
