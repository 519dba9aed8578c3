import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT_CODES } from "./errors.js";
import { atende, docker, e2eHome, logIn, randomTenantName, sqlInTenant } from "./test/e2e.js";

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../bin/atende.js");
const SERVICES = ["runtime", "mariadb", "redis"] as const;
const BASE = "0.1.0";
const suffix = randomBytes(3).toString("hex");
const good = `${BASE}-up${suffix}`;
const second = `${BASE}-up2${suffix}`;
const broken = `${BASE}-broken${suffix}`;
const lateBroken = `${BASE}-late${suffix}`;
const badMigration = `${BASE}-mig${suffix}`;
const a = randomTenantName("up");
const b = randomTenantName("up");
let home: Awaited<ReturnType<typeof e2eHome>>;
let url = "";
const user = { email: `second@${a}.example`, password: "" };

const run = (args: string[]) => atende(args, home.env);
const json = <T>(text: string) => JSON.parse(text) as T;
const show = async (tenant: string) =>
  json<{ appVersion: string; images: Record<string, string> }>(
    (await run(["tenant", "show", tenant, "--json"])).stdout,
  );

/** Tags the current images as another release (the same bits under a new version). */
async function tagRelease(version: string): Promise<void> {
  for (const service of SERVICES)
    await docker
      .getImage(`atende/${service}:${BASE}`)
      .tag({ repo: `atende/${service}`, tag: version });
}

/**
 * A runtime image that exits at once (`cmd`): it never passes its health check. `mariadb` and
 * `redis` of the same version are tags of the current ones.
 */
async function buildBrokenRuntime(
  version: string,
  cmd = ["node", "-e", "process.exit(1)"],
  entrypoint: string[] = [],
): Promise<void> {
  const context = await mkdtemp(path.join(tmpdir(), "atende-broken-"));
  try {
    const lines = [
      `FROM atende/runtime:${BASE}`,
      ...(entrypoint.length > 0 ? [`ENTRYPOINT ${JSON.stringify(entrypoint)}`] : []),
      ...(cmd.length > 0 ? [`CMD ${JSON.stringify(cmd)}`] : []),
    ];
    await writeFile(path.join(context, "Dockerfile"), `${lines.join("\n")}\n`);
    await promisify(execFile)("docker", [
      "build",
      "-q",
      "-t",
      `atende/runtime:${version}`,
      context,
    ]);
  } finally {
    await rm(context, { recursive: true, force: true });
  }
  for (const service of ["mariadb", "redis"])
    await docker
      .getImage(`atende/${service}:${BASE}`)
      .tag({ repo: `atende/${service}`, tag: version });
}

/** Creates a user with the runtime's own command; returns its one-time password. */
async function createUser(tenant: string, email: string): Promise<string> {
  const exec = await docker.getContainer(`atende-${tenant}-app`).exec({
    Cmd: ["node", "/app/main.js", "create-admin", "--email", email],
    AttachStdout: true,
    AttachStderr: true,
    Tty: true,
  });
  const stream = await exec.start({ hijack: true, stdin: false, Tty: true });
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  await new Promise((resolve) => stream.on("end", resolve));
  const line = Buffer.concat(chunks).toString("utf8").trim().split("\n").at(-1) ?? "";
  return (JSON.parse(line) as { password: string }).password;
}

/**
 * Polls /readyz every 50 ms while `during` runs, as a customer's browser would. Returns the
 * outages (stretches without a 200, from the first failed request to the next good one), how
 * many polls succeeded before the first outage, and how long `during` took.
 */
async function outagesDuring<T>(
  readyUrl: string,
  during: Promise<T>,
): Promise<{ result: T; outagesMs: number[]; answeredBefore: number; totalMs: number }> {
  const started = Date.now();
  let done = false;
  const outagesMs: number[] = [];
  let answeredBefore = 0;
  const poller = (async () => {
    let firstFailure: number | undefined;
    while (!done) {
      const at = Date.now();
      const ok = await fetch(readyUrl, { signal: AbortSignal.timeout(2000) })
        .then(async (response) => {
          await response.arrayBuffer();
          return response.status === 200;
        })
        .catch(() => false);
      if (ok) {
        if (firstFailure !== undefined) outagesMs.push(Date.now() - firstFailure);
        else if (outagesMs.length === 0) answeredBefore++;
        firstFailure = undefined;
      } else {
        firstFailure ??= at;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (firstFailure !== undefined) outagesMs.push(Date.now() - firstFailure);
  })();
  const result = await during;
  const totalMs = Date.now() - started;
  // A few more polls: the outage is over only once the app answers again.
  await new Promise((resolve) => setTimeout(resolve, 300));
  done = true;
  await poller;
  return { result, outagesMs, answeredBefore, totalMs };
}

const containerNames = async (tenant: string) =>
  (await docker.listContainers({ all: true, filters: { label: [`atende.tenant=${tenant}`] } }))
    .map((container) => container.Names[0]?.replace(/^\//, ""))
    .sort();

beforeAll(async () => {
  home = await e2eHome();
  await tagRelease(good);
  await tagRelease(second);
  await buildBrokenRuntime(broken);
  // Healthy beside the old app (hostname app-next), crashing once it is the published app:
  // a failure after the switch, which must bring the old container back.
  // Its migrations run for a few seconds, then fail (as one that broke half-way would).
  await buildBrokenRuntime(
    badMigration,
    [],
    [
      "node",
      "-e",
      "if (process.argv.includes('migrate')) setTimeout(() => process.exit(1), 6000); else import('/app/main.js')",
      "--",
    ],
  );
  await buildBrokenRuntime(lateBroken, [
    "node",
    "-e",
    "if (require('os').hostname() === 'app') process.exit(1); else import('/app/main.js')",
  ]);
});

afterAll(async () => {
  for (const tenant of [a, b]) await run(["tenant", "destroy", tenant, "--yes"]);
  await home.dispose();
  for (const version of [good, second, broken, lateBroken, badMigration])
    for (const service of SERVICES)
      await docker
        .getImage(`atende/${service}:${version}`)
        .remove()
        .catch(() => undefined);
});

describe("tenant upgrade, end to end on a real Docker engine", () => {
  it("upgrades a serving tenant with at most a short switch, keeping its data", async () => {
    const created = await run(["tenant", "create", a, "--admin-email", `a@${a}.example`, "--json"]);
    expect(created.code).toBe(0);
    url = json<{ url: string }>(created.stdout).url;
    user.password = await createUser(a, user.email);

    const { result, outagesMs, answeredBefore, totalMs } = await outagesDuring(
      `${url}/readyz`,
      run(["tenant", "upgrade", a, "--to", good, "--json"]),
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const upgraded = json<{ from: string; to: string; changed: boolean; backupId: string }>(
      result.stdout,
    );
    expect(upgraded).toMatchObject({ from: BASE, to: good, changed: true });
    expect(upgraded.backupId).toMatch(/^\d{8}T\d{6}Z-/);
    // Served through the backup, the migrations and the new app's health gate; unreachable only
    // once, for the switch. How short that is, is a figure of `npm run bench:upgrade` (goal
    // ≤ 2 s), not a timed assertion here: this host runs other suites beside this one.
    console.info(`upgrade: outages ${outagesMs.join(", ")} ms of ${totalMs} ms`);
    expect(outagesMs).toHaveLength(1);
    expect(answeredBefore).toBeGreaterThan(10);
    expect(outagesMs[0]).toBeLessThan(totalMs / 2);

    expect((await logIn(url, user.email, user.password)).status).toBe(201);
    const record = await show(a);
    expect(record.appVersion).toBe(good);
    expect(record.images.runtime).toBe(`atende/runtime:${good}`);
    const app = await docker.getContainer(`atende-${a}-app`).inspect();
    expect(app.Config.Image).toBe(`atende/runtime:${good}`);
    expect(await containerNames(a)).toEqual([
      `atende-${a}-app`,
      `atende-${a}-db`,
      `atende-${a}-redis`,
    ]);
    const backups = json<Array<{ kind: string; status: string }>>(
      (await run(["tenant", "backups", a, "--json"])).stdout,
    );
    expect(backups[0]).toMatchObject({ kind: "pre-upgrade", status: "succeeded" });
  });

  it("says so when the tenant already runs the release, and refuses a missing one", async () => {
    const same = await run(["tenant", "upgrade", a, "--to", good]);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain(`already runs ${good}`);

    const missing = await run(["tenant", "upgrade", a, "--to", `9.9.9-missing${suffix}`]);
    expect(missing.code).toBe(EXIT_CODES.notFound);
    expect(missing.stderr).toContain(`atende/runtime:9.9.9-missing${suffix}`);
  });

  it("rolls a broken release back automatically and keeps serving the previous version", async () => {
    const { result, outagesMs } = await outagesDuring(
      `${url}/readyz`,
      run(["tenant", "upgrade", a, "--to", broken]),
    );
    expect(result.code).toBe(EXIT_CODES.unhealthy);
    expect(result.stderr).toContain(`rolled back to ${good}`);
    // The old app was never touched: the tenant served throughout.
    expect(outagesMs).toEqual([]);

    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect((await logIn(url, user.email, user.password)).status).toBe(201);
    expect((await show(a)).appVersion).toBe(good);
    const app = await docker.getContainer(`atende-${a}-app`).inspect();
    expect(app.Config.Image).toBe(`atende/runtime:${good}`);
    expect(await containerNames(a)).toEqual([
      `atende-${a}-app`,
      `atende-${a}-db`,
      `atende-${a}-redis`,
    ]);
  });

  it("rolls back a release that fails only after the switch", async () => {
    const result = await run(["tenant", "upgrade", a, "--to", lateBroken]);
    expect(result.code).toBe(EXIT_CODES.unhealthy);
    expect(result.stderr).toContain(`rolled back to ${good}`);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect((await logIn(url, user.email, user.password)).status).toBe(201);
    expect((await show(a)).appVersion).toBe(good);
    const app = await docker.getContainer(`atende-${a}-app`).inspect();
    expect(app.Config.Image).toBe(`atende/runtime:${good}`);
    expect(await containerNames(a)).toEqual([
      `atende-${a}-app`,
      `atende-${a}-db`,
      `atende-${a}-redis`,
    ]);
  });

  it("restores the database from the pre-upgrade backup when a migration fails half-way", async () => {
    await sqlInTenant(
      a,
      "CREATE TABLE upgrade_marker (id INT PRIMARY KEY); INSERT INTO upgrade_marker VALUES (1)",
    );
    const upgrade = run(["tenant", "upgrade", a, "--to", badMigration]);
    // While the migration runs, it changes the database (the half-done change a failed
    // migration leaves behind).
    const migrate = docker.getContainer(`atende-${a}-migrate`);
    await expect
      .poll(
        () =>
          migrate.inspect().then(
            (info) => info.State.Running,
            () => false,
          ),
        {
          timeout: 60_000,
          interval: 100,
        },
      )
      .toBe(true);
    await sqlInTenant(a, "INSERT INTO upgrade_marker VALUES (2); DROP TABLE activity_log");

    const result = await upgrade;
    expect(result.code).toBe(EXIT_CODES.unhealthy);
    expect(result.stderr).toContain("database restored from the pre-upgrade backup");
    expect(await sqlInTenant(a, "SELECT id FROM upgrade_marker ORDER BY id")).toBe("1");
    expect(await sqlInTenant(a, "SELECT COUNT(*) > 0 FROM activity_log")).toBe("1");
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect((await logIn(url, user.email, user.password)).status).toBe(201);
    expect((await show(a)).appVersion).toBe(good);
    await sqlInTenant(a, "DROP TABLE upgrade_marker");
  });

  it("upgrades every ready tenant with --all, one at a time", async () => {
    const created = await run(["tenant", "create", b, "--admin-email", `b@${b}.example`, "--json"]);
    expect(created.code).toBe(0);

    const result = await run([
      "tenant",
      "upgrade",
      "--all",
      "--to",
      second,
      "--concurrency",
      "1",
      "--json",
    ]);
    expect(result.code).toBe(0);
    const report = json<{
      ok: boolean;
      tenants: Array<{ tenant: string; state: string; from?: string }>;
    }>(result.stdout);
    expect(report.ok).toBe(true);
    const from: Record<string, string> = { [a]: good, [b]: BASE };
    expect(report.tenants.map((tenant) => [tenant.tenant, tenant.state, tenant.from])).toEqual(
      [a, b].sort().map((tenant) => [tenant, "upgraded", from[tenant]]),
    );
    for (const tenant of [a, b]) expect((await show(tenant)).appVersion).toBe(second);

    // A broken release stops the rolling upgrade at the first tenant; the rest are not touched.
    const failed = await run(["tenant", "upgrade", "--all", "--to", broken, "--json"]);
    expect(failed.code).toBe(EXIT_CODES.unhealthy);
    const stopped = json<{ ok: boolean; tenants: Array<{ tenant: string; state: string }> }>(
      failed.stdout,
    );
    expect(stopped.ok).toBe(false);
    expect(stopped.tenants.map((tenant) => tenant.state).sort()).toEqual(["failed", "not-started"]);
    for (const tenant of [a, b]) expect((await show(tenant)).appVersion).toBe(second);
  });

  it("converges when the CLI is killed in the middle of the switch and run again", async () => {
    const child = spawn(process.execPath, [bin, "tenant", "upgrade", a, "--to", good], {
      env: { ...process.env, CI: "true", ...home.env },
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    let aside = false;
    for (let i = 0; i < 2000 && !aside; i++) {
      aside = (await containerNames(a)).includes(`atende-${a}-app-old`);
      if (!aside) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(aside).toBe(true);
    child.kill("SIGKILL");
    await exited;

    const again = await run(["tenant", "upgrade", a, "--to", good, "--json"]);
    expect(again.stderr).toBe("");
    expect(again.code).toBe(0);
    expect((await show(a)).appVersion).toBe(good);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect((await logIn(url, user.email, user.password)).status).toBe(201);
    expect(await containerNames(a)).toEqual([
      `atende-${a}-app`,
      `atende-${a}-db`,
      `atende-${a}-redis`,
    ]);
  });
});
