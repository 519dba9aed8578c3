import type { ControlPlane } from "../controlPlane.js";
import { AtendeError, invalidOption, tenantExists } from "../errors.js";
import { imageReferences } from "../images/imageCatalog.js";
import {
  OperationJournal,
  type ProgressListener,
  type StepDefinition,
  stepsById,
} from "../operations/operationJournal.js";
import { acquireTenantLock } from "../operations/tenantLock.js";
import { assertDockerReachable, execInContainer } from "../orchestration/dockerClient.js";
import { names } from "../orchestration/labels.js";
import { buildTenantSetSpec, type TenantSetSpec } from "../orchestration/specs/tenantSetSpec.js";
import {
  ensureContainer,
  ensureNetwork,
  ensureVolume,
  removeTenantObjects,
  startContainer,
} from "../orchestration/tenantResources.js";
import { readyUrlOf, waitForReady } from "../orchestration/waitForReady.js";
import { generateSecret } from "../secrets/generateSecret.js";
import { type TenantRecord, tenantSecrets } from "../store/tenantRepository.js";
import { loadTemplate } from "../templates/loadTemplate.js";
import type { Template } from "../templates/templateSchema.js";
import { openTenantConfig } from "../tenantConfig/configKeys.js";
import { ATENDE_VERSION } from "../version.js";
import {
  allocateHostPort,
  assertDiskSpace,
  assertImagesPresent,
  validateEmail,
  validateTenantName,
} from "./preflight.js";

/** The steps of `tenant create`, in order: the CLI shows one line per step. */
export const PROVISION_STEPS = [
  { id: "preflight", title: "Check Docker, images and disk" },
  { id: "register", title: "Reserve the name, port and secrets" },
  { id: "networks", title: "Create the private networks" },
  { id: "volumes", title: "Create the volumes" },
  { id: "containers", title: "Create the containers" },
  { id: "start", title: "Start the database, Redis and the app" },
  { id: "ready", title: "Wait until the inbox is ready" },
  { id: "admin", title: "Create the first admin" },
] as const satisfies readonly StepDefinition[];

const step = stepsById(PROVISION_STEPS);

export interface ProvisionTenantProps {
  name: string;
  adminEmail: string;
  /** Template name or path; `default` when omitted. */
  template?: string;
  /** Host port for the inbox; a free one is picked when omitted. */
  port?: number;
  onProgress?: ProgressListener;
  /** Aborting cancels the create and removes what it made. */
  signal?: AbortSignal;
}

/** What `create` hands back: the one-time password is shown once and stored nowhere. */
export interface ProvisionedTenant {
  name: string;
  url: string;
  adminEmail: string;
  oneTimePassword: string;
  /** True when an interrupted create was picked up again instead of starting afresh. */
  resumed: boolean;
  operationId: string;
}

/**
 * Creates a tenant's whole container set and its first admin. Idempotent: a create
 * interrupted half-way (crash, kill) is resumed by running it again with the same name; a
 * create that fails removes everything it made and leaves no registry record.
 */
export async function provisionTenant(
  cp: ControlPlane,
  props: ProvisionTenantProps,
): Promise<ProvisionedTenant> {
  validateTenantName(props.name);
  validateEmail(props.adminEmail);
  const { template } = await loadTemplate(props.template ?? "default", cp.config);
  const log = cp.logger.child({ component: "provisioner", tenant: props.name });

  const journal = await OperationJournal.begin(cp.store.db, props.name, "create", props.onProgress);
  let lock: Awaited<ReturnType<typeof acquireTenantLock>> | undefined;
  let origin: "new" | "resumed" | "archived" | undefined;
  try {
    lock = await acquireTenantLock(cp.store.db, props.name, journal.id, "create");
    const images = imageReferences(cp.config, ATENDE_VERSION);

    await journal.step(
      step("preflight"),
      async () => {
        await assertDockerReachable(cp.docker);
        await assertImagesPresent(cp.docker, Object.values(images));
        await assertDiskSpace(cp.docker, cp.config);
      },
      props.signal,
    );

    const { record, secrets, from } = await journal.step(
      step("register"),
      () => register(cp, props, template, images, journal.id),
      props.signal,
    );
    origin = from;
    await bringUpTenantSet(cp, journal, { record, secrets, template, signal: props.signal });
    const admin = await journal.step(
      step("admin"),
      () => createFirstAdmin(cp, record.name, props.adminEmail),
      props.signal,
    );

    await cp.tenants.setStatus(record.name, "ready", journal.id);
    await journal.finish();
    log.info({ operationId: journal.id, origin }, "tenant created");
    return {
      name: record.name,
      url: record.url,
      adminEmail: admin.email,
      oneTimePassword: admin.password,
      resumed: origin !== "new",
      operationId: journal.id,
    };
  } catch (error) {
    if (origin !== undefined) await undoCreate(cp, props.name, origin, journal.id, log);
    await journal.finish(error).catch(() => undefined);
    throw error;
  } finally {
    await lock?.release().catch(() => undefined);
  }
}

/**
 * Creates (or converges) a registered tenant's networks, volumes and containers, starts them
 * and waits until the inbox is ready: the create steps after `register`. Shared by create and
 * by restore into a new tenant, under the caller's journal and lock.
 */
export async function bringUpTenantSet(
  cp: ControlPlane,
  journal: OperationJournal,
  props: {
    record: TenantRecord;
    secrets: Record<string, string>;
    template: Template;
    signal?: AbortSignal | undefined;
    /**
     * false: create everything but start nothing (a restore fills the db volume first and
     * starts the set itself, instead of starting an empty database only to stop it again).
     */
    start?: boolean;
  },
): Promise<TenantSetSpec> {
  const { record, signal } = props;
  const config = openTenantConfig(await cp.secretBox(), record.name, record.config);
  const spec = buildTenantSetSpec(props.template, {
    name: record.name,
    url: record.url,
    publishHost: record.publishHost,
    hostPort: record.hostPort,
    secrets: props.secrets,
    images: record.images,
    appVersion: record.appVersion,
    operationId: journal.id,
    config,
  });
  await journal.step(
    step("networks"),
    () => ensureAll(spec.networks, (network) => ensureNetwork(cp.docker, record.name, network)),
    signal,
  );
  await journal.step(
    step("volumes"),
    () => ensureAll(spec.volumes, (volume) => ensureVolume(cp.docker, record.name, volume)),
    signal,
  );
  await journal.step(
    step("containers"),
    () =>
      ensureAll(spec.containers, (container) => ensureContainer(cp.docker, record.name, container)),
    signal,
  );
  if (props.start === false) {
    const skipped = { skipped: "started once the data is restored" };
    await journal.step(step("start"), async () => skipped);
    await journal.step(step("ready"), async () => skipped);
    return spec;
  }
  await journal.step(
    step("start"),
    () =>
      ensureAll(spec.containers, (container) =>
        startContainer(cp.docker, container, record.hostPort),
      ),
    signal,
  );
  await journal.step(
    step("ready"),
    () =>
      waitForReady(cp.docker, {
        tenant: record.name,
        readyUrl: readyUrlOf(record),
        containers: spec.containers,
        timeoutMs: cp.config.ATENDE_READY_TIMEOUT_SECONDS * 1000,
        ...(signal ? { signal } : {}),
      }),
    signal,
  );
  return spec;
}

async function ensureAll<T>(
  items: T[],
  ensure: (item: T) => Promise<string>,
): Promise<{ skipped: string } | undefined> {
  const outcomes: string[] = [];
  for (const item of items) outcomes.push(await ensure(item));
  return outcomes.every((outcome) => outcome === "unchanged")
    ? { skipped: "already in place" }
    : undefined;
}

/**
 * Reserves the name: a new record with fresh secrets and a port, or the record of an
 * interrupted create (same secrets, so the half-made database volume still opens).
 */
async function register(
  cp: ControlPlane,
  props: ProvisionTenantProps,
  template: Template,
  images: Record<string, string>,
  operationId: string,
): Promise<{
  record: TenantRecord;
  secrets: Record<string, string>;
  from: "new" | "resumed" | "archived";
}> {
  const box = await cp.secretBox();
  const existing = await cp.tenants.find(props.name);
  if (existing) {
    if (existing.status !== "creating" && existing.status !== "archived")
      throw tenantExists(props.name, existing.status);
    if (existing.templateId !== template.metadata.id) {
      throw invalidOption(
        `Tenant "${props.name}" was being created from template "${existing.templateId}", not "${template.metadata.id}".`,
        `Run the create again with --template ${existing.templateId}, or destroy it first.`,
      );
    }
    if (props.port !== undefined && props.port !== existing.hostPort) {
      throw invalidOption(
        `Tenant "${props.name}" already has port ${existing.hostPort}.`,
        "Leave --port out to resume the create.",
      );
    }
    await cp.tenants.setStatus(props.name, "creating", operationId);
    return {
      record: existing,
      secrets: tenantSecrets.open(box, existing),
      from: existing.status === "archived" ? "archived" : "resumed",
    };
  }

  const used = new Map((await cp.tenants.list()).map((tenant) => [tenant.hostPort, tenant.name]));
  const hostPort = await allocateHostPort(cp.config, used, props.port);
  const secrets = Object.fromEntries(
    Object.entries(template.secrets).map(([name, generator]) => [name, generateSecret(generator)]),
  );
  const displayHost =
    cp.config.ATENDE_PUBLISH_HOST === "0.0.0.0" ? "127.0.0.1" : cp.config.ATENDE_PUBLISH_HOST;
  const record: Omit<TenantRecord, "createdAt" | "updatedAt"> = {
    name: props.name,
    status: "creating",
    templateId: template.metadata.id,
    templateVersion: template.metadata.version,
    appVersion: ATENDE_VERSION,
    images,
    publishHost: cp.config.ATENDE_PUBLISH_HOST,
    hostPort,
    url: `http://${displayHost}:${hostPort}`,
    adminEmail: props.adminEmail,
    sealedSecrets: tenantSecrets.seal(box, props.name, secrets),
    lastOperationId: operationId,
  };
  try {
    await cp.tenants.insert(record);
  } catch (error) {
    // Another process registered the same name or port between our read and our insert.
    const raced = await cp.tenants.find(props.name);
    if (raced) throw tenantExists(props.name, raced.status);
    throw new AtendeError(
      "port_conflict",
      `Port ${hostPort} was taken by another create at the same moment.`,
      {
        hint: "Run the command again.",
        cause: error,
      },
    );
  }
  return {
    record: { ...record, createdAt: new Date(), updatedAt: new Date() },
    secrets,
    from: "new",
  };
}

/** Runs the runtime's create-admin command inside the app container (never over HTTP). */
async function createFirstAdmin(
  cp: ControlPlane,
  tenant: string,
  email: string,
): Promise<{ email: string; password: string }> {
  const result = await execInContainer(cp.docker, names.container(tenant, "app"), [
    "node",
    "/app/main.js",
    "create-admin",
    "--email",
    email,
  ]);
  const line = result.stdout.trim().split("\n").at(-1) ?? "";
  if (result.exitCode !== 0) {
    throw new AtendeError(
      "tenant_unhealthy",
      `Creating the first admin of "${tenant}" failed (exit code ${result.exitCode}): ${result.stderr.trim().slice(0, 500)}`,
      {
        hint: `Look at \`atende tenant logs ${tenant}\`.`,
      },
    );
  }
  try {
    const parsed = JSON.parse(line) as { email?: unknown; password?: unknown };
    if (typeof parsed.email === "string" && typeof parsed.password === "string")
      return { email: parsed.email, password: parsed.password };
  } catch {
    // fall through to the error below
  }
  throw new AtendeError(
    "tenant_unhealthy",
    `The runtime of "${tenant}" answered create-admin with something unexpected.`,
    {
      hint: "The runtime image may not match this control plane: rebuild with `atende images build`.",
    },
  );
}

/**
 * Removes what a failed create made. A brand-new or half-made tenant goes entirely (its volumes
 * never held data anyone used); a tenant revived from kept data goes back to archived with its
 * volumes untouched.
 */
export async function undoCreate(
  cp: ControlPlane,
  name: string,
  origin: "new" | "resumed" | "archived",
  operationId: string,
  log: ControlPlane["logger"],
): Promise<void> {
  try {
    const keepVolumes = origin === "archived";
    await removeTenantObjects(cp.docker, name, { keepVolumes });
    if (keepVolumes) await cp.tenants.setStatus(name, "archived", operationId);
    else await cp.tenants.delete(name);
  } catch (cleanupError) {
    log.error(
      { err: cleanupError, operationId },
      "cleanup after a failed create did not finish; running create or destroy again converges",
    );
  }
}

export type { TenantSetSpec };
