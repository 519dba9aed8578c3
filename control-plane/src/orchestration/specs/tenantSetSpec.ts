import { createHash } from "node:crypto";
import type Docker from "dockerode";
import { startOrder } from "../../templates/startOrder.js";
import type { Template, TemplateService } from "../../templates/templateSchema.js";
import {
  configOverrides,
  type ServiceOverrides,
  type TenantConfig,
} from "../../tenantConfig/configKeys.js";
import { LABEL, names } from "../labels.js";

/** What the spec builders need to know about one tenant. */
export interface TenantSpecInput {
  name: string;
  url: string;
  publishHost: string;
  hostPort: number;
  /** Generated secret values by template secret name. */
  secrets: Record<string, string>;
  /** Image reference per catalogue name (`runtime` → `atende/runtime:0.1.0`). */
  images: Record<string, string>;
  appVersion: string;
  operationId: string;
  /** The tenant's settings (`atende tenant config`), secrets opened; they override the template. */
  config?: TenantConfig | undefined;
}

export interface NetworkSpec {
  name: string;
  /** Internal networks have no route out and nothing published: the tier MariaDB and Redis live on. */
  options: Docker.NetworkCreateOptions;
}

export interface VolumeSpec {
  name: string;
  options: Docker.VolumeCreateOptions;
}

export interface ContainerSpec {
  role: string;
  name: string;
  /** Create options; `Env` holds secret values, so never log this object. */
  options: Docker.ContainerCreateOptions;
  /** Networks to join after creation, with the aliases other services use. */
  extraNetworks: Array<{ network: string; aliases: string[] }>;
  dependsOn: string[];
}

/** The full desired state of one tenant: pure data, diffable, testable without Docker. */
export interface TenantSetSpec {
  networks: NetworkSpec[];
  volumes: VolumeSpec[];
  /** In start order: every service after what it depends on. */
  containers: ContainerSpec[];
}

/** Labels shared by every object of a tenant. */
export function tenantLabels(
  template: Template,
  input: Pick<TenantSpecInput, "name" | "appVersion" | "operationId">,
  role: string,
) {
  return {
    [LABEL.managed]: "true",
    [LABEL.tenant]: input.name,
    [LABEL.role]: role,
    [LABEL.template]: template.metadata.id,
    [LABEL.templateVersion]: String(template.metadata.version),
    [LABEL.version]: input.appVersion,
    [LABEL.operation]: input.operationId,
  };
}

/** Builds the networks, volumes and containers of one tenant from its template. */
export function buildTenantSetSpec(template: Template, input: TenantSpecInput): TenantSetSpec {
  const internal = names.internalNetwork(input.name);
  const edge = names.edgeNetwork(input.name);
  const networks: NetworkSpec[] = [
    {
      name: internal,
      options: {
        Name: internal,
        Driver: "bridge",
        Internal: true,
        CheckDuplicate: true,
        Labels: tenantLabels(template, input, "network-internal"),
      },
    },
    {
      name: edge,
      options: {
        Name: edge,
        Driver: "bridge",
        Internal: false,
        CheckDuplicate: true,
        Labels: tenantLabels(template, input, "network-edge"),
      },
    },
  ];
  const volumes: VolumeSpec[] = Object.keys(template.volumes).map((volume) => ({
    name: names.volume(input.name, volume),
    options: {
      Name: names.volume(input.name, volume),
      Labels: { ...tenantLabels(template, input, `volume-${volume}`), "atende.volume": volume },
    },
  }));
  const overrides = configOverrides(input.config);
  const containers = startOrder(template).map((role) =>
    buildContainerSpec(
      template,
      input,
      role,
      template.services[role] as TemplateService,
      overrides[role],
    ),
  );
  return { networks, volumes, containers };
}

function buildContainerSpec(
  template: Template,
  input: TenantSpecInput,
  role: string,
  service: TemplateService,
  overrides: ServiceOverrides | undefined,
): ContainerSpec {
  const name = names.container(input.name, role);
  const internal = names.internalNetwork(input.name);
  const edge = names.edgeNetwork(input.name);
  const resolved: Record<string, string> = {};
  for (const [key, value] of Object.entries(service.env))
    resolved[key] = resolveReferences(value, input);
  // Settings win over the template's values (e.g. PUBLIC_URL, LOG_LEVEL) and add new ones (TZ).
  Object.assign(resolved, overrides?.env);
  const env = Object.entries(resolved).map(([key, value]) => `${key}=${value}`);
  const memory = overrides?.memory ?? service.resources.memory;
  const nanoCpus = overrides?.nanoCpus ?? Math.round(service.resources.cpus * 1e9);
  const published = service.publish;
  const hashInput = {
    image: imageFor(service.image, input),
    env: service.env,
    service,
    hostPort: published ? input.hostPort : null,
    // Absent (so the hash stays what it was) when no setting touches this service; secrets
    // appear as a version number, never as their value.
    config: overrides && Object.keys(overrides.hash).length > 0 ? overrides.hash : undefined,
  };
  const labels = {
    ...tenantLabels(template, input, role),
    // A hash of the spec with secret *references* (not values): tells when a container is stale.
    [LABEL.specHash]: createHash("sha256")
      .update(JSON.stringify(hashInput))
      .digest("hex")
      .slice(0, 16),
  };
  const options: Docker.ContainerCreateOptions = {
    name,
    Image: imageFor(service.image, input),
    Hostname: role,
    Env: env,
    Labels: labels,
    ...(service.command ? { Cmd: service.command } : {}),
    Healthcheck: {
      Test: service.healthcheck.test,
      Interval: service.healthcheck.interval,
      Timeout: service.healthcheck.timeout,
      Retries: service.healthcheck.retries,
      StartPeriod: service.healthcheck.startPeriod,
    },
    ...(published ? { ExposedPorts: { [`${published.containerPort}/tcp`]: {} } } : {}),
    HostConfig: {
      Memory: memory,
      // No swap beyond the limit: a tenant that outgrows its memory should be seen, not slowed.
      MemorySwap: memory,
      NanoCpus: nanoCpus,
      RestartPolicy: { Name: "unless-stopped" },
      SecurityOpt: ["no-new-privileges:true"],
      Mounts: service.mounts.map((mount) => ({
        Type: "volume" as const,
        Source: names.volume(input.name, mount.volume),
        Target: mount.target,
      })),
      LogConfig: { Type: "json-file", Config: { "max-size": "10m", "max-file": "3" } },
      // The published service joins the edge network first (Docker publishes ports and routes
      // out through the first network); the others live only on the internal one.
      NetworkMode: published ? edge : internal,
      ...(published
        ? {
            PortBindings: {
              [`${published.containerPort}/tcp`]: [
                { HostIp: input.publishHost, HostPort: String(input.hostPort) },
              ],
            },
          }
        : {}),
    },
    NetworkingConfig: {
      EndpointsConfig: published ? { [edge]: {} } : { [internal]: { Aliases: [role] } },
    },
  };
  return {
    role,
    name,
    options,
    extraNetworks: published ? [{ network: internal, aliases: [role] }] : [],
    dependsOn: service.dependsOn,
  };
}

/** `atende/runtime:0.1.0` for a catalogue name, the reference itself otherwise. */
function imageFor(image: string, input: Pick<TenantSpecInput, "images">): string {
  const resolved = input.images[image];
  if (resolved !== undefined) return resolved;
  if (image.includes(":") || image.includes("@")) return image;
  throw new Error(`image "${image}" is neither in the image catalogue nor a full reference`);
}

/** Replaces `${secrets.x}`, `${tenant.name}` and `${tenant.url}` (validated at load time). */
export function resolveReferences(
  value: string,
  input: Pick<TenantSpecInput, "name" | "url" | "secrets">,
): string {
  return value.replace(/\$\{([^}]*)\}/g, (_, reference: string) => {
    if (reference === "tenant.name") return input.name;
    if (reference === "tenant.url") return input.url;
    const secret = input.secrets[reference.replace(/^secrets\./, "")];
    if (secret === undefined) throw new Error(`secret for \${${reference}} was not generated`);
    return secret;
  });
}
