import { stat } from "node:fs/promises";
import path from "node:path";
import { type Readable, Writable } from "node:stream";
import { BackupCatalog } from "../backups/backupCatalog.js";
import {
  backupCorrupt,
  MANIFEST_FILE,
  readPart,
  readSmallPart,
  type VerifiedBackup,
  verifyBackupFiles,
} from "../backups/backupFormat.js";
import { downloadBackupCopy } from "../backups/offsiteCopy.js";
import { openOffsiteStorage } from "../backups/offsiteStorage.js";
import { restorePhysicalBackup } from "../backups/physicalBackup.js";
import type { ControlPlane } from "../controlPlane.js";
import {
  AtendeError,
  backupNotFound,
  invalidOption,
  tenantExists,
  tenantNotReady,
} from "../errors.js";
import { imageReferences } from "../images/imageCatalog.js";
import {
  OperationJournal,
  type ProgressListener,
  type StepDefinition,
  stepsById,
} from "../operations/operationJournal.js";
import { acquireTenantLock } from "../operations/tenantLock.js";
import { execStreaming } from "../orchestration/containerStreams.js";
import {
  assertDockerReachable,
  inspectContainer,
  isNotFound,
} from "../orchestration/dockerClient.js";
import { names } from "../orchestration/labels.js";
import { buildTenantSetSpec, type TenantSetSpec } from "../orchestration/specs/tenantSetSpec.js";
import {
  ensureContainer,
  ensureVolume,
  removeContainer,
  startContainer,
} from "../orchestration/tenantResources.js";
import { readyUrlOf, waitForReady } from "../orchestration/waitForReady.js";
import { generateSecret } from "../secrets/generateSecret.js";
import { type TenantRecord, tenantSecrets } from "../store/tenantRepository.js";
import { loadTemplate } from "../templates/loadTemplate.js";
import type { Template } from "../templates/templateSchema.js";
import { carryTenantConfig, openTenantConfig } from "../tenantConfig/configKeys.js";
import { ATENDE_VERSION } from "../version.js";
import { runBackup } from "./backupCreator.js";
import {
  allocateHostPort,
  assertDiskSpace,
  assertImagesPresent,
  validateTenantName,
} from "./preflight.js";
import { bringUpTenantSet, undoCreate } from "./tenantProvisioner.js";

/** The steps of `tenant restore`, in order (ids differ from the nested backup/create steps). */
export const RESTORE_STEPS = [
  { id: "verify", title: "Verify the backup (manifest, key, checksums)" },
  { id: "safety", title: "Take a safety backup of the current data" },
  { id: "provision", title: "Create the tenant's containers" },
  { id: "stop-app", title: "Stop the app and empty its media volume" },
  { id: "import-db", title: "Import the database" },
  { id: "row-counts", title: "Check row counts against the manifest" },
  { id: "import-media", title: "Restore the media" },
  { id: "start-app", title: "Start the app and wait until it is ready" },
] as const satisfies readonly StepDefinition[];

const step = stepsById(RESTORE_STEPS);

/**
 * Secrets the data depends on: data at rest in the database is encrypted with them, so a copy
 * keeps them; every other secret of a copy is generated afresh.
 */
const DATA_SECRETS = ["encryptionKey"];

export interface RestoreTenantProps {
  /** The tenant the backup belongs to. */
  name: string;
  /** A backup id from the catalogue, or the path of a backup directory. */
  from: string;
  /** Restore into this new tenant instead (an independent copy). */
  as?: string;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

export interface RestoredTenant {
  tenant: string;
  url: string;
  backupId: string;
  /** The backup taken of the data a restore in place replaced. */
  safetyBackupId: string | null;
  createdTenant: boolean;
  tables: Record<string, number>;
  durationMs: number;
  operationId: string;
}

interface BackupConfig {
  record: Omit<TenantRecord, "createdAt" | "updatedAt"> & { createdAt: string };
  template: Template;
}

/**
 * Restores a backup: in place over the tenant it came from (after a safety backup), or into a
 * new tenant (`as`, or the same name after a destroy). Every byte of the backup is checked
 * against its signed manifest before anything is touched (ADR 0004).
 */
export async function restoreTenant(
  cp: ControlPlane,
  props: RestoreTenantProps,
): Promise<RestoredTenant> {
  validateTenantName(props.name);
  if (props.as !== undefined) validateTenantName(props.as);
  const target = props.as ?? props.name;
  const started = Date.now();
  const directory = await locateBackup(cp, props.name, props.from);
  const log = cp.logger.child({ component: "restore", tenant: target });

  const journal = await OperationJournal.begin(cp.store.db, target, "restore", props.onProgress);
  let lock: Awaited<ReturnType<typeof acquireTenantLock>> | undefined;
  let createdRecord = false;
  let replacing = false;
  let safetyBackupId: string | null = null;
  try {
    const backup = await journal.step(step("verify"), async () => {
      const verified = await verifyBackupFiles(directory, await cp.secretBox());
      if (verified.manifest.tenant !== props.name) {
        throw invalidOption(
          `Backup ${verified.manifest.id} belongs to tenant "${verified.manifest.tenant}", not "${props.name}".`,
          `Run \`atende tenant restore ${verified.manifest.tenant} --from ${props.from}${props.as ? ` --as ${props.as}` : ""}\`.`,
        );
      }
      return verified;
    });
    lock = await acquireTenantLock(cp.store.db, target, journal.id, "restore");
    await assertDockerReachable(cp.docker);
    const config = JSON.parse(
      (
        await readSmallPart(directory, backup.manifest.parts.config, {
          key: backup.key,
          backupId: backup.manifest.id,
          name: "config",
        })
      ).toString("utf8"),
    ) as BackupConfig;
    const box = await cp.secretBox();
    let existing = await cp.tenants.find(target);
    if (existing && props.as !== undefined) throw tenantExists(target, existing.status);
    if (existing && !["ready", "stopped", "failed"].includes(existing.status))
      throw tenantNotReady(target, existing.status, "restore");

    await journal.step(step("safety"), async () => {
      if (!existing) return { skipped: "no current data to keep" };
      // A failed (or interrupted) restore left partial data; its own safety backup holds the
      // last good state.
      if (existing.status === "failed")
        return { skipped: "the tenant is in a failed state: nothing good to keep" };
      safetyBackupId = (await runBackup(cp, journal, existing, "safety")).id;
      return undefined;
    });

    let template: Template;
    let secrets: Record<string, string>;
    if (existing) {
      template = (await loadTemplate(existing.templateId, cp.config)).template;
      secrets = tenantSecrets.open(box, existing);
      await journal.step(step("provision"), async () => ({ skipped: "the tenant exists" }));
    } else {
      template = config.template;
      const original = tenantSecrets.open(box, {
        name: config.record.name,
        sealedSecrets: config.record.sealedSecrets,
      });
      secrets =
        target === config.record.name
          ? original
          : Object.fromEntries(
              Object.entries(template.secrets).map(([name, generator]) => [
                name,
                DATA_SECRETS.includes(name) && original[name] !== undefined
                  ? original[name]
                  : generateSecret(generator),
              ]),
            );
      existing = await journal.step(step("provision"), async () => {
        const record = await registerRestoredTenant(cp, target, config, secrets, journal.id);
        createdRecord = true;
        // A physical backup replaces the datadir with the db stopped: nothing to start yet.
        await bringUpTenantSet(cp, journal, {
          record,
          secrets,
          template,
          signal: props.signal,
          start: backup.manifest.format === 1,
        });
        return record;
      });
    }
    const record = existing;
    const spec = buildTenantSetSpec(template, {
      name: record.name,
      url: record.url,
      publishHost: record.publishHost,
      hostPort: record.hostPort,
      secrets,
      images: record.images,
      appVersion: record.appVersion,
      operationId: journal.id,
      config: openTenantConfig(box, record.name, record.config),
    });

    replacing = true;
    // Until the restore finishes the data is neither the old nor the new: an interrupted
    // restore leaves the tenant `failed`, and running the restore again converges.
    await cp.tenants.setStatus(record.name, "failed", journal.id);
    await journal.step(step("stop-app"), () => removeAppAndMedia(cp, spec), props.signal);
    await journal.step(
      step("import-db"),
      () => importDatabase(cp, record.name, backup),
      props.signal,
    );
    await journal.step(step("row-counts"), () =>
      checkRowCounts(cp, record.name, backup.manifest.database),
    );
    await journal.step(
      step("import-media"),
      () => importMedia(cp, record.name, spec, backup),
      props.signal,
    );
    await journal.step(
      step("start-app"),
      async () => {
        for (const container of spec.containers)
          await startContainer(cp.docker, container, record.hostPort);
        await waitForReady(cp.docker, {
          tenant: record.name,
          readyUrl: readyUrlOf(record),
          containers: spec.containers,
          timeoutMs: cp.config.ATENDE_READY_TIMEOUT_SECONDS * 1000,
          ...(props.signal ? { signal: props.signal } : {}),
        });
      },
      props.signal,
    );
    await cp.tenants.setStatus(record.name, "ready", journal.id);
    await journal.finish();
    log.info({ backupId: backup.manifest.id, safetyBackupId }, "tenant restored");
    return {
      tenant: record.name,
      url: record.url,
      backupId: backup.manifest.id,
      safetyBackupId,
      createdTenant: createdRecord,
      tables: backup.manifest.database.tables,
      durationMs: Date.now() - started,
      operationId: journal.id,
    };
  } catch (error) {
    let reported = error;
    if (createdRecord) {
      await undoCreate(cp, target, "new", journal.id, log);
    } else if (replacing) {
      await cp.tenants.setStatus(target, "failed", journal.id).catch(() => undefined);
      const detail = error instanceof AtendeError ? error.message : (error as Error).message;
      reported = new AtendeError(
        error instanceof AtendeError && error.id !== "internal_error" ? error.id : "restore_failed",
        `Restoring "${target}" failed half-way: ${detail}`,
        {
          hint: safetyBackupId
            ? `The data it replaced is in safety backup ${safetyBackupId}: \`atende tenant restore ${target} --from ${safetyBackupId}\`.`
            : `Run the restore again, or \`atende tenant logs ${target}\`.`,
          cause: error,
        },
      );
    }
    await journal.finish(reported).catch(() => undefined);
    throw reported;
  } finally {
    await lock?.release().catch(() => undefined);
  }
}

/** The directory of a backup named by catalogue id or by path. */
async function locateBackup(cp: ControlPlane, tenant: string, from: string): Promise<string> {
  if (from.includes("/") || from.startsWith(".")) return path.resolve(from);
  const entry = await new BackupCatalog(cp.store.db).find(from);
  if (!entry || entry.tenant !== tenant) throw backupNotFound(tenant, from);
  if (entry.status !== "succeeded")
    throw backupCorrupt(
      entry.path,
      `it is recorded as ${entry.status}${entry.error ? ` (${entry.error.message})` : ""}`,
    );
  // --- Off-site copy (ADR 0006): when the local copy is gone, bring it back first; its
  // checksums are checked on the way and the full verification below runs as for any backup.
  const local = await stat(path.join(entry.path, MANIFEST_FILE)).then(
    () => true,
    () => false,
  );
  if (!local && entry.remote) {
    cp.logger.warn(
      { component: "restore", tenant, backupId: entry.id, from: entry.remote.location },
      "local copy missing: downloading the off-site copy",
    );
    await downloadBackupCopy(await openOffsiteStorage(cp.config), entry);
  }
  return entry.path;
}

async function registerRestoredTenant(
  cp: ControlPlane,
  name: string,
  config: BackupConfig,
  secrets: Record<string, string>,
  operationId: string,
): Promise<TenantRecord> {
  const images = imageReferences(cp.config, ATENDE_VERSION);
  await assertImagesPresent(cp.docker, Object.values(images));
  await assertDiskSpace(cp.docker, cp.config);
  const used = new Map((await cp.tenants.list()).map((tenant) => [tenant.hostPort, tenant.name]));
  // The same tenant coming back keeps its port when it is free.
  const hostPort =
    name === config.record.name
      ? await allocateHostPort(cp.config, used, config.record.hostPort).catch(() =>
          allocateHostPort(cp.config, used),
        )
      : await allocateHostPort(cp.config, used);
  const displayHost =
    cp.config.ATENDE_PUBLISH_HOST === "0.0.0.0" ? "127.0.0.1" : cp.config.ATENDE_PUBLISH_HOST;
  const record: Omit<TenantRecord, "createdAt" | "updatedAt"> = {
    name,
    status: "creating",
    templateId: config.template.metadata.id,
    templateVersion: config.template.metadata.version,
    appVersion: ATENDE_VERSION,
    images,
    publishHost: cp.config.ATENDE_PUBLISH_HOST,
    hostPort,
    url: `http://${displayHost}:${hostPort}`,
    adminEmail: config.record.adminEmail,
    sealedSecrets: tenantSecrets.seal(await cp.secretBox(), name, secrets),
    config: carryTenantConfig(await cp.secretBox(), config.record.name, name, config.record.config),
    lastOperationId: operationId,
  };
  await cp.tenants.insert(record);
  return { ...record, createdAt: new Date(), updatedAt: new Date() };
}

/** Stops and removes the app container and removes the volumes only it mounts (media). */
async function removeAppAndMedia(cp: ControlPlane, spec: TenantSetSpec) {
  await removeContainer(cp.docker, appSpec(spec).name, { stopSeconds: 15 });
  for (const volume of appVolumes(spec)) {
    try {
      await cp.docker.getVolume(volume).remove();
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}

/**
 * Replaces the tenant's database with the backup's: a physical backup (format 2) replaces the
 * whole datadir while the db container is stopped and starts it again, health-gated; a logical
 * dump (format 1) is imported into the running server. Either way the db container is running
 * and ready afterwards.
 */
export async function importDatabase(cp: ControlPlane, tenant: string, backup: VerifiedBackup) {
  const container = names.container(tenant, "db");
  const db = await inspectContainer(cp.docker, container);
  if (!db) throw restoreFailed(tenant, "its database container does not exist");
  const dbName = backup.manifest.database.name;
  const current = db.Config.Env?.find((line) => line.startsWith("DB_NAME="))?.slice(8);
  if (current !== undefined && current !== dbName) {
    throw invalidOption(
      `The backup holds database "${dbName}" but tenant "${tenant}" uses "${current}".`,
      "Restore into a tenant made from the same template.",
    );
  }
  if (backup.manifest.format === 2) {
    const input = readPart(backup.directory, backup.manifest.parts.db, {
      key: backup.key,
      backupId: backup.manifest.id,
      name: "db",
      compressed: true,
    });
    try {
      const timings = await restorePhysicalBackup(cp.docker, container, input, {
        timeoutMs: cp.config.ATENDE_READY_TIMEOUT_SECONDS * 1000,
      });
      cp.logger.info(
        { component: "restore", tenant, backupId: backup.manifest.id, ...timings },
        "database restored from a physical backup",
      );
    } catch (error) {
      throw restoreFailed(tenant, (error as Error).message);
    }
    return;
  }
  if (!db.State.Running)
    throw restoreFailed(tenant, "its database container is not running (start the tenant first)");
  const drop = await execStreaming(cp.docker, container, [
    "mariadb",
    "-e",
    `DROP DATABASE IF EXISTS \`${dbName}\``,
  ]);
  if (drop.exitCode !== 0)
    throw restoreFailed(tenant, `dropping the old database failed: ${drop.stderr.trim()}`);
  const input: Readable = readPart(backup.directory, backup.manifest.parts.db, {
    key: backup.key,
    backupId: backup.manifest.id,
    name: "db",
  });
  // As OS user mysql over the socket: no password anywhere (docker/README.md).
  const result = await execStreaming(cp.docker, container, ["mariadb", "--max-allowed-packet=1G"], {
    stdin: input,
  });
  if (result.exitCode !== 0) {
    throw restoreFailed(
      tenant,
      `the import exited with code ${result.exitCode}: ${result.stderr.trim().slice(0, 500)}`,
    );
  }
}

/** Counts the restored rows and compares them with the manifest, table by table. */
export async function countRows(
  cp: ControlPlane,
  tenant: string,
  dbName: string,
  tables: string[],
): Promise<Record<string, number>> {
  if (tables.length === 0) return {};
  const query = tables
    .map(
      (table) =>
        `SELECT '${table.replace(/'/g, "''")}', COUNT(*) FROM \`${dbName}\`.\`${table.replace(/`/g, "``")}\``,
    )
    .join(" UNION ALL ");
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  const result = await execStreaming(
    cp.docker,
    names.container(tenant, "db"),
    ["mariadb", "--batch", "--skip-column-names", "-e", query],
    { stdout: sink },
  );
  if (result.exitCode !== 0)
    throw restoreFailed(tenant, `counting rows failed: ${result.stderr.trim().slice(0, 500)}`);
  const counts: Record<string, number> = {};
  for (const line of Buffer.concat(chunks).toString("utf8").split("\n")) {
    const [table, count] = line.split("\t");
    if (table && count !== undefined) counts[table] = Number(count);
  }
  return counts;
}

export async function checkRowCounts(
  cp: ControlPlane,
  tenant: string,
  database: { name: string; tables: Record<string, number> },
) {
  const expected = database.tables;
  const actual = await countRows(cp, tenant, database.name, Object.keys(expected));
  const mismatches = Object.entries(expected)
    .filter(([table, count]) => actual[table] !== count)
    .map(([table, count]) => `${table}: ${actual[table] ?? "missing"} (expected ${count})`);
  if (mismatches.length > 0)
    throw restoreFailed(tenant, `row counts differ from the manifest: ${mismatches.join(", ")}`);
}

async function importMedia(
  cp: ControlPlane,
  tenant: string,
  spec: TenantSetSpec,
  backup: VerifiedBackup,
) {
  const app = appSpec(spec);
  for (const volume of spec.volumes.filter((candidate) =>
    appVolumes(spec).includes(candidate.name),
  ))
    await ensureVolume(cp.docker, tenant, volume);
  await ensureContainer(cp.docker, tenant, app);
  // Into the created (not yet started) container: the archive holds `media/…`.
  const archive = readPart(backup.directory, backup.manifest.parts.media, {
    key: backup.key,
    backupId: backup.manifest.id,
    name: "media",
  });
  await cp.docker.getContainer(app.name).putArchive(archive, { path: "/app" });
}

function appSpec(spec: TenantSetSpec) {
  const app = spec.containers.find((container) => container.role === "app");
  if (!app) throw new AtendeError("template_invalid", "The tenant's template has no app service.");
  return app;
}

function appVolumes(spec: TenantSetSpec): string[] {
  return (appSpec(spec).options.HostConfig?.Mounts ?? [])
    .filter((mount) => mount.Type === "volume" && mount.Source !== undefined)
    .map((mount) => mount.Source as string);
}

const restoreFailed = (tenant: string, detail: string) =>
  new AtendeError("restore_failed", `Restoring "${tenant}" failed: ${detail}.`, {
    hint: `Look at \`atende tenant logs ${tenant} --service db\`.`,
  });
