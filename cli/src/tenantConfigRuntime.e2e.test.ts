import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT_CODES } from "./errors.js";
import { docker, e2eHome, leftovers, logIn, randomTenantName } from "./test/e2e.js";

let home: Awaited<ReturnType<typeof e2eHome>>;
const tenant = randomTenantName("cfgw");
const app = `atende-${tenant}-app`;
const adminEmail = "ana@cfgw.example";
// Recognisable secrets: none may show up in any output, the registry, the logs or `docker inspect`.
const accessToken = `EAAG${randomBytes(16).toString("hex")}`;
const appSecret = `appsecret${randomBytes(12).toString("hex")}`;
const verifyToken = `verify${randomBytes(12).toString("hex")}`;
// Replaced by `accessToken` later: both must stay secret.
const firstToken = `EAAGfirst${randomBytes(16).toString("hex")}`;
const SECRETS = [firstToken, accessToken, appSecret, verifyToken];
let url = "";
let cookie = "";

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../bin/atende.js");
const run = (args: string[], stdin?: string) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...process.env, CI: "true", ...home.env }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin ?? "");
  });
const containerIds = async () =>
  Promise.all(
    ["app", "db", "redis"].map(
      async (role) => (await docker.getContainer(`atende-${tenant}-${role}`).inspect()).Id,
    ),
  );
const envOfApp = async () => (await docker.getContainer(app).inspect()).Config.Env;
const whatsappSettings = async () => {
  const response = await fetch(`${url}/api/settings/whatsapp`, { headers: { cookie } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: Record<string, unknown> }).data;
};
const expectNoSecret = (text: string, where: string) => {
  for (const secret of SECRETS) expect(text.includes(secret), where).toBe(false);
};

beforeAll(async () => {
  home = await e2eHome();
  const created = await run(["tenant", "create", tenant, "--admin-email", adminEmail, "--json"]);
  expect(created.code, created.stderr).toBe(0);
  const printed = JSON.parse(created.stdout) as { url: string; oneTimePassword: string };
  url = printed.url;
  const login = await logIn(url, adminEmail, printed.oneTimePassword);
  expect(login.status).toBe(201);
  const changed = await fetch(`${url}/api/me/password`, {
    method: "PUT",
    headers: { "content-type": "application/json", origin: url, cookie: login.cookie ?? "" },
    body: JSON.stringify({
      currentPassword: printed.oneTimePassword,
      newPassword: `Pw-${randomBytes(12).toString("hex")}`,
    }),
  });
  expect(changed.status).toBe(200);
  cookie = changed.headers.get("set-cookie")?.split(";")[0] ?? "";
}, 240_000);

afterAll(async () => {
  await run(["tenant", "destroy", tenant, "--yes"]);
  await home?.dispose();
});

describe("WhatsApp credentials through atende tenant config, on a real Docker engine", () => {
  it("accepts the access token from standard input before the ids, which show as not set yet", async () => {
    const set = await run(
      ["tenant", "config", tenant, "set", "whatsapp.access-token", "-"],
      `${firstToken}\n`,
    );
    expect(set.code, set.stderr).toBe(0);
    expectNoSecret(set.stdout + set.stderr, "output");
    expect(await whatsappSettings()).toMatchObject({
      accessToken: `••••${firstToken.slice(-4)}`,
      configured: false,
    });
    const got = await run(["tenant", "config", tenant, "get", "whatsapp.waba-id"]);
    expect(got.stdout).toMatch(/whatsapp\.waba-id\s+\(not set\)/);
  });

  it("writes them into the tenant's database without re-creating any container; the inbox shows them masked", async () => {
    const before = await containerIds();
    for (const [key, value] of [
      ["whatsapp.phone-number-id", "1234567890"],
      ["whatsapp.waba-id", "9876543210"],
      ["whatsapp.graph-api-version", "v24.0"],
    ] as const) {
      const set = await run(["tenant", "config", tenant, "set", key, value]);
      expect(set.code, set.stderr).toBe(0);
      expect(set.stdout).toMatch(/Re-created:\s+nothing/);
    }
    for (const [key, secret] of [
      ["whatsapp.access-token", accessToken],
      ["whatsapp.app-secret", appSecret],
      ["whatsapp.verify-token", verifyToken],
    ] as const) {
      const set = await run(["tenant", "config", tenant, "set", key, "-", "--json"], `${secret}\n`);
      expect(set.code, set.stderr).toBe(0);
      expect(JSON.parse(set.stdout)).toMatchObject({
        ok: true,
        changed: true,
        recreated: [],
        entry: { key, value: `••••${secret.slice(-4)}` },
      });
      expectNoSecret(set.stdout + set.stderr, key);
    }
    expect(await containerIds()).toEqual(before);

    expect(await whatsappSettings()).toMatchObject({
      configured: true,
      phoneNumberId: "1234567890",
      wabaId: "9876543210",
      graphApiVersion: "v24.0",
      accessToken: `••••${accessToken.slice(-4)}`,
      appSecret: `••••${appSecret.slice(-4)}`,
      verifyToken: `••••${verifyToken.slice(-4)}`,
    });

    const got = await run(["tenant", "config", tenant, "get", "--json"]);
    expect(got.code, got.stderr).toBe(0);
    const settings = JSON.parse(got.stdout).settings as Array<{ key: string; value: unknown }>;
    expect(settings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: "whatsapp.waba-id", value: "9876543210" }),
        expect.objectContaining({
          key: "whatsapp.access-token",
          value: `••••${accessToken.slice(-4)}`,
        }),
      ]),
    );
    expectNoSecret(got.stdout, "get --json");
  });

  it("keeps the secrets out of docker inspect, the logs, the operation history and the registry", async () => {
    const inspected = JSON.stringify(await docker.getContainer(app).inspect());
    expectNoSecret(inspected, "docker inspect");
    const logs = await run(["tenant", "logs", tenant, "--tail", "2000"]);
    expectNoSecret(logs.stdout + logs.stderr, "tenant logs");
    for (const command of [
      ["tenant", "show", tenant, "--json"],
      ["tenant", "config", tenant, "get"],
    ]) {
      const output = await run(command);
      expectNoSecret(output.stdout + output.stderr, command.join(" "));
    }
    const home_ = home.env.ATENDE_HOME as string;
    for (const file of await readdir(home_, { recursive: true })) {
      const bytes = await readFile(path.join(home_, file)).catch(() => Buffer.alloc(0));
      for (const secret of SECRETS) expect(bytes.includes(Buffer.from(secret)), file).toBe(false);
    }
  });

  it("unsets a secret (cleared in the tenant) and a version (back to the default)", async () => {
    for (const key of ["whatsapp.app-secret", "whatsapp.graph-api-version"]) {
      const unset = await run(["tenant", "config", tenant, "unset", key]);
      expect(unset.code, unset.stderr).toBe(0);
    }
    expect(await whatsappSettings()).toMatchObject({
      configured: false,
      appSecret: null,
      graphApiVersion: "v23.0",
      accessToken: `••••${accessToken.slice(-4)}`,
    });
  });

  it("does the same through the staff API: operators change, viewers read masked values only", async () => {
    // `atende control-plane serve` over the same registry, as staff would run it.
    const port = 40_000 + Math.floor(Math.random() * 10_000);
    const server = spawn(
      process.execPath,
      [bin, "control-plane", "serve", "--port", String(port)],
      {
        env: { ...process.env, CI: "true", ...home.env },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const staffUrl = `http://127.0.0.1:${port}`;
    const staff = {
      request: async (
        method: string,
        route: string,
        options: { cookie: string; body?: unknown },
      ) => {
        const response = await fetch(`${staffUrl}${route}`, {
          method,
          headers: {
            accept: "application/json",
            cookie: options.cookie,
            ...(method === "GET" ? {} : { origin: staffUrl, "content-type": "application/json" }),
          },
          ...(method === "GET" ? {} : { body: JSON.stringify(options.body ?? {}) }),
        });
        return {
          status: response.status,
          body: (await response.json()) as Record<string, unknown> & { data?: unknown },
        };
      },
      signIn: async (role: string) => {
        const email = `${role}-${randomBytes(3).toString("hex")}@cfgw.example`;
        const created = await run([
          "control-plane",
          "create-staff",
          "--email",
          email,
          "--role",
          role,
          "--json",
        ]);
        expect(created.code, created.stderr).toBe(0);
        const { oneTimePassword } = JSON.parse(created.stdout) as { oneTimePassword: string };
        const response = await fetch(`${staffUrl}/api/session`, {
          method: "POST",
          headers: { origin: staffUrl, "content-type": "application/json" },
          body: JSON.stringify({ email, password: oneTimePassword }),
        });
        expect(response.status).toBe(200);
        return response.headers.getSetCookie()[0]?.split(";")[0] ?? "";
      },
    };
    try {
      await new Promise<void>((resolve, reject) => {
        server.stdout.on("data", (chunk: Buffer) => {
          if (chunk.toString().includes("listening on")) resolve();
        });
        server.once("exit", (code) => reject(new Error(`serve exited with ${code}`)));
      });
      const operator = await staff.signIn("operator");
      const viewer = await staff.signIn("viewer");
      const before = await containerIds();
      const put = await staff.request(
        "PUT",
        `/api/tenants/${tenant}/config/whatsapp.phone-number-id`,
        {
          cookie: operator,
          body: { value: "5550001" },
        },
      );
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      expect(put.body.data).toMatchObject({
        changed: true,
        recreated: [],
        entry: { value: "5550001" },
      });
      const denied = await staff.request("PUT", `/api/tenants/${tenant}/config/whatsapp.waba-id`, {
        cookie: viewer,
        body: { value: "1" },
      });
      expect(denied.status).toBe(403);
      const read = await staff.request("GET", `/api/tenants/${tenant}/config`, { cookie: viewer });
      expect(read.status).toBe(200);
      const settings = (read.body.data as { settings: Array<{ key: string; value: unknown }> })
        .settings;
      expect(settings).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ key: "whatsapp.phone-number-id", value: "5550001" }),
          expect.objectContaining({
            key: "whatsapp.access-token",
            value: `••••${accessToken.slice(-4)}`,
          }),
        ]),
      );
      expectNoSecret(JSON.stringify(read.body), "GET /api/tenants/:name/config");
      const refused = await staff.request("PUT", `/api/tenants/${tenant}/config/whatsapp.waba-id`, {
        cookie: operator,
        body: { value: "12ab" },
      });
      expect(refused).toMatchObject({ status: 400, body: { error: "invalid_option" } });
      expect(await containerIds()).toEqual(before);
      expect(await whatsappSettings()).toMatchObject({ phoneNumberId: "5550001" });
    } finally {
      if (server.exitCode === null && server.signalCode === null) {
        const exited = new Promise((resolve) => server.once("exit", resolve));
        server.kill("SIGTERM");
        await exited;
      }
    }
  });

  it("refuses bad values with exit code 2, changing nothing", async () => {
    const before = await containerIds();
    const envBefore = await envOfApp();
    for (const [key, value] of [
      ["whatsapp.waba-id", "12ab"],
      ["whatsapp.graph-api-version", "24"],
      ["whatsapp.graph-api-base-url", "ftp://graph.example"],
      ["domain", "https://chat.acme.example"],
      ["domain", "10.0.0.1"],
      ["domain", "chat.acme.example:8443"],
      ["retention.months", "0"],
      ["retention.months", "121"],
      ["retention.mode", "shred"],
    ] as const) {
      const bad = await run(["tenant", "config", tenant, "set", key, value]);
      expect(bad.code, `${key}=${value}`).toBe(EXIT_CODES.invalidInput);
      expect(bad.stderr).toContain(`for ${key}: it must`);
    }
    const wrongSecret = await run(
      ["tenant", "config", tenant, "set", "whatsapp.access-token", "-"],
      "two words",
    );
    expect(wrongSecret.code).toBe(EXIT_CODES.invalidInput);
    expect(wrongSecret.stderr).not.toContain("two words");
    expect(await containerIds()).toEqual(before);
    expect(await envOfApp()).toEqual(envBefore);
    expect(await whatsappSettings()).toMatchObject({ wabaId: "9876543210" });
  });

  it("passes retention to the app as RETENTION_MONTHS and RETENTION_MODE", async () => {
    const months = await run(["tenant", "config", tenant, "set", "retention.months", "24"]);
    expect(months.code, months.stderr).toBe(0);
    expect(months.stdout).toMatch(/Re-created:\s+app\n/);
    const mode = await run(["tenant", "config", tenant, "set", "retention.mode", "delete"]);
    expect(mode.code, mode.stderr).toBe(0);
    const env = await envOfApp();
    expect(env).toContain("RETENTION_MONTHS=24");
    expect(env).toContain("RETENTION_MODE=delete");
    // The WhatsApp settings live in the database: re-creating the app keeps them.
    expect(await whatsappSettings()).toMatchObject({ phoneNumberId: "5550001" });
  });

  it("makes https://<domain> the PUBLIC_URL, unless public-url is set explicitly", async () => {
    const domain = await run([
      "tenant",
      "config",
      tenant,
      "set",
      "domain",
      `Chat.${tenant}.Example`,
    ]);
    expect(domain.code, domain.stderr).toBe(0);
    expect(await envOfApp()).toContain(`PUBLIC_URL=https://chat.${tenant}.example`);
    const got = await run(["tenant", "config", tenant, "get", "domain", "--json"]);
    expect(JSON.parse(got.stdout).settings).toEqual([
      expect.objectContaining({ key: "domain", value: `chat.${tenant}.example` }),
    ]);

    const explicit = await run([
      "tenant",
      "config",
      tenant,
      "set",
      "public-url",
      "https://inbox.acme.example",
    ]);
    expect(explicit.code, explicit.stderr).toBe(0);
    expect(await envOfApp()).toContain("PUBLIC_URL=https://inbox.acme.example");
    const unset = await run(["tenant", "config", tenant, "unset", "public-url"]);
    expect(unset.code, unset.stderr).toBe(0);
    expect(await envOfApp()).toContain(`PUBLIC_URL=https://chat.${tenant}.example`);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });

  it("destroys the tenant without leftovers", async () => {
    const destroyed = await run(["tenant", "destroy", tenant, "--yes"]);
    expect(destroyed.code, destroyed.stderr).toBe(0);
    expect(await leftovers(tenant)).toEqual([]);
  });
});
