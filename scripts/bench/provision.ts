/**
 * `npm run bench:provision`: creates 5 tenants one after another (images present) and prints
 * JSON: create → runtime /readyz 200 per tenant (p50, max), whole create including the first
 * admin, idle memory of one tenant set 60 s after ready (sum of docker stats), and the runtime
 * image size. Everything it creates is destroyed at the end.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  ATENDE_VERSION,
  destroyTenant,
  dockerNames,
  imageReferences,
  openControlPlane,
  provisionTenant,
} from "@atende/control-plane";

const TENANTS = Number(process.env.BENCH_TENANTS ?? 5);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 60);

const home = await mkdtemp(path.join(tmpdir(), "atende-bench-"));
const cp = await openControlPlane({
  env: {
    ...process.env,
    ATENDE_HOME: home,
    ATENDE_PORT_RANGE: "41000-41100",
    ATENDE_LOG_LEVEL: "warn",
  },
});
const names = Array.from(
  { length: TENANTS },
  (_, i) => `bench-${randomBytes(2).toString("hex")}-${i}`,
);
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
};
const memoryMiB = async (container: string) => {
  const stats = (await cp.docker.getContainer(container).stats({ stream: false })) as {
    memory_stats: {
      usage?: number;
      stats?: { cache?: number; inactive_file?: number; total_inactive_file?: number };
    };
  };
  // docker stats subtracts the page cache (cgroup v1: cache / total_inactive_file; v2: inactive_file).
  const usage = stats.memory_stats.usage ?? 0;
  const cache =
    stats.memory_stats.stats?.total_inactive_file ??
    stats.memory_stats.stats?.inactive_file ??
    stats.memory_stats.stats?.cache ??
    0;
  return (usage - cache) / 1024 ** 2;
};

try {
  const toReady: number[] = [];
  const whole: number[] = [];
  for (const name of names) {
    const started = performance.now();
    let readyAt = Number.NaN;
    await provisionTenant(cp, {
      name,
      adminEmail: `admin@${name}.example`,
      onProgress: (event) => {
        if (event.step.id === "ready" && event.state === "succeeded") readyAt = performance.now();
      },
    });
    toReady.push(readyAt - started);
    whole.push(performance.now() - started);
  }

  const first = names[0] as string;
  await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
  const memory: Record<string, number> = {};
  for (const role of ["app", "db", "redis"])
    memory[role] = Number((await memoryMiB(dockerNames.container(first, role))).toFixed(1));
  const total = Object.values(memory).reduce((sum, value) => sum + value, 0);

  const runtimeImage = await cp.docker
    .getImage(imageReferences(cp.config, ATENDE_VERSION).runtime)
    .inspect();
  const round = (ms: number) => Math.round(ms);
  console.log(
    JSON.stringify(
      {
        benchmark: "provision",
        tenants: TENANTS,
        createToReadyMs: {
          p50: round(percentile(toReady, 50)),
          max: round(Math.max(...toReady)),
          each: toReady.map(round),
        },
        createWithFirstAdminMs: {
          p50: round(percentile(whole, 50)),
          max: round(Math.max(...whole)),
        },
        idleMemoryMiB: { afterSeconds: IDLE_SECONDS, ...memory, total: Number(total.toFixed(1)) },
        runtimeImageMB: Number((runtimeImage.Size / 1e6).toFixed(1)),
        goals: {
          createToReadyP50Ms: 3000,
          limitP50Ms: 5000,
          idleMemoryMiB: 128,
          limitIdleMemoryMiB: 160,
          runtimeImageMB: 140,
          limitRuntimeImageMB: 160,
        },
      },
      null,
      2,
    ),
  );
} finally {
  for (const name of names) await destroyTenant(cp, { name }).catch(() => undefined);
  await cp.close();
  await rm(home, { recursive: true, force: true });
}
