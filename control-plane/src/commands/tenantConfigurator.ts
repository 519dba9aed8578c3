import type { ControlPlane } from "../controlPlane.js";
import { tenantNotFound, tenantNotReady } from "../errors.js";
import {
  OperationJournal,
  type ProgressListener,
  type StepDefinition,
  stepsById,
} from "../operations/operationJournal.js";
import { acquireTenantLock } from "../operations/tenantLock.js";
import { assertDockerReachable, inspectContainer } from "../orchestration/dockerClient.js";
import { LABEL } from "../orchestration/labels.js";
import { buildTenantSetSpec, type TenantSetSpec } from "../orchestration/specs/tenantSetSpec.js";
import { ensureContainer, startContainer } from "../orchestration/tenantResources.js";
import { readyUrlOf, waitForReady } from "../orchestration/waitForReady.js";
import { type TenantRecord, tenantSecrets } from "../store/tenantRepository.js";
import { loadTemplate } from "../templates/loadTemplate.js";
import {
  configKeyDefinition,
  openTenantConfig,
  presentConfig,
  type TenantConfig,
  updateStoredConfig,
  validateConfigValue,
} from "../tenantConfig/configKeys.js";
import { validateTenantName } from "./preflight.js";

/** The steps of `tenant config set|unset`, in order. */
export const CONFIGURE_STEPS = [
  { id: "save", title: "Record the setting (secrets encrypted)" },
  { id: "apply", title: "Re-create the containers whose configuration changed" },
  { id: "ready", title: "Wait until the inbox is ready" },
] as const satisfies readonly StepDefinition[];

const step = stepsById(CONFIGURE_STEPS);

/** One setting as shown to people: secrets masked (`••••last4`), unset ones `null`. */
export interface ConfigEntryView {
  key: string;
  value: string | null;
  secret: boolean;
  description: string;
}

/** `atende tenant config <name> get`: every setting (or one), secrets masked. */
export async function getTenantConfig(
  cp: ControlPlane,
  props: { name: string; key?: string },
): Promise<ConfigEntryView[]> {
  validateTenantName(props.name);
  if (props.key !== undefined) configKeyDefinition(props.key);
  const record = await cp.tenants.find(props.name);
  if (!record) throw tenantNotFound(props.name);
  const config = openTenantConfig(await cp.secretBox(), record.name, record.config);
  const entries = presentConfig(config);
  return props.key === undefined ? entries : entries.filter((entry) => entry.key === props.key);
}

export interface ConfigureTenantProps {
  name: string;
  key: string;
  /** The new value; `undefined` unsets the key (back to the template's default). */
  value: string | undefined;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

export interface ConfiguredTenant {
  tenant: string;
  key: string;
  /** False when the setting already had that value (nothing was re-created). */
  changed: boolean;
  /** Services whose containers were re-created with the new configuration. */
  recreated: string[];
  /** The setting as shown to people (masked when secret). */
  entry: ConfigEntryView;
  operationId: string;
}

/**
 * Sets or unsets one setting of a tenant: validated before anything, recorded (secrets sealed
 * with the master key) under the tenant lock, then applied by re-creating only the containers
 * whose spec changed and waiting until the inbox is ready. If applying fails, the previous
 * setting is put back and the containers converge to it again.
 */
export async function configureTenant(
  cp: ControlPlane,
  props: ConfigureTenantProps,
): Promise<ConfiguredTenant> {
  validateTenantName(props.name);
  configKeyDefinition(props.key);
  const value = props.value === undefined ? undefined : validateConfigValue(props.key, props.value);
  const found = await cp.tenants.find(props.name);
  if (!found) throw tenantNotFound(props.name);
  const log = cp.logger.child({ component: "configure", tenant: props.name, key: props.key });

  const journal = await OperationJournal.begin(
    cp.store.db,
    props.name,
    "configure",
    props.onProgress,
  );
  let lock: Awaited<ReturnType<typeof acquireTenantLock>> | undefined;
  let saved: { record: TenantRecord; previous: string | null } | undefined;
  try {
    lock = await acquireTenantLock(cp.store.db, props.name, journal.id, "configure");
    // Read again under the lock: another process may have changed it meanwhile.
    const record = (await cp.tenants.find(props.name)) ?? found;
    if (record.status !== "ready" && record.status !== "stopped")
      throw tenantNotReady(record.name, record.status, "configure");
    const box = await cp.secretBox();
    const update = updateStoredConfig(box, record.name, record.config, props.key, value);

    await journal.step(step("save"), async () => {
      if (!update.changed) return { skipped: "the setting already has that value" };
      await cp.tenants.setConfig(record.name, update.raw, journal.id);
      saved = { record, previous: record.config ?? null };
      return undefined;
    });
    const config = openTenantConfig(box, record.name, update.raw);
    const recreated = await journal.step(
      step("apply"),
      () => applyConfig(cp, record, config, journal.id, record.status === "ready"),
      props.signal,
    );
    await journal.step(step("ready"), async () => {
      if (record.status !== "ready") return { skipped: "the tenant is stopped: applies at start" };
      if (recreated.roles.length === 0) return { skipped: "nothing was re-created" };
      await waitUntilReady(cp, record, recreated.spec, props.signal);
      return undefined;
    });
    await journal.finish();
    log.info({ operationId: journal.id, recreated: recreated.roles }, "tenant configured");
    const entry = presentConfig(config).find((candidate) => candidate.key === props.key);
    return {
      tenant: record.name,
      key: props.key,
      changed: update.changed,
      recreated: recreated.roles,
      entry: entry as ConfigEntryView,
      operationId: journal.id,
    };
  } catch (error) {
    if (saved) await putBack(cp, saved, journal.id, log);
    await journal.finish(error).catch(() => undefined);
    throw error;
  } finally {
    await lock?.release().catch(() => undefined);
  }
}

/** The tenant's spec with `config`, as every operation builds it. */
async function specWith(
  cp: ControlPlane,
  record: TenantRecord,
  config: TenantConfig,
  operationId: string,
): Promise<TenantSetSpec> {
  const { template } = await loadTemplate(record.templateId, cp.config);
  return buildTenantSetSpec(template, {
    name: record.name,
    url: record.url,
    publishHost: record.publishHost,
    hostPort: record.hostPort,
    secrets: tenantSecrets.open(await cp.secretBox(), record),
    images: record.images,
    appVersion: record.appVersion,
    operationId,
    config,
  });
}

/**
 * Re-creates the containers whose spec hash no longer matches (gracefully stopped first, so
 * MariaDB flushes), leaving the others running; starts them again when the tenant runs.
 */
async function applyConfig(
  cp: ControlPlane,
  record: TenantRecord,
  config: TenantConfig,
  operationId: string,
  start: boolean,
): Promise<{ roles: string[]; spec: TenantSetSpec }> {
  await assertDockerReachable(cp.docker);
  const spec = await specWith(cp, record, config, operationId);
  const roles: string[] = [];
  for (const container of spec.containers) {
    const existing = await inspectContainer(cp.docker, container.name);
    const stale =
      !existing ||
      existing.Config.Labels[LABEL.specHash] !== container.options.Labels?.[LABEL.specHash];
    if (!stale) continue;
    if (existing?.State.Running) await cp.docker.getContainer(container.name).stop({ t: 10 });
    await ensureContainer(cp.docker, record.name, container);
    roles.push(container.role);
  }
  if (start)
    for (const container of spec.containers)
      await startContainer(cp.docker, container, record.hostPort);
  return { roles, spec };
}

async function waitUntilReady(
  cp: ControlPlane,
  record: TenantRecord,
  spec: TenantSetSpec,
  signal: AbortSignal | undefined,
): Promise<void> {
  await waitForReady(cp.docker, {
    tenant: record.name,
    readyUrl: readyUrlOf(record),
    containers: spec.containers,
    timeoutMs: cp.config.ATENDE_READY_TIMEOUT_SECONDS * 1000,
    ...(signal ? { signal } : {}),
  });
}

/** After a failed apply: the previous setting goes back and the containers converge to it. */
async function putBack(
  cp: ControlPlane,
  saved: { record: TenantRecord; previous: string | null },
  operationId: string,
  log: ControlPlane["logger"],
): Promise<void> {
  try {
    await cp.tenants.setConfig(saved.record.name, saved.previous, operationId);
    const config = openTenantConfig(await cp.secretBox(), saved.record.name, saved.previous);
    await applyConfig(cp, saved.record, config, operationId, saved.record.status === "ready");
  } catch (error) {
    log.error({ err: error, operationId }, "putting the previous setting back did not finish");
  }
}
