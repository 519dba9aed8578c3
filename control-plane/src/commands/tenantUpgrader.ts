import type Docker from "dockerode";
import { verifyBackupFiles } from "../backups/backupFormat.js";
import type { ControlPlane } from "../controlPlane.js";
import { AtendeError, tenantNotFound, tenantNotReady } from "../errors.js";
import { imageReferences } from "../images/imageCatalog.js";
import {
  OperationJournal,
  type ProgressListener,
  type StepDefinition,
  stepsById,
} from "../operations/operationJournal.js";
import { acquireTenantLock } from "../operations/tenantLock.js";
import {
  assertDockerReachable,
  execInContainer,
  inspectContainer,
  isNotFound,
} from "../orchestration/dockerClient.js";
import { LABEL, names } from "../orchestration/labels.js";
import {
  buildTenantSetSpec,
  type ContainerSpec,
  type TenantSetSpec,
} from "../orchestration/specs/tenantSetSpec.js";
import {
  ensureContainer,
  removeContainer,
  startContainer,
} from "../orchestration/tenantResources.js";
import {
  containerProblem,
  demuxToText,
  readyUrlOf,
  waitForReady,
} from "../orchestration/waitForReady.js";
import { type TenantRecord, tenantSecrets } from "../store/tenantRepository.js";
import { loadTemplate } from "../templates/loadTemplate.js";
import { openTenantConfig } from "../tenantConfig/configKeys.js";
import { runBackup } from "./backupCreator.js";
import { checkRowCounts, importDatabase } from "./backupRestorer.js";
import { assertImagesPresent, validateTenantName } from "./preflight.js";
import {
  imagesAfterUpgrade,
  planServiceChanges,
  runRolling,
  type ServiceChange,
  validateReleaseVersion,
} from "./upgradePlan.js";

/** The steps of `tenant upgrade`, in order (the backup reports its own steps too). */
export const UPGRADE_STEPS = [
  { id: "check", title: "Check the tenant and the new images" },
  { id: "pre-backup", title: "Back up the tenant first" },
  { id: "migrate", title: "Run the migrations in a one-off container" },
  { id: "start-next", title: "Start the new app beside the old one and health-gate it" },
  { id: "data-services", title: "Upgrade the database and Redis containers" },
  { id: "switch", title: "Switch to the new app and wait until it is ready" },
  { id: "record", title: "Record the new version" },
] as const satisfies readonly StepDefinition[];

const step = stepsById(UPGRADE_STEPS);

export interface UpgradeTenantProps {
  name: string;
  /** The release to upgrade to: its images `<prefix>/{runtime,mariadb,redis}:<to>` must exist. */
  to: string;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

export interface UpgradedTenant {
  tenant: string;
  from: string;
  to: string;
  /** False when the tenant already ran `to` (nothing was done). */
  changed: boolean;
  backupId: string | null;
  /** Migration names the one-off container applied. */
  migrationsApplied: string[];
  /** Services whose containers were re-created with a new image. */
  recreated: string[];
  /** How long the app was not answering: from stopping the old app to the new one being ready. */
  switchMs: number | null;
  durationMs: number;
  operationId: string;
}

/** How long the health gate and the one-off migration may take. */
const MIGRATE_TIMEOUT_MS = 5 * 60_000;

/**
 * Upgrades one tenant to release `to`: a backup first, migrations in a one-off container of the
 * new image, the new app started beside the old one and health-gated, then a short switch. Any
 * failure rolls back automatically (old images; the database restored from the pre-upgrade
 * backup when a migration ran) and is reported as `upgrade_rolled_back`. The registry record
 * keeps the previous release until the very end, so it is what a rollback (or a re-run after a
 * killed CLI) goes back to.
 */
export async function upgradeTenant(
  cp: ControlPlane,
  props: UpgradeTenantProps,
): Promise<UpgradedTenant> {
  validateTenantName(props.name);
  validateReleaseVersion(props.to);
  const started = Date.now();
  const record = await cp.tenants.find(props.name);
  if (!record) throw tenantNotFound(props.name);
  const target = imageReferences(cp.config, props.to);
  const log = cp.logger.child({ component: "upgrade", tenant: props.name, to: props.to });

  const journal = await OperationJournal.begin(
    cp.store.db,
    props.name,
    "upgrade",
    props.onProgress,
  );
  let lock: Awaited<ReturnType<typeof acquireTenantLock>> | undefined;
  const progress: RollbackState = { migrated: false, backupDirectory: null };
  let context: UpgradeContext | "current" | undefined;
  try {
    lock = await acquireTenantLock(cp.store.db, props.name, journal.id, "upgrade");
    context = await journal.step(step("check"), () =>
      prepare(cp, record, target, props.to, journal.id),
    );
    if (context === "current") {
      for (const remaining of UPGRADE_STEPS.slice(1))
        await journal.step(remaining, async () => ({ skipped: `already at ${props.to}` }));
      await journal.finish();
      return {
        tenant: record.name,
        from: record.appVersion,
        to: props.to,
        changed: false,
        backupId: null,
        migrationsApplied: [],
        recreated: [],
        switchMs: null,
        durationMs: Date.now() - started,
        operationId: journal.id,
      };
    }
    const ctx = context;

    const backup = await journal.step(
      step("pre-backup"),
      () => runBackup(cp, journal, record, "pre-upgrade"),
      props.signal,
    );
    progress.backupDirectory = backup.path;

    const applied = await journal.step(
      step("migrate"),
      async () => {
        // Set before: a migration that fails half-way may have changed the schema too.
        progress.migrated = true;
        const names = await runMigrations(cp.docker, record.name, ctx.next.app);
        progress.migrated = names.length > 0;
        return names;
      },
      props.signal,
    );

    await journal.step(
      step("start-next"),
      () => startNextApp(cp, record.name, ctx.next.app),
      props.signal,
    );

    const recreated = ctx.changes.filter((change) => change.recreate && change.role !== "app");
    await journal.step(
      step("data-services"),
      async () => {
        if (recreated.length === 0) return { skipped: "same images: nothing to re-create" };
        for (const change of recreated) {
          const spec = containerOf(ctx.next.spec, change.role);
          await removeContainer(cp.docker, spec.name, { stopSeconds: 10 });
          await ensureContainer(cp.docker, record.name, spec);
          await startContainer(cp.docker, spec, record.hostPort);
        }
        return undefined;
      },
      props.signal,
    );

    const switchMs = await journal.step(
      step("switch"),
      async () => {
        await removeContainer(cp.docker, names.container(record.name, "app-next"));
        const app = ctx.next.app;
        const previous = names.container(record.name, "app-old");
        // The old app keeps serving under another name while the new one is created; only
        // stopping it and starting the new one (which takes over the port) is the switch.
        await cp.docker.getContainer(app.name).rename({ name: previous });
        await ensureContainer(cp.docker, record.name, app);
        const switchStarted = Date.now();
        const old = await inspectContainer(cp.docker, previous);
        if (old?.State.Running) await cp.docker.getContainer(previous).stop({ t: 10 });
        const stopped = Date.now();
        await startContainer(cp.docker, app, record.hostPort);
        const started = Date.now();
        await waitForReady(cp.docker, {
          tenant: record.name,
          readyUrl: readyUrlOf(record),
          containers: ctx.next.spec.containers,
          timeoutMs: cp.config.ATENDE_READY_TIMEOUT_SECONDS * 1000,
        });
        const switchMs = Date.now() - switchStarted;
        // Where a slow switch went: the old app's stop, Docker's start, the new app's boot.
        log.info(
          {
            stopMs: stopped - switchStarted,
            startMs: started - stopped,
            bootMs: Date.now() - started,
          },
          "switched to the new app",
        );
        await removeContainer(cp.docker, previous);
        return switchMs;
      },
      props.signal,
    );

    await journal.step(step("record"), () =>
      cp.tenants.setRelease(
        record.name,
        { appVersion: props.to, images: ctx.nextImages, templateVersion: ctx.templateVersion },
        journal.id,
      ),
    );
    await journal.finish();
    log.info({ from: record.appVersion, switchMs, applied }, "tenant upgraded");
    return {
      tenant: record.name,
      from: record.appVersion,
      to: props.to,
      changed: true,
      backupId: backup.id,
      migrationsApplied: applied,
      recreated: ctx.changes.filter((change) => change.recreate).map((change) => change.role),
      switchMs,
      durationMs: Date.now() - started,
      operationId: journal.id,
    };
  } catch (error) {
    let reported = error;
    if (context !== undefined && context !== "current") {
      reported = await rollBack(cp, record, context, progress, error, {
        to: props.to,
        operationId: journal.id,
        log,
      });
    }
    await journal.finish(reported).catch(() => undefined);
    throw reported;
  } finally {
    await lock?.release().catch(() => undefined);
  }
}

interface UpgradeContext {
  current: { spec: TenantSetSpec };
  next: { spec: TenantSetSpec; app: ContainerSpec };
  nextImages: Record<string, string>;
  changes: ServiceChange[];
  templateVersion: number;
}

interface RollbackState {
  migrated: boolean;
  backupDirectory: string | null;
}

async function prepare(
  cp: ControlPlane,
  record: TenantRecord,
  target: Record<string, string>,
  to: string,
  operationId: string,
): Promise<UpgradeContext | "current"> {
  if (record.status !== "ready") throw tenantNotReady(record.name, record.status, "upgrade");
  await assertDockerReachable(cp.docker);
  await assertImagesPresent(cp.docker, Object.values(target));
  const { template } = await loadTemplate(record.templateId, cp.config);
  const box = await cp.secretBox();
  const secrets = tenantSecrets.open(box, record);
  const config = openTenantConfig(box, record.name, record.config);
  const specFor = (images: Record<string, string>, appVersion: string) =>
    buildTenantSetSpec(template, {
      name: record.name,
      url: record.url,
      publishHost: record.publishHost,
      hostPort: record.hostPort,
      secrets,
      images,
      appVersion,
      operationId,
      config,
    });
  const current = specFor(record.images, record.appVersion);

  // An upgrade killed half-way (CLI killed) may have left the old app renamed aside, stopped or
  // gone: put it back and running first, so the tenant serves again, the backup can read the
  // media through it and a rollback has something to go back to.
  await removeContainer(cp.docker, names.container(record.name, "app-next"));
  await removeContainer(cp.docker, names.container(record.name, "migrate"));
  const oldApp = containerOf(current, "app");
  await restorePreviousApp(cp.docker, record.name);
  if (!(await inspectContainer(cp.docker, oldApp.name)))
    await ensureContainer(cp.docker, record.name, oldApp);
  await startContainer(cp.docker, oldApp, record.hostPort);

  const imageIds: Record<string, string | undefined> = {};
  for (const reference of new Set([...Object.values(record.images), ...Object.values(target)]))
    imageIds[reference] = await imageId(cp.docker, reference);
  const roles = Object.entries(template.services).map(([role, service]) => ({
    role,
    image: service.image,
  }));
  const changes = planServiceChanges(roles, record.images, target, imageIds);
  if (record.appVersion === to && changes.every((change) => !change.recreate)) return "current";
  const appImage = template.services.app?.image ?? "runtime";
  const nextImages = imagesAfterUpgrade(record.images, target, changes, appImage);
  const nextSpec = specFor(nextImages, to);
  return {
    current: { spec: current },
    next: { spec: nextSpec, app: containerOf(nextSpec, "app") },
    nextImages,
    changes,
    templateVersion: template.metadata.version,
  };
}

/**
 * Puts the tenant back on its previous release after a failed upgrade: the next app goes, the
 * database is restored from the pre-upgrade backup when a migration ran, and every container
 * is converged to the old spec (untouched ones stay as they are) until the inbox is ready.
 */
async function rollBack(
  cp: ControlPlane,
  record: TenantRecord,
  context: UpgradeContext,
  progress: RollbackState,
  error: unknown,
  options: { to: string; operationId: string; log: ControlPlane["logger"] },
): Promise<AtendeError> {
  const { to, log } = options;
  const detail = (error as Error).message;
  const from = record.appVersion;
  try {
    await removeContainer(cp.docker, names.container(record.name, "app-next"));
    await removeContainer(cp.docker, names.container(record.name, "migrate"));
    await restorePreviousApp(cp.docker, record.name);
    const spec = context.current.spec;
    if (progress.migrated && progress.backupDirectory) {
      // The old app must not write into a database being replaced.
      await removeContainer(cp.docker, containerOf(spec, "app").name);
      const db = containerOf(spec, "db");
      await ensureContainer(cp.docker, record.name, db);
      await startContainer(cp.docker, db, record.hostPort);
      await waitForDatabase(cp.docker, db.name);
      const backup = await verifyBackupFiles(progress.backupDirectory, await cp.secretBox());
      await importDatabase(cp, record.name, backup);
      await checkRowCounts(cp, record.name, backup.manifest.database);
    }
    for (const container of spec.containers) {
      await ensureContainer(cp.docker, record.name, container);
      await startContainer(cp.docker, container, record.hostPort);
    }
    await waitForReady(cp.docker, {
      tenant: record.name,
      readyUrl: readyUrlOf(record),
      containers: spec.containers,
      timeoutMs: cp.config.ATENDE_READY_TIMEOUT_SECONDS * 1000,
    });
    log.info({ err: error, from, to }, "upgrade failed; rolled back");
    return new AtendeError(
      "upgrade_rolled_back",
      `Upgrading "${record.name}" to ${to} failed: ${detail}. It rolled back to ${from}${progress.migrated ? " (database restored from the pre-upgrade backup)" : ""} and is serving again.`,
      {
        hint: `Fix the release (look at its logs above) and run the upgrade again; \`atende tenant show ${record.name}\` shows the version it runs.`,
        data: { name: record.name, from, to, databaseRestored: progress.migrated },
        cause: error,
      },
    );
  } catch (rollbackError) {
    log.error(
      { err: rollbackError, upgradeError: detail },
      "rollback after a failed upgrade failed",
    );
    await cp.tenants.setStatus(record.name, "failed", options.operationId).catch(() => undefined);
    return new AtendeError(
      "upgrade_failed",
      `Upgrading "${record.name}" to ${to} failed (${detail}) and the rollback to ${from} did not finish: ${(rollbackError as Error).message}.`,
      {
        hint: progress.backupDirectory
          ? `Restore the pre-upgrade backup: \`atende tenant restore ${record.name} --from ${progress.backupDirectory} --yes\`.`
          : `Look at \`atende tenant logs ${record.name}\`.`,
        data: { name: record.name, from, to },
        cause: rollbackError,
      },
    );
  }
}

/**
 * Runs `node /app/main.js migrate` in a one-off container of the new image on the tenant's
 * internal network, with the app's environment; returns the names of the migrations applied.
 */
async function runMigrations(
  docker: Docker,
  tenant: string,
  app: ContainerSpec,
): Promise<string[]> {
  const name = names.container(tenant, "migrate");
  await removeContainer(docker, name);
  const internal = names.internalNetwork(tenant);
  const container = await docker.createContainer({
    name,
    Image: app.options.Image,
    Cmd: ["node", "/app/main.js", "migrate"],
    Env: app.options.Env,
    Labels: { ...app.options.Labels, [LABEL.role]: "migrate" },
    HostConfig: {
      ...app.options.HostConfig,
      RestartPolicy: { Name: "no" },
      PortBindings: {},
      Mounts: [],
      NetworkMode: internal,
    },
    NetworkingConfig: { EndpointsConfig: { [internal]: {} } },
  });
  try {
    await container.start();
    const waited = (await Promise.race([
      container.wait(),
      new Promise((_, reject) =>
        setTimeout(
          () =>
            reject(
              new Error(`the migrations did not finish within ${MIGRATE_TIMEOUT_MS / 1000} s`),
            ),
          MIGRATE_TIMEOUT_MS,
        ).unref(),
      ),
    ])) as { StatusCode: number };
    const stdout = demuxToText(
      (await container.logs({ stdout: true, stderr: false })) as unknown as Buffer,
    );
    if (waited.StatusCode !== 0) {
      const stderr = demuxToText(
        (await container.logs({ stdout: false, stderr: true, tail: 8 })) as unknown as Buffer,
      );
      throw new AtendeError(
        "upgrade_failed",
        `the migrations exited with code ${waited.StatusCode}${stderr.trim() ? `: ${stderr.trim().slice(0, 500)}` : ""}`,
      );
    }
    const line = stdout.trim().split("\n").at(-1) ?? "";
    try {
      const parsed = JSON.parse(line) as { applied?: unknown };
      if (Array.isArray(parsed.applied)) return parsed.applied.map(String);
    } catch {
      // fall through
    }
    throw new AtendeError(
      "upgrade_failed",
      "the migrate command answered with something unexpected",
    );
  } finally {
    await removeContainer(docker, name).catch(() => undefined);
  }
}

/**
 * Starts the new app as `atende-<t>-app-next`: same networks, environment and media volume, no
 * published port, and waits until its own health check passes while the old app keeps serving.
 */
async function startNextApp(cp: ControlPlane, tenant: string, app: ContainerSpec): Promise<void> {
  const name = names.container(tenant, "app-next");
  await removeContainer(cp.docker, name);
  const { PortBindings: _ports, ...hostConfig } = app.options.HostConfig ?? {};
  const edge = names.edgeNetwork(tenant);
  await cp.docker.createContainer({
    ...app.options,
    name,
    Hostname: "app-next",
    Labels: { ...app.options.Labels, [LABEL.role]: "app-next" },
    HostConfig: { ...hostConfig, RestartPolicy: { Name: "no" }, NetworkMode: edge },
    NetworkingConfig: { EndpointsConfig: { [edge]: {} } },
  });
  await cp.docker
    .getNetwork(names.internalNetwork(tenant))
    .connect({ Container: name, EndpointConfig: { Aliases: [] } });
  await cp.docker.getContainer(name).start();
  const deadline = Date.now() + cp.config.ATENDE_READY_TIMEOUT_SECONDS * 1000;
  while (Date.now() < deadline) {
    const problem = await containerProblem(cp.docker, name);
    if (problem)
      throw new AtendeError(
        "upgrade_failed",
        `the new app container ${problem}${await lastLines(cp.docker, name)}`,
      );
    const probe = await execInContainer(cp.docker, name, ["node", "/app/healthcheck.js"], {
      timeoutMs: 10_000,
    }).catch(() => undefined);
    if (probe?.exitCode === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new AtendeError(
    "upgrade_failed",
    `the new app container did not pass its health check within ${cp.config.ATENDE_READY_TIMEOUT_SECONDS} s${await lastLines(cp.docker, name)}`,
  );
}

async function lastLines(docker: Docker, name: string): Promise<string> {
  try {
    const text = demuxToText(
      (await docker
        .getContainer(name)
        .logs({ stdout: true, stderr: true, tail: 6 })) as unknown as Buffer,
    ).trim();
    return text ? ` (its last log lines: ${text.slice(-600)})` : "";
  } catch {
    return "";
  }
}

/** Waits until MariaDB in the db container answers over its socket. */
async function waitForDatabase(docker: Docker, container: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const ping = await execInContainer(docker, container, [
      "mariadb-admin",
      "ping",
      "--silent",
    ]).catch(() => undefined);
    if (ping?.exitCode === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the database in ${container} did not answer within 120 s`);
}

/**
 * Puts the app renamed aside during a switch (`atende-<t>-app-old`, the last one known good)
 * back under its own name, replacing whatever new app took its place.
 */
async function restorePreviousApp(docker: Docker, tenant: string): Promise<void> {
  const previous = names.container(tenant, "app-old");
  if (!(await inspectContainer(docker, previous))) return;
  await removeContainer(docker, names.container(tenant, "app"));
  await docker.getContainer(previous).rename({ name: names.container(tenant, "app") });
}

async function imageId(docker: Docker, reference: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(reference).inspect()).Id;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

function containerOf(spec: TenantSetSpec, role: string): ContainerSpec {
  const container = spec.containers.find((candidate) => candidate.role === role);
  if (!container)
    throw new AtendeError("template_invalid", `The tenant's template has no ${role} service.`);
  return container;
}

export interface UpgradeAllProps {
  to: string;
  /** How many tenants upgrade at the same time (default 1). */
  concurrency?: number;
  /** Progress of each tenant's steps, with the tenant it belongs to. */
  onProgress?: (tenant: string, event: Parameters<ProgressListener>[0]) => void;
  signal?: AbortSignal;
}

export interface UpgradeAllResult {
  to: string;
  ok: boolean;
  tenants: Array<
    | { tenant: string; state: "upgraded"; from: string; to: string; switchMs: number | null }
    | { tenant: string; state: "skipped"; reason: string }
    | { tenant: string; state: "failed"; error: { id: string; message: string } }
    | { tenant: string; state: "not-started" }
  >;
}

/**
 * Rolling upgrade of every ready tenant, at most `concurrency` at a time, starting no new
 * tenant after the first failure (that one rolled back by itself).
 */
export async function upgradeAll(
  cp: ControlPlane,
  props: UpgradeAllProps,
): Promise<UpgradeAllResult> {
  validateReleaseVersion(props.to);
  await assertImagesPresent(cp.docker, Object.values(imageReferences(cp.config, props.to)));
  const tenants = await cp.tenants.list();
  const skipped: Array<{ tenant: string; reason: string }> = [];
  const eligible: string[] = [];
  for (const tenant of tenants) {
    if (tenant.status !== "ready")
      skipped.push({ tenant: tenant.name, reason: `status is ${tenant.status}` });
    else if (tenant.appVersion === props.to)
      skipped.push({ tenant: tenant.name, reason: `already at ${props.to}` });
    else eligible.push(tenant.name);
  }
  const outcomes = await runRolling(eligible, props.concurrency ?? 1, (tenant) =>
    upgradeTenant(cp, {
      name: tenant,
      to: props.to,
      ...(props.onProgress ? { onProgress: (event) => props.onProgress?.(tenant, event) } : {}),
      ...(props.signal ? { signal: props.signal } : {}),
    }),
  );
  const results: UpgradeAllResult["tenants"] = outcomes.map((outcome) => {
    if (outcome.error)
      return {
        tenant: outcome.item,
        state: "failed",
        error: {
          id: outcome.error instanceof AtendeError ? outcome.error.id : "internal_error",
          message: outcome.error.message,
        },
      };
    if (outcome.result)
      return outcome.result.changed
        ? {
            tenant: outcome.item,
            state: "upgraded",
            from: outcome.result.from,
            to: outcome.result.to,
            switchMs: outcome.result.switchMs,
          }
        : { tenant: outcome.item, state: "skipped", reason: `already at ${props.to}` };
    return { tenant: outcome.item, state: "not-started" };
  });
  for (const skip of skipped) results.push({ ...skip, state: "skipped" });
  results.sort((a, b) => a.tenant.localeCompare(b.tenant));
  return {
    to: props.to,
    ok: !results.some((result) => result.state === "failed"),
    tenants: results,
  };
}
