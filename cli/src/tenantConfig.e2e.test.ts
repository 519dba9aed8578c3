import { randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT_CODES } from "./errors.js";
import {
  atende,
  docker,
  e2eHome,
  leftovers,
  nodeInContainer,
  randomTenantName,
} from "./test/e2e.js";

let home: Awaited<ReturnType<typeof e2eHome>>;
const tenant = randomTenantName("cfg");
const copy = randomTenantName("cfgcopy");
const app = `atende-${tenant}-app`;
// A recognisable secret: it must never show up in any output or in the registry in clear.
const apiKey = `fila-${randomBytes(12).toString("hex")}`;
const SERVICES = ["runtime", "mariadb", "redis"] as const;
// The same images under another release tag: an upgrade to it must keep the settings.
const release = `0.1.0-cfg${randomBytes(3).toString("hex")}`;

const run = (args: string[]) => atende(args, home.env);
const containerIds = async () =>
  Object.fromEntries(
    await Promise.all(
      ["app", "db", "redis"].map(
        async (role) =>
          [role, (await docker.getContainer(`atende-${tenant}-${role}`).inspect()).Id] as const,
      ),
    ),
  );

beforeAll(async () => {
  home = await e2eHome();
  const created = await run(["tenant", "create", tenant, "--admin-email", "a@cfg.example"]);
  expect(created.code, created.stderr).toBe(0);
});

afterAll(async () => {
  for (const name of [tenant, copy]) await run(["tenant", "destroy", name, "--yes"]);
  await home.dispose();
  for (const service of SERVICES)
    await docker
      .getImage(`atende/${service}:${release}`)
      .remove()
      .catch(() => undefined);
});

describe("atende tenant config, end to end on a real Docker engine", () => {
  it("sets the time zone: only the app is re-created, and it runs with TZ", async () => {
    const before = await containerIds();
    const set = await run(["tenant", "config", tenant, "set", "timezone", "America/Manaus"]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain("timezone");
    expect(set.stdout).toMatch(/Re-created:\s+app\n/);
    const after = await containerIds();
    expect(after.app).not.toBe(before.app);
    expect(after.db).toBe(before.db);
    expect(after.redis).toBe(before.redis);
    const tz = await nodeInContainer(app, "console.log(String(process.env.TZ))");
    expect(tz.output).toBe("America/Manaus");

    const again = await run(["tenant", "config", tenant, "set", "timezone", "America/Manaus"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("nothing changed");
    expect((await containerIds()).app).toBe(after.app);

    const got = await run(["tenant", "config", tenant, "get", "timezone", "--json"]);
    expect(JSON.parse(got.stdout).settings).toEqual([
      expect.objectContaining({ key: "timezone", value: "America/Manaus" }),
    ]);
  });

  it("keeps the FILA-IA key secret: masked by get, absent from show/list/logs and the registry", async () => {
    const set = await run(["tenant", "config", tenant, "set", "fila-ia.api-key", apiKey, "--json"]);
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ ok: true, recreated: ["app"] });
    const env = await nodeInContainer(app, "console.log(String(process.env.FILA_IA_API_KEY))");
    expect(env.output).toBe(apiKey);

    const get = await run(["tenant", "config", tenant, "get"]);
    expect(get.code).toBe(0);
    expect(get.stdout).toContain(`••••${apiKey.slice(-4)}`);
    const outputs = [
      set,
      get,
      await run(["tenant", "config", tenant, "get", "--json"]),
      await run(["tenant", "show", tenant]),
      await run(["tenant", "show", tenant, "--json"]),
      await run(["tenant", "list", "--json"]),
      await run(["tenant", "logs", tenant, "--tail", "500"]),
    ];
    for (const output of outputs) {
      expect(output.stdout).not.toContain(apiKey);
      expect(output.stderr).not.toContain(apiKey);
    }
    // The registry (and anything else in the control plane's home) holds it only sealed.
    const home_ = home.env.ATENDE_HOME as string;
    for (const file of await readdir(home_, { recursive: true })) {
      const bytes = await readFile(path.join(home_, file)).catch(() => Buffer.alloc(0));
      expect(bytes.includes(Buffer.from(apiKey)), file).toBe(false);
    }
  });

  it("changes the app's memory limit by re-creating it", async () => {
    const set = await run(["tenant", "config", tenant, "set", "app.memory", "320m"]);
    expect(set.code, set.stderr).toBe(0);
    const info = await docker.getContainer(app).inspect();
    expect(info.HostConfig.Memory).toBe(320 * 1024 * 1024);
    expect((await fetch(`${await tenantUrl()}/readyz`)).status).toBe(200);
  });

  it("refuses unknown keys and bad values with exit code 2, changing nothing", async () => {
    const before = await containerIds();
    const unknown = await run(["tenant", "config", tenant, "set", "colour", "blue"]);
    expect(unknown.code).toBe(EXIT_CODES.invalidInput);
    expect(unknown.stderr).toContain("timezone, public-url");
    for (const [key, value] of [
      ["timezone", "Mars/Olympus"],
      ["app.memory", "1t"],
      ["app.memory", "4m"],
      ["public-url", "ftp://acme.example"],
      ["log-level", "loud"],
    ] as const) {
      const bad = await run(["tenant", "config", tenant, "set", key, value]);
      expect(bad.code, `${key}=${value}`).toBe(EXIT_CODES.invalidInput);
      expect(bad.stderr).toContain(`for ${key}: it must`);
    }
    expect(await containerIds()).toEqual(before);
  });

  it("keeps the settings through an upgrade", async () => {
    for (const service of SERVICES)
      await docker
        .getImage(`atende/${service}:0.1.0`)
        .tag({ repo: `atende/${service}`, tag: release });
    const upgraded = await run(["tenant", "upgrade", tenant, "--to", release, "--json"]);
    expect(upgraded.code, upgraded.stderr).toBe(0);
    expect(upgraded.stdout).not.toContain(apiKey);
    const info = await docker.getContainer(app).inspect();
    expect(info.Config.Image).toBe(`atende/runtime:${release}`);
    expect(info.HostConfig.Memory).toBe(320 * 1024 * 1024);
    expect(info.Config.Env).toContain("TZ=America/Manaus");
    expect(info.Config.Env).toContain(`FILA_IA_API_KEY=${apiKey}`);
  });

  it("carries the settings into a copy restored from a backup", async () => {
    const backup = await run(["tenant", "backup", tenant, "--json"]);
    expect(backup.code, backup.stderr).toBe(0);
    const { id } = JSON.parse(backup.stdout) as { id: string };
    const restored = await run(["tenant", "restore", tenant, "--from", id, "--as", copy, "--json"]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).not.toContain(apiKey);
    const info = await docker.getContainer(`atende-${copy}-app`).inspect();
    expect(info.Config.Env).toContain("TZ=America/Manaus");
    expect(info.Config.Env).toContain(`FILA_IA_API_KEY=${apiKey}`);
    expect(info.HostConfig.Memory).toBe(320 * 1024 * 1024);
    const got = await run(["tenant", "config", copy, "get", "fila-ia.api-key"]);
    expect(got.stdout).toContain(`••••${apiKey.slice(-4)}`);
    const destroyed = await run(["tenant", "destroy", copy, "--yes"]);
    expect(destroyed.code, destroyed.stderr).toBe(0);
    expect(await leftovers(copy)).toEqual([]);
  });

  it("unsets the time zone: back to the template's default", async () => {
    const unset = await run(["tenant", "config", tenant, "unset", "timezone"]);
    expect(unset.code, unset.stderr).toBe(0);
    expect((await nodeInContainer(app, "console.log(String(process.env.TZ))")).output).toBe(
      "undefined",
    );
    // The other settings stay applied.
    expect((await docker.getContainer(app).inspect()).HostConfig.Memory).toBe(320 * 1024 * 1024);
  });

  it("destroys the tenant without leftovers", async () => {
    const destroyed = await run(["tenant", "destroy", tenant, "--yes"]);
    expect(destroyed.code, destroyed.stderr).toBe(0);
    expect(await leftovers(tenant)).toEqual([]);
  });
});

async function tenantUrl(): Promise<string> {
  const shown = await run(["tenant", "show", tenant, "--json"]);
  return (JSON.parse(shown.stdout) as { url: string }).url;
}
