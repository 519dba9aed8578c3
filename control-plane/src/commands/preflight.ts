import { statfs } from "node:fs/promises";
import { createServer } from "node:net";
import type Docker from "dockerode";
import type { ControlPlaneConfig } from "../config.js";
import {
  AtendeError,
  imageNotFound,
  insufficientDisk,
  invalidEmail,
  invalidTenantName,
  portConflict,
} from "../errors.js";
import { isNotFound } from "../orchestration/dockerClient.js";

const TENANT_NAME = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
const RESERVED_NAMES = new Set([
  "atende",
  "control-plane",
  "docker",
  "localhost",
  "default",
  "all",
]);

/**
 * Tenant names are DNS labels (they become host names and Docker object names), at most 32
 * characters so `atende-<name>-internal` stays readable.
 */
export function validateTenantName(name: string): void {
  if (name.length === 0) throw invalidTenantName(name, "it is empty");
  if (name.length > 32)
    throw invalidTenantName(name, `it is ${name.length} characters long (at most 32)`);
  if (!TENANT_NAME.test(name)) {
    throw invalidTenantName(
      name,
      "only lowercase letters, digits and hyphens are allowed; it must start with a letter and not end with a hyphen",
    );
  }
  if (name.includes("--")) throw invalidTenantName(name, "two hyphens in a row are reserved");
  if (RESERVED_NAMES.has(name)) throw invalidTenantName(name, "it is reserved");
}

/** A deliberately plain check: one @, a dot in the domain, no spaces, at most 254 characters. */
export function validateEmail(email: string): void {
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw invalidEmail(email);
}

/** Fails with `image_not_found` listing every missing image. */
export async function assertImagesPresent(docker: Docker, images: string[]): Promise<void> {
  const missing: string[] = [];
  for (const image of images) {
    try {
      await docker.getImage(image).inspect();
    } catch (error) {
      if (!isNotFound(error)) throw error;
      missing.push(image);
    }
  }
  if (missing.length > 0) throw imageNotFound(missing);
}

/** Free space under Docker's data directory must exceed ATENDE_MIN_FREE_DISK_MB. */
export async function assertDiskSpace(
  docker: Docker,
  config: Pick<ControlPlaneConfig, "ATENDE_MIN_FREE_DISK_MB">,
): Promise<{ path: string; freeMb: number } | undefined> {
  const info = (await docker.info()) as { DockerRootDir?: string };
  const root = info.DockerRootDir ?? "/var/lib/docker";
  let freeMb: number;
  try {
    const stats = await statfs(root);
    freeMb = Math.floor((stats.bavail * stats.bsize) / 1024 ** 2);
  } catch {
    // A remote engine's data directory is not on this machine: nothing to measure here.
    return undefined;
  }
  if (freeMb < config.ATENDE_MIN_FREE_DISK_MB)
    throw insufficientDisk(root, freeMb, config.ATENDE_MIN_FREE_DISK_MB);
  return { path: root, freeMb };
}

/** True when nothing on this host listens on host:port. */
export function isPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Picks the host port for a tenant's inbox: the requested one if it is free, otherwise the
 * lowest free port of the range not already given to another tenant.
 */
export async function allocateHostPort(
  config: Pick<ControlPlaneConfig, "ATENDE_PORT_RANGE" | "ATENDE_PUBLISH_HOST">,
  usedByTenants: Map<number, string>,
  requested?: number,
): Promise<number> {
  if (requested !== undefined) {
    if (!Number.isInteger(requested) || requested < 1024 || requested > 65535) {
      throw new AtendeError("invalid_port", `Port ${requested} is not allowed.`, {
        hint: "Use a port between 1024 and 65535.",
      });
    }
    const owner = usedByTenants.get(requested);
    if (owner !== undefined) throw portConflict(requested, `tenant "${owner}" uses it`);
    if (!(await isPortFree(config.ATENDE_PUBLISH_HOST, requested))) {
      throw portConflict(
        requested,
        `another program listens on ${config.ATENDE_PUBLISH_HOST}:${requested}`,
      );
    }
    return requested;
  }
  const { low, high } = config.ATENDE_PORT_RANGE;
  for (let port = low; port <= high; port++) {
    if (usedByTenants.has(port)) continue;
    if (await isPortFree(config.ATENDE_PUBLISH_HOST, port)) return port;
  }
  throw portConflict(low, `every port of ATENDE_PORT_RANGE ${low}-${high} is taken`);
}
