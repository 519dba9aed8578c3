import type Docker from "dockerode";
import { AtendeError, portConflict } from "../errors.js";
import { inspectContainer, isConflict, isNotFound } from "./dockerClient.js";
import { LABEL, labelFilter } from "./labels.js";
import type { ContainerSpec, NetworkSpec, VolumeSpec } from "./specs/tenantSetSpec.js";

/** Outcome of an ensure step, used for journal notes. */
export type EnsureOutcome = "created" | "unchanged" | "replaced";

const foreignObject = (kind: string, name: string) =>
  new AtendeError(
    "tenant_exists",
    `A Docker ${kind} named ${name} exists but was not made by atende for this tenant.`,
    {
      hint: `Remove or rename it (\`docker ${kind} rm ${name}\`) if it is not needed, or choose another tenant name.`,
      data: { kind, name },
    },
  );

function assertOwned(
  kind: string,
  name: string,
  labels: Record<string, string> | undefined,
  tenant: string,
): void {
  if (labels?.[LABEL.managed] !== "true" || labels[LABEL.tenant] !== tenant)
    throw foreignObject(kind, name);
}

/** Creates the network unless this tenant's network of that name exists already. */
export async function ensureNetwork(
  docker: Docker,
  tenant: string,
  spec: NetworkSpec,
): Promise<EnsureOutcome> {
  try {
    const existing = await docker.getNetwork(spec.name).inspect();
    // The name lookup is by name-or-id prefix: compare exactly.
    if (existing.Name === spec.name) {
      assertOwned("network", spec.name, existing.Labels, tenant);
      return "unchanged";
    }
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  await docker.createNetwork(spec.options);
  return "created";
}

/** Creates the volume unless this tenant's volume of that name exists already. */
export async function ensureVolume(
  docker: Docker,
  tenant: string,
  spec: VolumeSpec,
): Promise<EnsureOutcome> {
  try {
    const existing = await docker.getVolume(spec.name).inspect();
    assertOwned("volume", spec.name, existing.Labels ?? undefined, tenant);
    return "unchanged";
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  await docker.createVolume(spec.options);
  return "created";
}

/**
 * Creates the container, or replaces it when its spec hash differs (volumes keep the data), or
 * leaves it when it already matches. Extra networks are joined idempotently.
 */
export async function ensureContainer(
  docker: Docker,
  tenant: string,
  spec: ContainerSpec,
): Promise<EnsureOutcome> {
  const existing = await inspectContainer(docker, spec.name);
  let outcome: EnsureOutcome = "created";
  if (existing) {
    assertOwned("container", spec.name, existing.Config.Labels, tenant);
    if (existing.Config.Labels[LABEL.specHash] === spec.options.Labels?.[LABEL.specHash]) {
      outcome = "unchanged";
    } else {
      await docker.getContainer(spec.name).remove({ force: true });
      outcome = "replaced";
    }
  }
  if (outcome !== "unchanged") await docker.createContainer(spec.options);
  const joined =
    existing && outcome === "unchanged" ? Object.keys(existing.NetworkSettings.Networks ?? {}) : [];
  for (const extra of spec.extraNetworks) {
    if (joined.includes(extra.network)) continue;
    try {
      await docker
        .getNetwork(extra.network)
        .connect({ Container: spec.name, EndpointConfig: { Aliases: extra.aliases } });
    } catch (error) {
      // Already connected (a resumed run): that is the state we want.
      if (!isConflict(error) && !/already exists/i.test((error as Error).message)) throw error;
    }
  }
  return outcome;
}

/** Starts a container if it is not running; maps "port already allocated" to a clear error. */
export async function startContainer(
  docker: Docker,
  spec: ContainerSpec,
  hostPort: number,
): Promise<EnsureOutcome> {
  const info = await inspectContainer(docker, spec.name);
  if (info?.State.Running) return "unchanged";
  try {
    await docker.getContainer(spec.name).start();
  } catch (error) {
    const message = (error as Error).message;
    if (/port is already allocated|address already in use/i.test(message)) {
      throw portConflict(hostPort, "another program or container is bound to it");
    }
    if (/no space left on device/i.test(message)) {
      throw new AtendeError(
        "insufficient_disk",
        `Docker ran out of disk space starting ${spec.name}.`,
        {
          hint: "Free disk space under Docker's data directory and run the command again.",
        },
      );
    }
    throw error;
  }
  return "created";
}

/** Everything Docker holds for one tenant (or for every tenant), found by label. */
export interface ObservedTenantObjects {
  containers: Docker.ContainerInfo[];
  networks: Docker.NetworkInspectInfo[];
  volumes: Docker.VolumeInspectInfo[];
}

export async function findTenantObjects(
  docker: Docker,
  tenant?: string,
): Promise<ObservedTenantObjects> {
  const filters = labelFilter(tenant);
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  return { containers, networks, volumes: volumes.Volumes ?? [] };
}

/**
 * Removes a tenant's containers and networks, and its volumes unless `keepVolumes`. Only
 * objects carrying the tenant's labels are touched; a missing object is not an error.
 */
export async function removeTenantObjects(
  docker: Docker,
  tenant: string,
  options: { keepVolumes: boolean },
): Promise<void> {
  const found = await findTenantObjects(docker, tenant);
  for (const container of found.containers) {
    await ignoreNotFound(docker.getContainer(container.Id).remove({ force: true, v: false }));
  }
  for (const network of found.networks)
    await ignoreNotFound(docker.getNetwork(network.Id).remove());
  if (!options.keepVolumes) {
    for (const volume of found.volumes)
      await ignoreNotFound(docker.getVolume(volume.Name).remove());
  }
}

/**
 * Removes a container by name, if it exists. With `stopSeconds`, a running one is first stopped
 * gracefully (in-flight requests finish, MariaDB flushes) within that time.
 */
export async function removeContainer(
  docker: Docker,
  name: string,
  options: { stopSeconds?: number } = {},
): Promise<void> {
  if (options.stopSeconds !== undefined) {
    const info = await inspectContainer(docker, name);
    if (info?.State.Running) await docker.getContainer(name).stop({ t: options.stopSeconds });
  }
  await ignoreNotFound(docker.getContainer(name).remove({ force: true }));
}

async function ignoreNotFound(action: Promise<unknown>): Promise<void> {
  try {
    await action;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}
