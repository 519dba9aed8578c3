import type { ControlPlane } from "../controlPlane.js";
import { AtendeError, invalidOption, tenantNotFound, tenantNotReady } from "../errors.js";
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
} from "../orchestration/dockerClient.js";
import { LABEL, names } from "../orchestration/labels.js";
import { buildTenantSetSpec, type TenantSetSpec } from "../orchestration/specs/tenantSetSpec.js";
import { ensureContainer, startContainer } from "../orchestration/tenantResources.js";
import { readyUrlOf, waitForReady } from "../orchestration/waitForReady.js";
import { type TenantRecord, tenantSecrets } from "../store/tenantRepository.js";
import { loadTemplate } from "../templates/loadTemplate.js";
import {
  CONFIG_KEYS,
  configKeyDefinition,
  domainOf,
  openTenantConfig,
  presentConfig,
  runtimeConfigKeys,
  runtimeFieldOf,
  type TenantConfig,
  updateStoredConfig,
  validateConfigValue,
  WHATSAPP_FIELDS,
  type WhatsappField,
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
  /**
   * `registry`: kept by the control plane, applied to the containers' configuration; `tenant`:
   * kept in the tenant's own database (WhatsApp), read and written through the running app.
   */
  storedIn: "registry" | "tenant";
  /** Why the value could not be read (e.g. the tenant is stopped), when it could not. */
  unavailable?: string;
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
  const wanted = (key: string) => props.key === undefined || props.key === key;
  let runtime: Partial<Record<WhatsappField, string | null>> | undefined;
  let unavailable: string | undefined;
  if (runtimeConfigKeys().some(wanted)) {
    if (record.status !== "ready")
      unavailable = `"${record.name}" is ${record.status}: they are read from the running tenant.`;
    else
      try {
        runtime = (await runWhatsappSettings(cp, record, undefined)).settings;
      } catch (error) {
        unavailable =
          error instanceof AtendeError ? error.message : `"${record.name}" did not answer.`;
      }
  }
  return presentConfig(config, runtime)
    .filter((entry) => wanted(entry.key))
    .map((entry) =>
      entry.storedIn === "tenant" && unavailable !== undefined ? { ...entry, unavailable } : entry,
    );
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
    const field = runtimeFieldOf(props.key);
    if (field !== undefined) {
      const applied = await configureRuntimeSetting(cp, record, journal, field, value);
      await journal.finish();
      log.info({ operationId: journal.id, changed: applied.changed }, "tenant configured");
      const entry = presentConfig({}, applied.settings).find(
        (candidate) => candidate.key === props.key,
      );
      return {
        tenant: record.name,
        key: props.key,
        changed: applied.changed,
        recreated: [],
        entry: entry as ConfigEntryView,
        operationId: journal.id,
      };
    }
    if (props.key === "domain" && value !== undefined) await assertDomainFree(cp, record, value);
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

/** What the runtime's `whatsapp-settings` one-off prints (secrets already masked). */
interface WhatsappSettingsAnswer {
  changed: string[];
  settings: Partial<Record<WhatsappField, string | null>>;
}

/**
 * Writes one WhatsApp setting into the tenant's database through the running app (`docker exec`
 * of `node /app/main.js whatsapp-settings`, the value on stdin): sealed there with the tenant's
 * own key, picked up by the app without a restart, and kept nowhere in the registry.
 */
async function configureRuntimeSetting(
  cp: ControlPlane,
  record: TenantRecord,
  journal: OperationJournal,
  field: WhatsappField,
  value: string | undefined,
): Promise<{ changed: boolean; settings: WhatsappSettingsAnswer["settings"] }> {
  if (record.status !== "ready")
    throw new AtendeError(
      "tenant_not_ready",
      `Cannot change WhatsApp settings of "${record.name}" while it is ${record.status}: they live in the tenant's database.`,
      {
        hint: `Start it first: \`atende tenant start ${record.name}\`.`,
        data: { name: record.name, status: record.status },
      },
    );
  let answer: WhatsappSettingsAnswer | undefined;
  await journal.step(step("save"), async () => {
    answer = await runWhatsappSettings(cp, record, { [field]: value ?? null });
    return answer.changed.length === 0
      ? { skipped: "the setting already has that value" }
      : undefined;
  });
  await journal.step(step("apply"), async () => ({
    skipped: "kept in the tenant's database: the running app uses it without a restart",
  }));
  await journal.step(step("ready"), async () => ({ skipped: "nothing was re-created" }));
  const settled = answer as WhatsappSettingsAnswer;
  return { changed: settled.changed.length > 0, settings: settled.settings };
}

const keyOfField = (field: string): string =>
  Object.keys(CONFIG_KEYS).find((key) => runtimeFieldOf(key) === field) ?? field;

/**
 * Runs the runtime's `whatsapp-settings` one-off in the app container: `changes` (a value sets a
 * field, null clears it) go in as JSON on stdin, never in argv or env; undefined only reads.
 */
async function runWhatsappSettings(
  cp: ControlPlane,
  record: TenantRecord,
  changes: Partial<Record<WhatsappField, string | null>> | undefined,
): Promise<WhatsappSettingsAnswer> {
  const container = names.container(record.name, "app");
  const running = await inspectContainer(cp.docker, container);
  if (!running?.State.Running)
    throw new AtendeError(
      "tenant_not_ready",
      `The app of "${record.name}" is not running: its WhatsApp settings cannot be read.`,
      { hint: `Start it: \`atende tenant start ${record.name}\`.`, data: { name: record.name } },
    );
  const result = await execInContainer(
    cp.docker,
    container,
    ["node", "/app/main.js", "whatsapp-settings", ...(changes === undefined ? ["--show"] : [])],
    changes === undefined ? {} : { stdin: JSON.stringify(changes) },
  );
  const line = result.stdout.trim().split("\n").at(-1) ?? "";
  let parsed: { changed?: unknown; settings?: unknown; errors?: unknown } | undefined;
  try {
    parsed = JSON.parse(line) as typeof parsed;
  } catch {
    parsed = undefined;
  }
  if (result.exitCode === 2 && Array.isArray(parsed?.errors)) {
    const errors = parsed.errors as Array<{ field: string; message: string }>;
    throw invalidOption(
      errors
        .map((error) => `Invalid value for ${keyOfField(error.field)}: it ${error.message}.`)
        .join(" "),
      errors.some((error) => error.field === "phoneNumberId" || error.field === "wabaId")
        ? `Set whatsapp.phone-number-id and whatsapp.waba-id first: \`atende tenant config ${record.name} set whatsapp.phone-number-id <id>\`.`
        : undefined,
    );
  }
  if (result.exitCode === 0 && parsed && Array.isArray(parsed.changed) && parsed.settings) {
    const settings = parsed.settings as Record<string, unknown>;
    return {
      changed: parsed.changed as string[],
      settings: Object.fromEntries(
        WHATSAPP_FIELDS.map((name) => [
          name,
          typeof settings[name] === "string" ? (settings[name] as string) : null,
        ]),
      ),
    };
  }
  // Never echo stdout here: only the runtime's error text (it prints no secrets) and the code.
  throw new AtendeError(
    "tenant_unhealthy",
    `The app of "${record.name}" could not apply WhatsApp settings (exit code ${result.exitCode}): ${result.stderr.trim().split("\n").at(-1)?.slice(0, 300) ?? ""}`,
    {
      hint: result.stderr.includes("unknown command")
        ? `Its runtime image is older than this control plane: \`atende tenant upgrade ${record.name} --to <version>\`.`
        : `Look at \`atende tenant logs ${record.name}\`.`,
    },
  );
}

/** A domain belongs to one tenant: the edge proxy routes it by this registry entry. */
async function assertDomainFree(cp: ControlPlane, record: TenantRecord, domain: string) {
  for (const other of await cp.tenants.list()) {
    if (other.name !== record.name && domainOf(other.config) === domain)
      throw new AtendeError(
        "domain_taken",
        `The domain ${domain} already belongs to tenant "${other.name}".`,
        {
          hint: `Unset it there first: \`atende tenant config ${other.name} unset domain\`.`,
          data: { domain, tenant: other.name },
        },
      );
  }
}
