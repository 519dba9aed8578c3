import type { ControlPlane } from "../controlPlane.js";
import { tenantNotFound } from "../errors.js";
import { assertDockerReachable } from "../orchestration/dockerClient.js";
import { LABEL } from "../orchestration/labels.js";
import { findTenantObjects } from "../orchestration/tenantResources.js";
import { validateTenantName } from "./preflight.js";

/** CPU and memory of one running container, from one `docker stats` sample. */
export interface ContainerStats {
  role: string;
  container: string;
  /** Percent of one CPU (200 = two full cores), like `docker stats`. */
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number;
}

/** A tenant's resource use: one entry per running container. */
export interface TenantStats {
  name: string;
  sampledAt: string;
  containers: ContainerStats[];
  totals: { cpuPercent: number; memoryBytes: number };
}

interface StatsSample {
  cpu_stats?: {
    cpu_usage?: { total_usage?: number; percpu_usage?: number[] };
    system_cpu_usage?: number;
    online_cpus?: number;
  };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
}

/** CPU percent the way the Docker CLI computes it from one non-streamed sample. */
export function cpuPercentOf(sample: StatsSample): number {
  const cpu = sample.cpu_stats;
  const pre = sample.precpu_stats;
  const cpuDelta = (cpu?.cpu_usage?.total_usage ?? 0) - (pre?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (cpu?.system_cpu_usage ?? 0) - (pre?.system_cpu_usage ?? 0);
  const cpus = cpu?.online_cpus ?? cpu?.cpu_usage?.percpu_usage?.length ?? 1;
  if (cpuDelta <= 0 || systemDelta <= 0) return 0;
  return Math.round((cpuDelta / systemDelta) * cpus * 10_000) / 100;
}

/** Memory in use without the page cache, as `docker stats` shows it (cgroup v1 and v2). */
export function memoryBytesOf(sample: StatsSample): number {
  const memory = sample.memory_stats;
  const cache = memory?.stats?.total_inactive_file ?? memory?.stats?.inactive_file ?? 0;
  return Math.max(0, (memory?.usage ?? 0) - cache);
}

/** One CPU/memory sample of each running container of a tenant (`docker stats --no-stream`). */
export async function tenantStats(cp: ControlPlane, name: string): Promise<TenantStats> {
  validateTenantName(name);
  const record = await cp.tenants.find(name);
  if (!record) throw tenantNotFound(name);
  await assertDockerReachable(cp.docker);
  const { containers } = await findTenantObjects(cp.docker, name);
  const running = containers.filter((container) => container.State === "running");
  const samples = await Promise.all(
    running.map(async (container) => {
      const sample = (await cp.docker
        .getContainer(container.Id)
        .stats({ stream: false })) as StatsSample;
      return {
        role: container.Labels?.[LABEL.role] ?? "?",
        container: (container.Names[0] ?? "").replace(/^\//, ""),
        cpuPercent: cpuPercentOf(sample),
        memoryBytes: memoryBytesOf(sample),
        memoryLimitBytes: sample.memory_stats?.limit ?? 0,
      };
    }),
  );
  samples.sort((a, b) => a.role.localeCompare(b.role));
  return {
    name,
    sampledAt: new Date().toISOString(),
    containers: samples,
    totals: {
      cpuPercent: Math.round(samples.reduce((sum, s) => sum + s.cpuPercent, 0) * 100) / 100,
      memoryBytes: samples.reduce((sum, s) => sum + s.memoryBytes, 0),
    },
  };
}
