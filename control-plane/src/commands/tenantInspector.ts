import type Docker from "dockerode";
import type { ControlPlane } from "../controlPlane.js";
import { dockerUnavailable, tenantNotFound } from "../errors.js";
import { LABEL } from "../orchestration/labels.js";
import { findTenantObjects, type ObservedTenantObjects } from "../orchestration/tenantResources.js";
import type { TenantRecord, TenantStatus } from "../store/tenantRepository.js";
import { validateTenantName } from "./preflight.js";

/** One container of a tenant as Docker reports it. */
export interface ObservedService {
  role: string;
  container: string;
  state: string;
  health: string | null;
  image: string;
}

/** A tenant as the operator sees it: desired state from the registry, observed state from Docker. Never secrets. */
export interface TenantView {
  name: string;
  status: TenantStatus;
  /** Docker's view: running when every service runs, degraded when some do, absent when none exist. */
  observed: "running" | "degraded" | "stopped" | "absent";
  template: string;
  appVersion: string;
  images: Record<string, string>;
  url: string;
  adminEmail: string;
  hostPort: number;
  createdAt: string;
  updatedAt: string;
  services: ObservedService[];
  volumes: string[];
  networks: string[];
}

/** Every tenant in the registry with its observed state; Docker being down only blanks the observed part. */
export async function listTenants(cp: ControlPlane): Promise<TenantView[]> {
  const records = await cp.tenants.list();
  let observed: ObservedTenantObjects | undefined;
  try {
    observed = await findTenantObjects(cp.docker);
  } catch {
    observed = undefined;
  }
  return records.map((record) => presentTenant(record, observed));
}

/** One tenant in detail. */
export async function showTenant(cp: ControlPlane, name: string): Promise<TenantView> {
  validateTenantName(name);
  const record = await cp.tenants.find(name);
  if (!record) throw tenantNotFound(name);
  const observed = await findTenantObjects(cp.docker, name).catch((error: unknown) => {
    throw dockerUnavailable((error as Error).message, error);
  });
  return presentTenant(record, observed);
}

/** The only way a tenant leaves the control plane (CLI, API, dashboard). */
export function presentTenant(
  record: TenantRecord,
  observed: ObservedTenantObjects | undefined,
): TenantView {
  const mine = <T extends { Labels?: Record<string, string> | null }>(items: T[] | undefined) =>
    (items ?? []).filter((item) => item.Labels?.[LABEL.tenant] === record.name);
  const containers = mine(
    observed?.containers as
      | Array<Docker.ContainerInfo & { Labels: Record<string, string> }>
      | undefined,
  );
  const services = containers
    .map((container) => ({
      role: container.Labels[LABEL.role] ?? "?",
      container: (container.Names[0] ?? "").replace(/^\//, ""),
      state: container.State,
      health:
        /\((healthy|unhealthy|health: starting)\)/
          .exec(container.Status)?.[1]
          ?.replace("health: ", "") ?? null,
      image: container.Image,
    }))
    .sort((a, b) => a.role.localeCompare(b.role));
  const running = services.filter((service) => service.state === "running").length;
  return {
    name: record.name,
    status: record.status,
    observed:
      observed === undefined
        ? "absent"
        : services.length === 0
          ? "absent"
          : running === services.length
            ? "running"
            : running === 0
              ? "stopped"
              : "degraded",
    template: `${record.templateId}@${record.templateVersion}`,
    appVersion: record.appVersion,
    images: record.images,
    url: record.url,
    adminEmail: record.adminEmail,
    hostPort: record.hostPort,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    services,
    volumes: mine(
      observed?.volumes as
        | Array<Docker.VolumeInspectInfo & { Labels: Record<string, string> }>
        | undefined,
    ).map((volume) => volume.Name),
    networks: mine(observed?.networks).map((network) => network.Name),
  };
}
