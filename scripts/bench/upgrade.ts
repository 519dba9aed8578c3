/**
 * `npm run bench:upgrade`: creates a tenant, tags this release's images as two bench versions
 * and upgrades back and forth between them (BENCH_UPGRADES times) while polling /readyz every
 * 20 ms, as a browser would. Prints JSON: the longest run of failed requests per upgrade (the
 * switch window; goal ≤ 2 s), failed requests, the library's own switch timing and the whole
 * upgrade. Everything it creates (tenant, image tags) is removed at the end.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  ATENDE_VERSION,
  destroyTenant,
  IMAGE_NAMES,
  imageReferences,
  openControlPlane,
  provisionTenant,
  upgradeTenant,
} from "@atende/control-plane";

const UPGRADES = Number(process.env.BENCH_UPGRADES ?? 4);
const POLL_MS = 20;

const home = await mkdtemp(path.join(tmpdir(), "atende-bench-"));
const cp = await openControlPlane({
  env: {
    ...process.env,
    ATENDE_HOME: home,
    ATENDE_PORT_RANGE: "41200-41300",
    ATENDE_LOG_LEVEL: "warn",
  },
});
const suffix = randomBytes(2).toString("hex");
const name = `bench-up-${suffix}`;
const versions = [`${ATENDE_VERSION}-bench-a${suffix}`, `${ATENDE_VERSION}-bench-b${suffix}`];
const current = imageReferences(cp.config, ATENDE_VERSION);

/** Polls `url` until `work` settles; the longest run of failures and how many failed. */
async function pollDuring(url: string, work: Promise<unknown>) {
  let done = false;
  let longestMs = 0;
  let failed = 0;
  let total = 0;
  let firstFailure: number | undefined;
  const poller = (async () => {
    while (!done) {
      const at = performance.now();
      const ok = await fetch(url, { signal: AbortSignal.timeout(2000) })
        .then(async (response) => {
          await response.arrayBuffer();
          return response.status === 200;
        })
        .catch(() => false);
      total++;
      if (ok) {
        if (firstFailure !== undefined)
          longestMs = Math.max(longestMs, performance.now() - firstFailure);
        firstFailure = undefined;
      } else {
        failed++;
        firstFailure ??= at;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  })();
  try {
    await work;
    await new Promise((resolve) => setTimeout(resolve, 300));
  } finally {
    // Stop polling even when the upgrade failed, so the benchmark exits.
    done = true;
    await poller;
  }
  if (firstFailure !== undefined) longestMs = Math.max(longestMs, performance.now() - firstFailure);
  return { longestMs: Math.round(longestMs), failed, total };
}

try {
  for (const version of versions)
    for (const image of IMAGE_NAMES)
      await cp.docker
        .getImage(current[image])
        .tag({ repo: `${cp.config.ATENDE_IMAGE_PREFIX}/${image}`, tag: version });
  const created = await provisionTenant(cp, { name, adminEmail: `admin@${name}.example` });
  const readyUrl = `${created.url}/readyz`;
  const runs: Array<{
    to: string;
    longestFailureMs: number;
    failedRequests: number;
    requests: number;
    switchMs: number | null;
    upgradeMs: number;
  }> = [];
  for (let i = 0; i < UPGRADES; i++) {
    const to = versions[i % 2] as string;
    let upgraded: Awaited<ReturnType<typeof upgradeTenant>> | undefined;
    const polled = await pollDuring(
      readyUrl,
      upgradeTenant(cp, { name, to }).then((result) => {
        upgraded = result;
      }),
    );
    runs.push({
      to,
      longestFailureMs: polled.longestMs,
      failedRequests: polled.failed,
      requests: polled.total,
      switchMs: upgraded?.switchMs ?? null,
      upgradeMs: upgraded?.durationMs ?? Number.NaN,
    });
  }
  console.log(
    JSON.stringify(
      {
        benchmark: "upgrade",
        upgrades: UPGRADES,
        pollEveryMs: POLL_MS,
        longestFailureMs: { max: Math.max(...runs.map((run) => run.longestFailureMs)) },
        runs,
        goals: { longestFailureMs: 2000 },
      },
      null,
      2,
    ),
  );
} finally {
  await destroyTenant(cp, { name }).catch(() => undefined);
  for (const version of versions)
    for (const image of IMAGE_NAMES)
      await cp.docker
        .getImage(`${cp.config.ATENDE_IMAGE_PREFIX}/${image}:${version}`)
        .remove()
        .catch(() => undefined);
  await cp.close();
  await rm(home, { recursive: true, force: true });
}
