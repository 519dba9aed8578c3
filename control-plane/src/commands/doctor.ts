import { stat } from "node:fs/promises";
import type { ControlPlane } from "../controlPlane.js";
import { AtendeError } from "../errors.js";
import { IMAGE_NAMES, imageReferences } from "../images/imageCatalog.js";
import { assertDockerReachable } from "../orchestration/dockerClient.js";
import { LABEL } from "../orchestration/labels.js";
import { findTenantObjects } from "../orchestration/tenantResources.js";
import { masterKeyPath } from "../secrets/masterKey.js";
import { ATENDE_VERSION } from "../version.js";
import { assertDiskSpace, assertImagesPresent } from "./preflight.js";

/** One finding of `atende doctor`. */
export interface DoctorCheck {
  id: "docker" | "images" | "disk" | "master_key" | "registry" | "drift";
  status: "ok" | "warn" | "fail";
  detail: string;
  hint?: string;
}

/** Checks everything a tenant operation relies on, and compares the registry with Docker's labels. */
export async function runDoctor(cp: ControlPlane): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const fromError = (
    id: DoctorCheck["id"],
    error: unknown,
    status: DoctorCheck["status"] = "fail",
  ): DoctorCheck => ({
    id,
    status,
    detail: (error as Error).message,
    ...(error instanceof AtendeError && error.hint ? { hint: error.hint } : {}),
  });

  checks.push({
    id: "registry",
    status: "ok",
    detail: `${cp.store.kind} registry at ${cp.store.location}, integrity ok`,
  });
  checks.push(await checkMasterKey(cp));

  let dockerOk = false;
  try {
    await assertDockerReachable(cp.docker);
    const version = (await cp.docker.version()) as { Version?: string; ApiVersion?: string };
    checks.push({
      id: "docker",
      status: "ok",
      detail: `Docker engine ${version.Version} (API ${version.ApiVersion})`,
    });
    dockerOk = true;
  } catch (error) {
    checks.push(fromError("docker", error));
  }
  if (!dockerOk) return checks;

  const images = imageReferences(cp.config, ATENDE_VERSION);
  try {
    await assertImagesPresent(cp.docker, Object.values(images));
    checks.push({
      id: "images",
      status: "ok",
      detail: `${IMAGE_NAMES.length} images for ${ATENDE_VERSION} present`,
    });
  } catch (error) {
    checks.push(fromError("images", error));
  }
  try {
    const disk = await assertDiskSpace(cp.docker, cp.config);
    checks.push(
      disk
        ? { id: "disk", status: "ok", detail: `${disk.freeMb} MB free under ${disk.path}` }
        : {
            id: "disk",
            status: "warn",
            detail: "Docker's data directory is not on this machine; free space not checked",
          },
    );
  } catch (error) {
    checks.push(fromError("disk", error));
  }
  checks.push(await checkDrift(cp));
  return checks;
}

async function checkMasterKey(cp: ControlPlane): Promise<DoctorCheck> {
  if (cp.config.ATENDE_MASTER_KEY !== undefined) {
    const bytes = Buffer.from(cp.config.ATENDE_MASTER_KEY, "base64").length;
    return bytes === 32
      ? { id: "master_key", status: "ok", detail: "from ATENDE_MASTER_KEY" }
      : {
          id: "master_key",
          status: "fail",
          detail: `ATENDE_MASTER_KEY decodes to ${bytes} bytes, not 32`,
          hint: "Generate one with `openssl rand -base64 32`.",
        };
  }
  const file = masterKeyPath(cp.config);
  try {
    const info = await stat(file);
    if ((info.mode & 0o077) !== 0) {
      return {
        id: "master_key",
        status: "fail",
        detail: `${file} is readable by other users (mode ${(info.mode & 0o777).toString(8)})`,
        hint: `Run \`chmod 600 ${file}\`.`,
      };
    }
    return { id: "master_key", status: "ok", detail: `${file} (mode 600)` };
  } catch {
    const tenants = await cp.tenants.list();
    return tenants.length === 0
      ? {
          id: "master_key",
          status: "ok",
          detail: `not created yet; the first create makes ${file}`,
        }
      : {
          id: "master_key",
          status: "fail",
          detail: `${file} is missing but ${tenants.length} tenant(s) have sealed secrets`,
          hint: "Restore the key file from your backup, or set ATENDE_MASTER_KEY.",
        };
  }
}

/** Labels are the index: every labelled object must belong to a registered tenant, and every live tenant must have its containers. */
async function checkDrift(cp: ControlPlane): Promise<DoctorCheck> {
  const [records, observed] = await Promise.all([cp.tenants.list(), findTenantObjects(cp.docker)]);
  const registered = new Map(records.map((record) => [record.name, record]));
  const problems: string[] = [];
  const labelled = new Set<string>();
  for (const item of [...observed.containers, ...observed.networks, ...observed.volumes]) {
    const tenant = item.Labels?.[LABEL.tenant];
    if (tenant) labelled.add(tenant);
  }
  for (const tenant of labelled) {
    if (!registered.has(tenant))
      problems.push(
        `Docker holds objects of "${tenant}", which is not in the registry (run \`atende tenant destroy ${tenant}\` to remove them)`,
      );
  }
  for (const record of records) {
    const containers = observed.containers.filter(
      (container) => container.Labels[LABEL.tenant] === record.name,
    );
    const running = containers.filter((container) => container.State === "running").length;
    if (record.status === "ready" && (containers.length === 0 || running < containers.length)) {
      problems.push(
        `"${record.name}" is ready in the registry but ${running} of its ${containers.length} containers run`,
      );
    }
    if (record.status === "creating" || record.status === "destroying") {
      problems.push(
        `"${record.name}" is stuck in ${record.status} (run \`atende tenant ${record.status === "creating" ? "create" : "destroy"} ${record.name}\` again to converge)`,
      );
    }
  }
  return problems.length === 0
    ? {
        id: "drift",
        status: "ok",
        detail: `registry and Docker agree on ${records.length} tenant(s)`,
      }
    : { id: "drift", status: "warn", detail: problems.join("; ") };
}
