import { randomUUID } from "node:crypto";
import { io as connectSocket, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OperationPayload } from "./contracts/api.js";
import type {
  ClientToServerEvents,
  OperationFinishedPayload,
  OperationProgressedPayload,
  ServerToClientEvents,
} from "./contracts/socket-events.js";
import { ROUTES } from "./routes/openapi/document.js";
import { startTestApi, type TestApi } from "./test/apiSupport.js";

// The API over an isolated SQLite registry, with the Docker engine unreachable
// (DOCKER_HOST=unix:///nonexistent.sock): routes that need Docker must answer 503.
let api: TestApi;
/** A well-formed backup id that is in no catalogue. */
const GHOST_BACKUP = "20260101T000000Z-abcdef";
const cookies: Record<"viewer" | "operator" | "owner", string> = {
  viewer: "",
  operator: "",
  owner: "",
};

beforeAll(async () => {
  api = await startTestApi();
  cookies.viewer = await api.signIn("viewer");
  cookies.operator = await api.signIn("operator");
  cookies.owner = await api.signIn("owner");
});
afterAll(async () => {
  await api?.dispose();
});

const registerTenant = (name: string, hostPort: number) =>
  api.cp.tenants.insert({
    name,
    status: "ready",
    templateId: "default",
    templateVersion: 1,
    appVersion: "0.1.0",
    images: { app: "atende/runtime:0.1.0" },
    publishHost: "127.0.0.1",
    hostPort,
    url: `http://127.0.0.1:${hostPort}`,
    adminEmail: "ana@acme.com.br",
    sealedSecrets: "v1:sealed",
    lastOperationId: null,
  });

async function waitForOperation(id: string, cookie: string): Promise<OperationPayload> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const { body } = await api.request("GET", `/api/operations/${id}`, { cookie });
    const operation = body.data as OperationPayload;
    if (operation.status !== "running") return operation;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`operation ${id} still running`);
}

describe("the OpenAPI document", () => {
  it("lists every route the server answers, and nothing else", async () => {
    const { status, body } = await api.request("GET", "/api/openapi.json");
    expect(status).toBe(200);
    expect(body.openapi).toBe("3.1.0");
    const documented = Object.entries(body.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`))
      .sort();
    // Walk Express's router: every router is mounted at the root with full paths.
    type Layer = {
      route?: { path: string; methods: Record<string, boolean> };
      handle?: { stack?: Layer[] };
    };
    const served: string[] = [];
    const walk = (stack: Layer[]) => {
      for (const layer of stack) {
        if (layer.route) {
          for (const method of Object.keys(layer.route.methods))
            served.push(`${method} ${layer.route.path.replace(/:(\w+)/g, "{$1}")}`);
        } else if (layer.handle?.stack) walk(layer.handle.stack);
      }
    };
    walk((api.server.app as unknown as { router: { stack: Layer[] } }).router.stack);
    expect(documented).toEqual([...new Set(served)].sort());
    expect(documented.length).toBe(ROUTES.length);
  });
});

describe("authorisation", () => {
  type Who = "anonymous" | "viewer" | "operator" | "owner";
  const rank: Record<Who, number> = { anonymous: -1, viewer: 0, operator: 1, owner: 2 };
  const needs = { viewer: 0, operator: 1, owner: 2 } as const;
  const ghost = "ghost";
  const cases: Array<{
    method: string;
    path: string;
    body?: (who: Who) => unknown;
    role: keyof typeof needs;
    /** Status once authorised, with Docker unreachable. */
    allowed: number;
  }> = [
    { method: "GET", path: "/api/tenants", role: "viewer", allowed: 200 },
    { method: "GET", path: `/api/tenants/${ghost}`, role: "viewer", allowed: 404 },
    { method: "GET", path: `/api/tenants/${ghost}/stats`, role: "viewer", allowed: 404 },
    { method: "GET", path: `/api/operations/${randomUUID()}`, role: "viewer", allowed: 404 },
    { method: "GET", path: "/api/doctor", role: "viewer", allowed: 200 },
    {
      method: "POST",
      path: "/api/tenants",
      body: (who) => ({ name: `matrix-${who}`, adminEmail: "ana@acme.com.br" }),
      role: "operator",
      allowed: 202,
    },
    { method: "POST", path: `/api/tenants/${ghost}/stop`, role: "operator", allowed: 404 },
    { method: "POST", path: `/api/tenants/${ghost}/start`, role: "operator", allowed: 404 },
    {
      method: "DELETE",
      path: `/api/tenants/${ghost}`,
      body: () => ({ confirm: ghost }),
      role: "owner",
      allowed: 503,
    },
    { method: "GET", path: `/api/tenants/${ghost}/backups`, role: "viewer", allowed: 404 },
    { method: "POST", path: `/api/tenants/${ghost}/backups`, role: "operator", allowed: 404 },
    {
      method: "POST",
      path: `/api/tenants/${ghost}/backups/${GHOST_BACKUP}/verify`,
      role: "operator",
      allowed: 404,
    },
    {
      method: "POST",
      path: `/api/tenants/${ghost}/restore`,
      body: () => ({ from: GHOST_BACKUP, confirm: ghost }),
      role: "owner",
      allowed: 404,
    },
    {
      method: "POST",
      path: `/api/tenants/${ghost}/upgrade`,
      body: () => ({ to: "0.2.0", confirm: ghost }),
      role: "operator",
      allowed: 404,
    },
    { method: "GET", path: "/api/audit", role: "owner", allowed: 200 },
    { method: "GET", path: "/api/staff", role: "owner", allowed: 200 },
    {
      method: "POST",
      path: "/api/staff",
      body: (who) => ({ email: `made-by-${who}@example.com`, role: "viewer" }),
      role: "owner",
      allowed: 201,
    },
    {
      method: "POST",
      path: "/api/staff/nobody@example.com/disable",
      role: "owner",
      allowed: 404,
    },
    {
      method: "POST",
      path: "/api/staff/nobody@example.com/enable",
      role: "owner",
      allowed: 404,
    },
  ];
  const whos: Who[] = ["anonymous", "viewer", "operator", "owner"];

  it.each(
    cases.flatMap((c) =>
      whos.map((who) => [`${c.method} ${c.path.replace(/[0-9a-f-]{36}/, ":id")}`, who, c] as const),
    ),
  )("%s as %s", async (_label, who, c) => {
    const cookie = who === "anonymous" ? undefined : cookies[who];
    const { status, body } = await api.request(c.method, c.path, {
      ...(cookie ? { cookie } : {}),
      ...(c.body ? { body: c.body(who) } : {}),
    });
    const expected = who === "anonymous" ? 401 : rank[who] >= needs[c.role] ? c.allowed : 403;
    expect({ status, error: body.error }).toMatchObject({ status: expected });
    if (expected === 403) expect(body.error).toBe("forbidden");
    if (expected === 401) expect(body.error).toBe("authentication_required");
  });

  it("answers the session of a signed-in member, and 401 after sign-out", async () => {
    const cookie = await api.signIn("viewer");
    const me = await api.request("GET", "/api/session", { cookie });
    expect(me.status).toBe(200);
    expect(me.body.data).toMatchObject({ role: "viewer" });
    expect(JSON.stringify(me.body)).not.toContain("scrypt");
    expect((await api.request("DELETE", "/api/session", { cookie })).status).toBe(200);
    expect((await api.request("GET", "/api/session", { cookie })).status).toBe(401);
    expect((await api.request("GET", "/api/tenants", { cookie })).status).toBe(401);
  });

  it("ends the sessions of a disabled account at once; an owner cannot disable themselves", async () => {
    const cookie = await api.signIn("operator", "leaver@example.com");
    expect((await api.request("GET", "/api/tenants", { cookie })).status).toBe(200);
    const disabled = await api.request("POST", "/api/staff/leaver@example.com/disable", {
      cookie: cookies.owner,
    });
    expect(disabled.body.data).toMatchObject({ email: "leaver@example.com", disabled: true });
    expect((await api.request("GET", "/api/tenants", { cookie })).status).toBe(401);
    const self = await api.request("GET", "/api/session", { cookie: cookies.owner });
    const ownEmail = (self.body.data as { email: string }).email;
    const selfDisable = await api.request("POST", `/api/staff/${ownEmail}/disable`, {
      cookie: cookies.owner,
    });
    expect(selfDisable.status).toBe(400);
  });

  it("sets an HttpOnly, SameSite=Strict session cookie and refuses wrong passwords", async () => {
    const response = await fetch(`${api.url}/api/session`, {
      method: "POST",
      headers: { origin: api.url, "content-type": "application/json" },
      body: JSON.stringify({ email: "nobody@example.com", password: "wrong" }),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toBe("invalid_credentials");
    const login = await fetch(`${api.url}/api/staff`, { headers: { cookie: cookies.owner } });
    expect(login.status).toBe(200);
    const created = await api.request("POST", "/api/staff", {
      cookie: cookies.owner,
      body: { email: "cookie-check@example.com", role: "viewer" },
    });
    const { oneTimePassword } = created.body.data as { oneTimePassword: string };
    const signIn = await fetch(`${api.url}/api/session`, {
      method: "POST",
      headers: { origin: api.url, "content-type": "application/json" },
      body: JSON.stringify({ email: "cookie-check@example.com", password: oneTimePassword }),
    });
    const cookie = signIn.headers.getSetCookie()[0] ?? "";
    expect(cookie).toMatch(/^atende_cp_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
  });
});

describe("CSRF", () => {
  it("refuses a state-changing request without Origin, from another origin or not in JSON", async () => {
    const body = { name: "csrf", adminEmail: "ana@acme.com.br" };
    const noOrigin = await api.request("POST", "/api/tenants", {
      cookie: cookies.owner,
      body,
      origin: null,
    });
    expect([noOrigin.status, noOrigin.body.error]).toEqual([403, "cross_origin_request"]);
    const foreign = await api.request("POST", "/api/tenants", {
      cookie: cookies.owner,
      body,
      origin: "http://evil.example",
    });
    expect([foreign.status, foreign.body.error]).toEqual([403, "cross_origin_request"]);
    const form = await api.request("POST", "/api/tenants", {
      cookie: cookies.owner,
      body: "name=csrf&adminEmail=ana@acme.com.br",
      contentType: "application/x-www-form-urlencoded",
    });
    expect([form.status, form.body.error]).toEqual([415, "unsupported_media_type"]);
    const signIn = await api.request("POST", "/api/session", {
      body: { email: "x@example.com", password: "x" },
      origin: "http://evil.example",
    });
    expect(signIn.status).toBe(403);
  });
});

describe("validation and error mapping", () => {
  it("names the invalid field with a 400 validation_error, never echoing secrets", async () => {
    const badName = await api.request("POST", "/api/tenants", {
      cookie: cookies.operator,
      body: { name: "Bad Name", adminEmail: "ana@acme.com.br" },
    });
    expect(badName.status).toBe(400);
    expect(badName.body).toMatchObject({ ok: false, error: "validation_error", status: 400 });
    expect(badName.body.message).toContain("name");
    const badEmail = await api.request("POST", "/api/tenants", {
      cookie: cookies.operator,
      body: { name: "acme", adminEmail: "not-an-email" },
    });
    expect(badEmail.body.message).toContain("adminEmail");
    const extra = await api.request("POST", "/api/tenants", {
      cookie: cookies.operator,
      body: { name: "acme", adminEmail: "ana@acme.com.br", port: 80 },
    });
    expect(extra.status).toBe(400);
    const badJson = await api.request("POST", "/api/tenants", {
      cookie: cookies.operator,
      body: "{not json",
      contentType: "application/json",
    });
    expect([badJson.status, badJson.body.error]).toEqual([400, "invalid_json"]);
    const login = await api.request("POST", "/api/session", {
      body: { email: "a@b.c", password: "" },
    });
    expect(login.status).toBe(400);
    expect(login.body.message).toContain("password");
    const unknown = await api.request("GET", "/api/nothing-here", { cookie: cookies.viewer });
    expect([unknown.status, unknown.body.error]).toEqual([404, "not_found"]);
  });

  it("refuses to destroy unless the body repeats the tenant's name", async () => {
    const missing = await api.request("DELETE", "/api/tenants/acme", { cookie: cookies.owner });
    expect(missing.status).toBe(400);
    const wrong = await api.request("DELETE", "/api/tenants/acme", {
      cookie: cookies.owner,
      body: { confirm: "acm" },
    });
    expect([wrong.status, wrong.body.error]).toEqual([400, "validation_error"]);
    expect(wrong.body.message).toContain("acme");
  });

  it("refuses a restore in place or an upgrade unless the body repeats the tenant's name", async () => {
    const restore = (body: unknown) =>
      api.request("POST", "/api/tenants/acme/restore", { cookie: cookies.owner, body });
    const unconfirmed = await restore({ from: GHOST_BACKUP });
    expect([unconfirmed.status, unconfirmed.body.error]).toEqual([400, "validation_error"]);
    expect(unconfirmed.body.message).toContain("acme");
    expect((await restore({ from: GHOST_BACKUP, confirm: "acm" })).status).toBe(400);
    // A path is never accepted over HTTP, only a catalogue id.
    const byPath = await restore({ from: "/etc/passwd", confirm: "acme" });
    expect([byPath.status, byPath.body.message]).toEqual([400, expect.stringContaining("from")]);
    const badAs = await restore({ from: GHOST_BACKUP, as: "Not Valid" });
    expect(badAs.body.message).toContain("as");
    // Restoring as a new tenant needs no confirmation: it reaches the catalogue (no such backup).
    const copy = await restore({ from: GHOST_BACKUP, as: "acme-copy" });
    expect([copy.status, copy.body.error]).toEqual([404, "backup_not_found"]);
    const upgrade = (body: unknown) =>
      api.request("POST", "/api/tenants/acme/upgrade", { cookie: cookies.operator, body });
    expect((await upgrade({ to: "0.2.0", confirm: "nope" })).status).toBe(400);
    const badVersion = await upgrade({ to: "../latest", confirm: "acme" });
    expect([badVersion.status, badVersion.body.message]).toEqual([
      400,
      expect.stringContaining("to"),
    ]);
    const badId = await api.request("POST", "/api/tenants/acme/backups/..%2Fetc/verify", {
      cookie: cookies.operator,
    });
    expect(badId.status).toBe(400);
  });

  it("maps an unreachable Docker engine to 503 docker_unavailable with a hint", async () => {
    await registerTenant("docker-down", 8901);
    for (const [method, path] of [
      ["GET", "/api/tenants/docker-down"],
      ["GET", "/api/tenants/docker-down/stats"],
      ["POST", "/api/tenants/docker-down/stop"],
      ["POST", "/api/tenants/docker-down/start"],
    ] as const) {
      const { status, body } = await api.request(method, path, { cookie: cookies.owner });
      expect({ path, status, error: body.error }).toEqual({
        path,
        status: 503,
        error: "docker_unavailable",
      });
      expect(body.hint).toEqual(expect.any(String));
    }
    // A backup or an upgrade is accepted and journalled first; the journal records why it failed.
    for (const [kind, path, body] of [
      ["backup", "/api/tenants/docker-down/backups", undefined],
      ["upgrade", "/api/tenants/docker-down/upgrade", { to: "0.2.0", confirm: "docker-down" }],
    ] as const) {
      const started = await api.request("POST", path, {
        cookie: cookies.operator,
        ...(body ? { body } : {}),
      });
      expect(started.status).toBe(202);
      expect(started.body.data).toMatchObject({ kind, steps: expect.any(Array) });
      const run = await waitForOperation(
        (started.body.data as { operationId: string }).operationId,
        cookies.viewer,
      );
      expect(run).toMatchObject({ kind, status: "failed", errorId: "docker_unavailable" });
    }
    const backups = await api.request("GET", "/api/tenants/docker-down/backups", {
      cookie: cookies.viewer,
    });
    expect(backups.status).toBe(200);
    expect(JSON.stringify(backups.body.data)).not.toContain("/");
    // The list still answers: Docker being down only blanks the observed state.
    const list = await api.request("GET", "/api/tenants", { cookie: cookies.viewer });
    expect(list.body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "docker-down", observed: "absent" }),
      ]),
    );
  });

  it("accepts a create while Docker is down and journals why it failed; a duplicate staff e-mail is 409", async () => {
    await registerTenant("taken", 8902);
    const { status, body } = await api.request("POST", "/api/tenants", {
      cookie: cookies.operator,
      body: { name: "taken", adminEmail: "ana@acme.com.br" },
    });
    // Preflight runs first and fails without Docker: the journal records why.
    expect(status).toBe(202);
    const operation = await waitForOperation(
      (body.data as { operationId: string }).operationId,
      cookies.viewer,
    );
    expect(operation.errorId).toBe("docker_unavailable");
    const staff = await api.request("POST", "/api/staff", {
      cookie: cookies.owner,
      body: { email: "dup@example.com", role: "viewer" },
    });
    expect(staff.status).toBe(201);
    const again = await api.request("POST", "/api/staff", {
      cookie: cookies.owner,
      body: { email: "dup@example.com", role: "owner" },
    });
    expect([again.status, again.body.error]).toEqual([409, "staff_exists"]);
  });
});

describe("backups in the tenant views", () => {
  it("shows each tenant's newest backup and its verification, never its path", async () => {
    await registerTenant("backed-up", 8903);
    const row = (id: string, status: string, at: number, verify: string | null) => ({
      id,
      tenant: "backed-up",
      kind: "manual",
      status,
      path: `/srv/secret-place/${id}`,
      created_at: at,
      verify_status: verify,
      verified_at: verify ? at + 1000 : null,
      ...(status === "failed" ? { error_id: "backup_failed", error_message: "disk full" } : {}),
    });
    await api.cp.store
      .db("backups")
      .insert([
        row("older", "succeeded", Date.now() - 86_400_000, "passed"),
        row("newer", "failed", Date.now(), null),
      ]);
    const list = await api.request("GET", "/api/tenants", { cookie: cookies.viewer });
    const tenant = (list.body.data as Array<{ name: string; lastBackup: unknown }>).find(
      (candidate) => candidate.name === "backed-up",
    );
    expect(tenant?.lastBackup).toMatchObject({
      id: "newer",
      status: "failed",
      errorId: "backup_failed",
      verifyStatus: null,
    });
    expect(JSON.stringify(list.body)).not.toContain("secret-place");
  });
});

describe("operations started through the API", () => {
  it("answers 202 at once, streams the library's steps over Socket.IO and journals the result", async () => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connectSocket(api.url, {
      transports: ["websocket"],
      extraHeaders: { cookie: cookies.viewer },
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("connect_error", reject);
    });
    const progressed: OperationProgressedPayload[] = [];
    socket.on("operation:progressed", (payload) => progressed.push(payload));
    const finished = new Promise<OperationFinishedPayload>((resolve) =>
      socket.on("operation:finished", (payload) => {
        if (payload.tenant === "streamed") resolve(payload);
      }),
    );
    try {
      const { status, body } = await api.request("POST", "/api/tenants", {
        cookie: cookies.operator,
        body: { name: "streamed", adminEmail: "ana@acme.com.br" },
      });
      expect(status).toBe(202);
      const { operationId } = body.data as { operationId: string };
      const end = await finished;
      expect(end).toMatchObject({
        operationId,
        kind: "create",
        status: "failed",
        error: { id: "docker_unavailable" },
      });
      expect(
        progressed
          .filter((event) => event.operationId === operationId)
          .map((event) => `${event.step.id}:${event.state}`),
      ).toEqual(["preflight:started", "preflight:failed"]);
      const operation = await waitForOperation(operationId, cookies.viewer);
      expect(operation).toMatchObject({ tenant: "streamed", kind: "create", status: "failed" });
    } finally {
      socket.close();
    }
  });

  it("refuses a Socket.IO handshake without a valid session", async () => {
    const socket = connectSocket(api.url, {
      transports: ["websocket"],
      extraHeaders: { cookie: "atende_cp_session=forged" },
      reconnection: false,
    });
    const error = await new Promise<Error>((resolve) => socket.once("connect_error", resolve));
    socket.close();
    expect(error.message).toBe("authentication_required");
  });
});

describe("the audit log", () => {
  it("records sign-ins, accepted, refused and denied actions with who, where and the outcome", async () => {
    const { status, body } = await api.request("GET", "/api/audit?limit=500", {
      cookie: cookies.owner,
    });
    expect(status).toBe(200);
    const rows = body.data as Array<Record<string, string | null>>;
    const find = (action: string, outcome: string, target?: string) =>
      rows.find(
        (row) =>
          row.action === action &&
          row.outcome === outcome &&
          (target === undefined || row.target === target),
      );
    expect(find("session.create", "succeeded")).toMatchObject({
      ip: expect.stringContaining("127.0.0.1"),
    });
    expect(find("session.create", "failed", "nobody@example.com")).toBeDefined();
    expect(find("tenants.create", "accepted", "streamed")).toMatchObject({
      staffEmail: expect.stringMatching(/^operator-/),
    });
    expect(find("tenants.create", "failed", "streamed")).toMatchObject({
      detail: "docker_unavailable",
    });
    expect(find("tenants.destroy", "denied", "ghost")).toMatchObject({
      staffEmail: expect.stringMatching(/^operator-/),
    });
    expect(find("tenants.destroy", "refused", "acme")).toBeDefined();
    expect(find("tenants.stop", "refused", "docker-down")).toMatchObject({
      detail: "docker_unavailable",
    });
    expect(find("tenants.restore", "refused", "acme")).toMatchObject({
      detail: "confirmation did not match",
    });
    expect(find("tenants.restore", "denied", "ghost")).toBeDefined();
    expect(find("tenants.upgrade", "refused", "acme")).toBeDefined();
    expect(find("tenants.backup", "accepted", "docker-down")).toMatchObject({
      staffEmail: expect.stringMatching(/^operator-/),
    });
    expect(find("tenants.backup", "failed", "docker-down")).toMatchObject({
      detail: "docker_unavailable",
    });
    expect(find("staff.create", "succeeded", "dup@example.com")).toBeDefined();
    expect(find("session.delete", "succeeded")).toBeDefined();
    // The audit log is for owners: its rows never carry passwords.
    expect(JSON.stringify(rows)).not.toMatch(/oneTimePassword|scrypt/);
  });
});

describe("sign-in rate limit", () => {
  it("answers 429 after too many failures from one address", async () => {
    const limited = await startTestApi({ loginMaxFailures: 3, loginWindowMs: 60_000 });
    try {
      const attempt = () =>
        limited.request("POST", "/api/session", {
          body: { email: "owner@example.com", password: "guess" },
        });
      for (let i = 0; i < 3; i++) expect((await attempt()).status).toBe(401);
      const blocked = await attempt();
      expect([blocked.status, blocked.body.error]).toEqual([429, "rate_limited"]);
    } finally {
      await limited.dispose();
    }
  });
});

describe("security headers", () => {
  it("sends a strict CSP and no framing on every answer", async () => {
    const { headers } = await api.request("GET", "/api/openapi.json");
    expect(headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(headers.get("content-security-policy")).not.toContain("unsafe-inline");
    expect(headers.get("x-frame-options")).toBe("DENY");
    expect(headers.get("x-powered-by")).toBeNull();
  });
});
