import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  atende,
  docker,
  e2eHome,
  leftovers,
  logIn,
  nodeInContainer,
  randomTenantName,
  tcpProbe,
} from "./test/e2e.js";

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../bin/atende.js");

interface Created {
  tenant: string;
  url: string;
  adminEmail: string;
  oneTimePassword: string;
}

let home: Awaited<ReturnType<typeof e2eHome>>;
const a = randomTenantName("e2ea");
const b = randomTenantName("e2eb");
const created: Record<string, Created> = {};

beforeAll(async () => {
  home = await e2eHome();
});

afterAll(async () => {
  // Whatever happened above, leave nothing behind.
  for (const tenant of [a, b]) await atende(["tenant", "destroy", tenant, "--yes"], home.env);
  await home.dispose();
});

describe("two tenants, end to end on a real Docker engine", () => {
  it("creates both and prints the inbox URL, the admin e-mail and a one-time password", async () => {
    for (const tenant of [a, b]) {
      const run = await atende(
        ["tenant", "create", tenant, "--admin-email", `admin@${tenant}.example`, "--json"],
        home.env,
      );
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      const result = JSON.parse(run.stdout) as Created & { ok: boolean };
      expect(result).toMatchObject({ ok: true, tenant, adminEmail: `admin@${tenant}.example` });
      expect(result.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(result.oneTimePassword.length).toBeGreaterThanOrEqual(16);
      created[tenant] = result;
    }
    expect(created[a]?.url).not.toBe(created[b]?.url);
  });

  it("serves a ready inbox that the printed credentials log in to", async () => {
    for (const tenant of [a, b]) {
      const { url, adminEmail, oneTimePassword } = created[tenant] as Created;
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      const page = await fetch(`${url}/login`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("<");

      const wrong = await logIn(url, adminEmail, `${oneTimePassword}x`);
      expect(wrong.status).toBe(401);
      const login = await logIn(url, adminEmail, oneTimePassword);
      expect(login.status).toBe(201);
      expect(login.cookie).toMatch(/^atende_session=/);
      const me = await fetch(`${url}/api/me`, { headers: { cookie: login.cookie ?? "" } });
      expect(me.status).toBe(200);
      expect(JSON.stringify(await me.json())).toContain(adminEmail);
    }
  });

  it("does not publish the database or Redis on the host", async () => {
    for (const tenant of [a, b]) {
      for (const role of ["db", "redis"]) {
        const info = await docker.getContainer(`atende-${tenant}-${role}`).inspect();
        expect(info.HostConfig.PortBindings ?? {}).toEqual({});
        const bound = Object.values(info.NetworkSettings.Ports ?? {}).filter(
          (bindings) => bindings && bindings.length > 0,
        );
        expect(bound).toEqual([]);
        expect(Object.keys(info.NetworkSettings.Networks)).toEqual([`atende-${tenant}-internal`]);
      }
      const app = await docker.getContainer(`atende-${tenant}-app`).inspect();
      const published = Object.entries(app.NetworkSettings.Ports ?? {}).filter(
        ([, bindings]) => bindings && bindings.length > 0,
      );
      expect(published.map(([port]) => port)).toEqual(["3000/tcp"]);
    }
  });

  it("lets a tenant's app reach its own database, but not another tenant's", async () => {
    const dbA = await docker.getContainer(`atende-${a}-db`).inspect();
    const ipA = dbA.NetworkSettings.Networks[`atende-${a}-internal`]?.IPAddress as string;
    expect(ipA).toMatch(/^\d+\.\d+\.\d+\.\d+$/);

    // Positive control: the probe does detect an open port.
    expect((await nodeInContainer(`atende-${a}-app`, tcpProbe(ipA, 3306))).output).toBe("open");
    expect((await nodeInContainer(`atende-${a}-app`, tcpProbe("db", 3306))).output).toBe("open");

    const byAddress = await nodeInContainer(`atende-${b}-app`, tcpProbe(ipA, 3306));
    expect(byAddress.output).not.toBe("open");
    const byName = await nodeInContainer(`atende-${b}-app`, tcpProbe(`atende-${a}-db`, 3306));
    expect(byName.output).toBe("ENOTFOUND");
  });

  it("lists and shows the tenants without revealing secrets", async () => {
    const list = await atende(["tenant", "list", "--json"], home.env);
    expect(list.code).toBe(0);
    const tenants = JSON.parse(list.stdout) as Array<{
      name: string;
      status: string;
      observed: string;
    }>;
    expect(tenants.map((tenant) => [tenant.name, tenant.status, tenant.observed]).sort()).toEqual(
      [a, b].sort().map((name) => [name, "ready", "running"]),
    );
    const show = await atende(["tenant", "show", a], home.env);
    expect(show.stdout).toContain(`atende-${a}-db`);
    expect(show.stdout.toLowerCase()).not.toContain("password=");
    const doctor = await atende(["doctor", "--json"], home.env);
    // The engine may hold other control planes' tenants; ours must agree with Docker.
    const drift = (
      JSON.parse(doctor.stdout) as { checks: Array<{ id: string; detail: string }> }
    ).checks.find((check) => check.id === "drift");
    expect(drift?.detail).not.toContain(a);
    expect(drift?.detail).not.toContain(b);
  });

  it("never prints or logs the generated secrets", async () => {
    const app = await docker.getContainer(`atende-${a}-app`).inspect();
    const secretNames = ["DATABASE_PASSWORD", "REDIS_PASSWORD", "ENCRYPTION_KEY", "SESSION_SECRET"];
    const secrets = app.Config.Env.filter((entry) =>
      secretNames.includes(entry.split("=")[0] ?? ""),
    ).map((entry) => entry.slice(entry.indexOf("=") + 1));
    expect(secrets).toHaveLength(4);
    const outputs = await Promise.all([
      atende(["tenant", "show", a, "--json"], home.env),
      atende(["tenant", "list", "--json"], home.env),
      atende(["tenant", "logs", a, "--tail", "1000"], home.env),
      atende(["tenant", "logs", a, "--service", "db", "--tail", "1000"], home.env),
      atende(["tenant", "logs", a, "--service", "redis", "--tail", "1000"], home.env),
      atende(["doctor", "--json"], home.env),
    ]);
    const printed = outputs.map((run) => run.stdout + run.stderr).join("\n");
    for (const secret of secrets) expect(printed).not.toContain(secret);
  });

  it("reports drift when Docker holds objects of a tenant the registry does not know", async () => {
    const orphan = randomTenantName("orphan");
    await docker.createVolume({
      Name: `atende-${orphan}-media`,
      Labels: { "atende.managed": "true", "atende.tenant": orphan },
    });
    try {
      const doctor = JSON.parse((await atende(["doctor", "--json"], home.env)).stdout) as {
        checks: Array<{ id: string; status: string; detail: string }>;
      };
      const drift = doctor.checks.find((check) => check.id === "drift");
      expect(drift?.status).toBe("warn");
      expect(drift?.detail).toContain(orphan);
      // destroy cleans up what the registry does not know about.
      expect((await atende(["tenant", "destroy", orphan, "--yes"], home.env)).code).toBe(0);
      expect(await leftovers(orphan)).toEqual([]);
    } finally {
      await docker
        .getVolume(`atende-${orphan}-media`)
        .remove()
        .catch(() => undefined);
    }
  });

  it("refuses a second create of a taken name with exit code 4, changing nothing", async () => {
    const run = await atende(["tenant", "create", a, "--admin-email", "x@y.example"], home.env);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(`A tenant named "${a}" already exists`);
    expect((await fetch(`${created[a]?.url}/readyz`)).status).toBe(200);
  });

  it("stops and starts a tenant", async () => {
    expect((await atende(["tenant", "stop", b], home.env)).code).toBe(0);
    await expect(fetch(`${created[b]?.url}/readyz`)).rejects.toThrow();
    const start = await atende(["tenant", "start", b], home.env);
    expect(start.code).toBe(0);
    expect((await fetch(`${created[b]?.url}/readyz`)).status).toBe(200);
  });

  it("shows the app's logs", async () => {
    const run = await atende(["tenant", "logs", a, "--tail", "50"], home.env);
    expect(run.code).toBe(0);
    expect(run.stdout.length).toBeGreaterThan(0);
    const db = await atende(["tenant", "logs", a, "--service", "db", "--tail", "20"], home.env);
    expect(db.code).toBe(0);
  });

  it("follows the app's logs until Ctrl-C", async () => {
    const child = spawn(process.execPath, [bin, "tenant", "logs", a, "--follow", "--tail", "5"], {
      env: { ...process.env, CI: "true", ...home.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const sawLines = new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    await Promise.race([
      sawLines,
      exited.then((exitCode) => Promise.reject(new Error(`logs exited early with ${exitCode}`))),
    ]);
    // A request makes the app log a new line while we follow.
    await fetch(`${created[a]?.url}/login`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(output.trim().split("\n").length).toBeGreaterThan(1);
  });

  it("destroys both and leaves no container, network or volume labelled with them", async () => {
    for (const tenant of [a, b]) {
      const run = await atende(["tenant", "destroy", tenant, "--yes", "--json"], home.env);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({
        ok: true,
        removed: { containers: 3, networks: 2, volumes: 3 },
      });
      expect(await leftovers(tenant)).toEqual([]);
    }
    expect(JSON.parse((await atende(["tenant", "list", "--json"], home.env)).stdout)).toEqual([]);
  });
});
