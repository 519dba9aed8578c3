import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminCommand } from "../../../cli/createAdmin.js";
import { ActivityLogEntry } from "../../../models/ActivityLogEntry.js";
import { User } from "../../../models/User.js";
import { buildUser } from "../../../test/factories.js";
import {
  createTestComponents,
  getTestServer,
  jsonBody,
  type TestComponents,
  type TestServer,
  unreachableRedis,
} from "../../../test/support.js";

let components: TestComponents;
let server: TestServer;

beforeAll(async () => {
  components = await createTestComponents();
  server = await getTestServer(components);
});

afterAll(async () => {
  await server?.close();
  await components?.cleanup();
});

/** Runs create-admin the way the control plane does, returning its printed JSON. */
async function createAdmin(
  email: string,
): Promise<{ email: string; password: string; created: boolean }> {
  const stdout: string[] = [];
  const code = await createAdminCommand(["--email", email], components, {
    stdout: (line) => stdout.push(line),
    stderr: () => {},
  });
  expect(code).toBe(0);
  return JSON.parse(stdout[0] ?? "");
}

function login(body: unknown, headers: Record<string, string> = {}, base = server.url) {
  return fetch(`${base}/api/session`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "User-Agent": "vitest-agent", ...headers },
    body: JSON.stringify(body),
  });
}

/** The session cookie (`atende_session=…`) and its raw Set-Cookie line. */
function sessionCookie(response: Response): { cookie: string; setCookie: string; id: string } {
  const setCookie =
    response.headers.getSetCookie().find((line) => line.startsWith("atende_session=")) ?? "";
  const cookie = setCookie.split(";")[0] ?? "";
  return { cookie, setCookie, id: cookie.slice("atende_session=".length) };
}

function me(cookie?: string) {
  return fetch(`${server.url}/api/me`, { headers: cookie === undefined ? {} : { Cookie: cookie } });
}

describe("POST /api/session", () => {
  it("signs in the admin with the one-time password create-admin printed", async () => {
    const admin = await createAdmin("first.admin@example.com");
    const response = await login({ email: " First.Admin@Example.com ", password: admin.password });
    expect(response.status).toBe(201);
    expect(await jsonBody(response)).toEqual({
      ok: true,
      data: {
        id: expect.any(Number),
        email: "first.admin@example.com",
        name: "first.admin",
        role: "admin",
        mustChangePassword: true,
      },
    });

    const { cookie } = sessionCookie(response);
    const current = await me(cookie);
    expect(current.status).toBe(200);
    expect((await jsonBody(current)).data.email).toBe("first.admin@example.com");
  });

  it("sets an HttpOnly, SameSite=Lax session cookie holding a random 256-bit id, stored hashed in Redis", async () => {
    const { user, password } = await buildUser(components.db);
    const response = await login({ email: user.email, password });
    const { setCookie, id } = sessionCookie(response);

    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Lax/);
    expect(setCookie).toMatch(/; Path=\//);
    expect(setCookie).toMatch(/; Max-Age=43200/);
    expect(setCookie).not.toMatch(/; Secure/); // PUBLIC_URL is http in this file
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const key = `${components.env.REDIS_PREFIX}:session:${createHash("sha256").update(id).digest("hex")}`;
    const stored = await components.redis.get(key);
    expect(stored).not.toBeNull();
    expect(stored).not.toContain(id);
    const ttl = await components.redis.pttl(key);
    expect(ttl).toBeGreaterThan(59 * 60_000);
    expect(ttl).toBeLessThanOrEqual(60 * 60_000);
  });

  it("marks the cookie Secure when browsers reach the tenant over HTTPS", async () => {
    const { user, password } = await buildUser(components.db);
    const https = await getTestServer({
      ...components,
      env: { ...components.env, PUBLIC_URL: "https://acme.atende.com.br" },
    });
    try {
      const response = await login({ email: user.email, password }, {}, https.url);
      expect(response.status).toBe(201);
      expect(sessionCookie(response).setCookie).toMatch(/; Secure/);
      expect(response.headers.get("strict-transport-security")).toMatch(/max-age=/);
    } finally {
      await https.close();
    }
  });

  it("rejects a wrong password with a generic 401 and records the attempt", async () => {
    const { user } = await buildUser(components.db);
    const response = await login({ email: user.email, password: "not-the-password" });
    expect(response.status).toBe(401);
    expect(await jsonBody(response)).toEqual({
      ok: false,
      error: "invalid_credentials",
      status: 401,
      message: "E-mail or password is incorrect.",
    });
    expect(response.headers.getSetCookie()).toEqual([]);

    const entry = await ActivityLogEntry.query(components.db)
      .where({ action: "sessions.fail" })
      .whereRaw("JSON_VALUE(data, '$.email') = ?", [user.email])
      .first();
    expect(entry).toMatchObject({
      actorUserId: null,
      userAgent: "vitest-agent",
      data: { email: user.email, reason: "wrong_password", userId: user.id },
    });
    expect(entry?.ip).toMatch(/127\.0\.0\.1/);
    expect(JSON.stringify(entry)).not.toContain("not-the-password");
  });

  it("answers an unknown e-mail exactly like a wrong password", async () => {
    const response = await login({ email: "nobody@example.com", password: "whatever" });
    expect(response.status).toBe(401);
    expect((await jsonBody(response)).error).toBe("invalid_credentials");
    const entry = await ActivityLogEntry.query(components.db)
      .where({ action: "sessions.fail" })
      .whereRaw("JSON_VALUE(data, '$.email') = ?", ["nobody@example.com"])
      .first();
    expect(entry?.data).toEqual({ email: "nobody@example.com", reason: "unknown_email" });
  });

  it("refuses disabled users, and ends their sessions when they are disabled", async () => {
    const { user, password } = await buildUser(components.db);
    const { cookie } = sessionCookie(await login({ email: user.email, password }));
    await User.query(components.db).findById(user.id).patch({ disabledAt: new Date() });

    expect((await me(cookie)).status).toBe(401);
    expect((await login({ email: user.email, password })).status).toBe(401);
  });

  it("ends existing sessions when create-admin resets the account's password", async () => {
    const first = await createAdmin("reset.me@example.com");
    const { cookie } = sessionCookie(await login({ email: first.email, password: first.password }));
    expect((await me(cookie)).status).toBe(200);

    const second = await createAdmin("reset.me@example.com");
    expect(second.created).toBe(false);
    expect((await me(cookie)).status).toBe(401);
    expect((await login({ email: first.email, password: first.password })).status).toBe(401);
    expect((await login({ email: first.email, password: second.password })).status).toBe(201);
  });

  it("answers 400 validation_error naming the field, without echoing input", async () => {
    const response = await login({ email: "not-an-email", password: "secret-typed-here" });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body).toMatchObject({ ok: false, error: "validation_error", data: { field: "email" } });
    expect(JSON.stringify(body)).not.toContain("secret-typed-here");
  });

  it("answers 400 invalid_json for a malformed body", async () => {
    const response = await fetch(`${server.url}/api/session`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{",
    });
    expect(response.status).toBe(400);
    expect((await jsonBody(response)).error).toBe("invalid_json");
  });
});

describe("when Redis is down", () => {
  it("answers 503 service_unavailable instead of an opaque 500", async () => {
    const { user, password } = await buildUser(components.db);
    const redis = unreachableRedis();
    const broken = await getTestServer({ ...components, redis });
    try {
      const response = await login({ email: user.email, password }, {}, broken.url);
      expect(response.status).toBe(503);
      expect((await jsonBody(response)).error).toBe("service_unavailable");
    } finally {
      await broken.close();
      redis.disconnect();
    }
  });
});

describe("CSRF guard on state-changing requests", () => {
  it("requires a JSON content type", async () => {
    const response = await fetch(`${server.url}/api/session`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "email=a%40b.c&password=x",
    });
    expect(response.status).toBe(415);
    expect((await jsonBody(response)).error).toBe("unsupported_media_type");
  });

  it("rejects requests whose Origin is another site", async () => {
    const { user, password } = await buildUser(components.db);
    const response = await login(
      { email: user.email, password },
      { Origin: "https://evil.example" },
    );
    expect(response.status).toBe(403);
    expect((await jsonBody(response)).error).toBe("cross_origin_request");
  });

  it("accepts requests from this site's origin", async () => {
    const { user, password } = await buildUser(components.db);
    expect((await login({ email: user.email, password }, { Origin: server.url })).status).toBe(201);
    expect(
      (await login({ email: user.email, password }, { Origin: "http://atende.test" })).status,
    ).toBe(201);
  });
});

describe("GET /api/me", () => {
  it("answers 401 authentication_required without a session cookie", async () => {
    const response = await me();
    expect(response.status).toBe(401);
    expect(await jsonBody(response)).toMatchObject({
      ok: false,
      error: "authentication_required",
      status: 401,
    });
  });

  it("never adopts a session id the browser brings (session fixation)", async () => {
    const { user, password } = await buildUser(components.db, { role: "agent" });
    // An attacker planted a cookie, or the victim still holds an earlier session of their own.
    const planted = "atende_session=PLANTEDPLANTEDPLANTEDPLANTEDPLANTEDPLANTED123";
    const earlier = sessionCookie(await login({ email: user.email, password }));
    for (const held of [planted, earlier.cookie]) {
      const response = await login({ email: user.email, password }, { Cookie: held });
      expect(response.status).toBe(201);
      const fresh = sessionCookie(response);
      expect(fresh.cookie).not.toBe(held);
      expect(fresh.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect((await me(fresh.cookie)).status).toBe(200);
    }
    // The planted id opens nothing, whatever happened under it.
    expect((await me(planted)).status).toBe(401);
  });

  it("answers 401 for a forged or unknown session id", async () => {
    expect((await me("atende_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).status).toBe(
      401,
    );
    expect((await me("atende_session=../../etc")).status).toBe(401);
  });
});

describe("DELETE /api/session", () => {
  it("ends the session, clears the cookie and records the sign-out", async () => {
    const { user, password } = await buildUser(components.db);
    const { cookie } = sessionCookie(await login({ email: user.email, password }));

    const response = await fetch(`${server.url}/api/session`, {
      method: "DELETE",
      headers: { Cookie: cookie, "Content-Type": "application/json" },
    });
    expect(response.status).toBe(200);
    expect(sessionCookie(response).setCookie).toMatch(
      /^atende_session=;.*Expires=Thu, 01 Jan 1970/,
    );
    expect((await me(cookie)).status).toBe(401);
    const entry = await ActivityLogEntry.query(components.db).findOne({
      action: "sessions.delete",
      actor_user_id: user.id,
    });
    expect(entry).toBeDefined();
  });

  it("succeeds without a session (signing out twice is fine)", async () => {
    const response = await fetch(`${server.url}/api/session`, {
      method: "DELETE",
      headers: { "Content-Type": "application/json" },
    });
    expect(response.status).toBe(200);
  });
});
