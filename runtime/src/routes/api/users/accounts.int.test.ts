import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminCommand } from "../../../cli/createAdmin.js";
import { ActivityLogEntry } from "../../../models/ActivityLogEntry.js";
import { signIn as signInAs } from "../../../test/api.js";
import { buildUser } from "../../../test/factories.js";
import {
  createTestComponents,
  getTestServer,
  jsonBody,
  type TestComponents,
  type TestServer,
} from "../../../test/support.js";

let components: TestComponents;
let server: TestServer;

// Small limits so the tests reach them quickly; 0.05 minutes = a 3-second lockout.
const LOCKOUT_SECONDS = 3;

beforeAll(async () => {
  components = await createTestComponents({
    env: {
      LOGIN_MAX_FAILURES_PER_ACCOUNT: "3",
      // Every test request comes from 127.0.0.1: the per-address limit has its own test.
      LOGIN_MAX_FAILURES_PER_IP: "1000",
      LOGIN_LOCKOUT_MINUTES: String(LOCKOUT_SECONDS / 60),
    },
  });
  server = await getTestServer(components);
});

afterAll(async () => {
  await server?.close();
  await components?.cleanup();
});

/** Calls the API as a browser on this site would (JSON body, same origin). */
function call(
  method: string,
  path: string,
  options: { cookie?: string; body?: unknown; ip?: string } = {},
) {
  return fetch(`${server.url}/api${path}`, {
    method,
    headers: {
      "Content-Type": "application/json",
      "User-Agent": "vitest-accounts",
      ...(options.cookie === undefined ? {} : { Cookie: options.cookie }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
}

function cookieOf(response: Response): string {
  const line = response.headers.getSetCookie().find((it) => it.startsWith("atende_session="));
  return (line ?? "").split(";")[0] ?? "";
}

async function signIn(email: string, password: string): Promise<string> {
  const response = await call("POST", "/session", { body: { email, password } });
  expect(response.status, `sign-in of ${email}`).toBe(201);
  return cookieOf(response);
}

/** A fresh admin with a password of their own (no pending change). */
async function adminCookie(): Promise<{ cookie: string; id: number }> {
  const { user, password } = await buildUser(components.db, { role: "admin" });
  return { cookie: await signIn(user.email, password), id: user.id };
}

const uniqueEmail = (label: string) =>
  `${label}-${Math.random().toString(36).slice(2, 8)}@example.com`;

describe("sign-in lockout", () => {
  it("locks an account after repeated failures, even against the right password, and says so", async () => {
    const { user, password } = await buildUser(components.db);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const wrong = await call("POST", "/session", {
        body: { email: user.email, password: "not the password" },
      });
      expect(wrong.status).toBe(401);
    }
    const locked = await call("POST", "/session", { body: { email: user.email, password } });
    expect(locked.status).toBe(429);
    const body = await jsonBody(locked);
    expect(body.error).toBe("login_locked");
    expect(body.message).toMatch(/Try again in 1 minute/);
    expect(body.data.retryAfterSeconds).toBeGreaterThan(0);

    const audit = await ActivityLogEntry.query(components.db).where({ action: "sessions.lockout" });
    expect(audit.some((entry) => entry.data?.email === user.email)).toBe(true);
  });

  it("locks unknown e-mails the same way, so a lockout reveals nothing about who has an account", async () => {
    const email = uniqueEmail("nobody");
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      const response = await call("POST", "/session", { body: { email, password: "guess" } });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it("ends the lockout by itself after the configured time", async () => {
    const { user, password } = await buildUser(components.db);
    for (let attempt = 1; attempt <= 3; attempt++) {
      await call("POST", "/session", { body: { email: user.email, password: "wrong" } });
    }
    expect((await call("POST", "/session", { body: { email: user.email, password } })).status).toBe(
      429,
    );
    await new Promise((resolve) => setTimeout(resolve, LOCKOUT_SECONDS * 1000 + 300));
    expect((await call("POST", "/session", { body: { email: user.email, password } })).status).toBe(
      201,
    );
  });

  it("lets an admin lift a lockout, and shows it in the user list until then", async () => {
    const admin = await adminCookie();
    const { user, password } = await buildUser(components.db);
    for (let attempt = 1; attempt <= 3; attempt++) {
      await call("POST", "/session", { body: { email: user.email, password: "wrong" } });
    }
    const list = await jsonBody(await call("GET", "/users", { cookie: admin.cookie }));
    const listed = (list.data as unknown as Array<{ id: number; locked: boolean }>).find(
      (it) => it.id === user.id,
    );
    expect(listed?.locked).toBe(true);

    const unlocked = await call("DELETE", `/users/${user.id}/lockout`, { cookie: admin.cookie });
    expect(unlocked.status).toBe(200);
    expect((await jsonBody(unlocked)).data.locked).toBe(false);
    await signIn(user.email, password);
  });

  it("locks an address that tries many accounts, whatever the e-mails", async () => {
    const isolated = await createTestComponents({
      env: { LOGIN_MAX_FAILURES_PER_ACCOUNT: "100", LOGIN_MAX_FAILURES_PER_IP: "5" },
    });
    const isolatedServer = await getTestServer(isolated);
    const attempt = (email: string, password: string) =>
      fetch(`${isolatedServer.url}/api/session`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email, password }),
      });
    try {
      const statuses: number[] = [];
      for (let index = 0; index < 6; index++) {
        statuses.push((await attempt(uniqueEmail("spray"), "guess")).status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
      const { user, password } = await buildUser(isolated.db);
      expect((await attempt(user.email, password)).status).toBe(429);
    } finally {
      await isolatedServer.close();
      await isolated.cleanup();
    }
  });
});

describe("password change", () => {
  it("makes a one-time password usable only to choose a new one, then rotates the session", async () => {
    const email = uniqueEmail("first-admin");
    const printed: string[] = [];
    await createAdminCommand(["--email", email], components, {
      stdout: (line) => printed.push(line),
      stderr: () => {},
    });
    const { password } = JSON.parse(printed[0] ?? "{}") as { password: string };
    const cookie = await signIn(email, password);

    const blocked = await call("GET", "/settings/whatsapp", { cookie });
    expect(blocked.status).toBe(403);
    expect((await jsonBody(blocked)).error).toBe("password_change_required");
    expect((await call("GET", "/me", { cookie })).status).toBe(200);

    const weak = await call("PUT", "/me/password", {
      cookie,
      body: { currentPassword: password, newPassword: "short" },
    });
    expect(weak.status).toBe(422);
    expect((await jsonBody(weak)).message).toMatch(/at least 12 characters/);

    const wrongCurrent = await call("PUT", "/me/password", {
      cookie,
      body: { currentPassword: "not it", newPassword: "a much better passphrase" },
    });
    expect(wrongCurrent.status).toBe(400);
    expect((await jsonBody(wrongCurrent)).data).toEqual({ field: "currentPassword" });

    const changed = await call("PUT", "/me/password", {
      cookie,
      body: { currentPassword: password, newPassword: "a much better passphrase" },
    });
    expect(changed.status).toBe(200);
    expect((await jsonBody(changed)).data.mustChangePassword).toBe(false);
    const rotated = cookieOf(changed);
    expect(rotated).not.toBe("");
    expect(rotated).not.toBe(cookie);

    expect((await call("GET", "/me", { cookie })).status).toBe(401);
    expect((await call("GET", "/settings/whatsapp", { cookie: rotated })).status).toBe(200);
    expect((await call("POST", "/session", { body: { email, password } })).status).toBe(401);
    await signIn(email, "a much better passphrase");
  });

  it("refuses a new password that contains the e-mail or repeats one character", async () => {
    const { user, password } = await buildUser(components.db, {
      email: uniqueEmail("mariana"),
    });
    const cookie = await signIn(user.email, password);
    const local = user.email.split("@")[0] ?? "";
    for (const newPassword of [`${local}-2026!`, "aaaaaaaaaaaaaaaa"]) {
      const response = await call("PUT", "/me/password", {
        cookie,
        body: { currentPassword: password, newPassword },
      });
      expect(response.status, newPassword).toBe(422);
      expect((await jsonBody(response)).error).toBe("weak_password");
    }
  });
});

describe("log out everywhere", () => {
  it("ends every session of the user and no one else's", async () => {
    const { user, password } = await buildUser(components.db);
    const laptop = await signIn(user.email, password);
    const phone = await signIn(user.email, password);
    const other = await buildUser(components.db);
    const otherCookie = await signIn(other.user.email, other.password);

    const response = await call("DELETE", "/me/sessions", { cookie: laptop });
    expect(response.status).toBe(200);
    expect((await jsonBody(response)).data).toEqual({ ended: 2 });
    expect((await call("GET", "/me", { cookie: laptop })).status).toBe(401);
    expect((await call("GET", "/me", { cookie: phone })).status).toBe(401);
    expect((await call("GET", "/me", { cookie: otherCookie })).status).toBe(200);
  });
});

describe("user management", () => {
  it("lets an admin add an agent, who must choose a password and cannot manage users", async () => {
    const admin = await adminCookie();
    const email = uniqueEmail("new-agent");
    const created = await call("POST", "/users", {
      cookie: admin.cookie,
      body: { email: ` ${email.toUpperCase()} `, name: "Nova Agente", role: "agent" },
    });
    expect(created.status).toBe(201);
    const { user, oneTimePassword } = (await jsonBody(created)).data as {
      user: { email: string; role: string; mustChangePassword: boolean };
      oneTimePassword: string;
    };
    expect(user).toMatchObject({ email, role: "agent", mustChangePassword: true });

    const agent = await signIn(email, oneTimePassword);
    await call("PUT", "/me/password", {
      cookie: agent,
      body: { currentPassword: oneTimePassword, newPassword: "agente com senha longa" },
    }).then(async (response) => {
      expect(response.status).toBe(200);
      const rotated = cookieOf(response);
      const refused = await call("GET", "/users", { cookie: rotated });
      expect(refused.status).toBe(403);
      expect((await jsonBody(refused)).error).toBe("forbidden");
    });

    const again = await call("POST", "/users", {
      cookie: admin.cookie,
      body: { email, name: "Outra", role: "agent" },
    });
    expect(again.status).toBe(409);
  });

  it("refuses bad input with the field named and stores nothing", async () => {
    const admin = await adminCookie();
    const before = await components.db("users").count({ count: "*" }).first();
    for (const body of [
      { email: "not-an-email", name: "X", role: "agent" },
      { email: uniqueEmail("x"), name: "X", role: "owner" },
      { email: uniqueEmail("x"), name: "bad\u0000name", role: "agent" },
      { email: uniqueEmail("x"), name: "", role: "agent" },
    ]) {
      const response = await call("POST", "/users", { cookie: admin.cookie, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((await jsonBody(response)).error).toBe("validation_error");
    }
    const after = await components.db("users").count({ count: "*" }).first();
    expect(after).toEqual(before);
    expect(
      (await call("PATCH", "/users/abc", { cookie: admin.cookie, body: { name: "x" } })).status,
    ).toBe(400);
    expect(
      (await call("PATCH", "/users/999999", { cookie: admin.cookie, body: { name: "x" } })).status,
    ).toBe(404);
  });

  it("disabling a user ends their sessions at once and stops them signing in", async () => {
    const admin = await adminCookie();
    const { user, password } = await buildUser(components.db);
    const cookie = await signIn(user.email, password);
    const disabled = await call("PATCH", `/users/${user.id}`, {
      cookie: admin.cookie,
      body: { disabled: true },
    });
    expect(disabled.status).toBe(200);
    expect((await jsonBody(disabled)).data.disabled).toBe(true);
    expect((await call("GET", "/me", { cookie })).status).toBe(401);
    expect((await call("POST", "/session", { body: { email: user.email, password } })).status).toBe(
      401,
    );
    await call("PATCH", `/users/${user.id}`, { cookie: admin.cookie, body: { disabled: false } });
    await signIn(user.email, password);
  });

  it("keeps at least one enabled admin", async () => {
    // A tenant of its own, so no admin from another test counts.
    const isolated = await createTestComponents();
    const isolatedServer = await getTestServer(isolated);
    try {
      const { user, cookie } = await signInAs(isolatedServer.url, isolated.db, { role: "admin" });
      const demote = await fetch(`${isolatedServer.url}/api/users/${user.id}`, {
        method: "PATCH",
        headers: { "Content-Type": "application/json", Cookie: cookie },
        body: JSON.stringify({ role: "agent" }),
      });
      expect(demote.status).toBe(409);
      expect((await jsonBody(demote)).message).toMatch(/at least one enabled administrator/);
    } finally {
      await isolatedServer.close();
      await isolated.cleanup();
    }
  });

  it("resets a password: the old one stops working, the one-time one must be changed", async () => {
    const admin = await adminCookie();
    const { user, password } = await buildUser(components.db);
    const cookie = await signIn(user.email, password);
    const reset = await call("POST", `/users/${user.id}/password-reset`, { cookie: admin.cookie });
    expect(reset.status).toBe(200);
    const { oneTimePassword } = (await jsonBody(reset)).data as { oneTimePassword: string };
    expect((await call("GET", "/me", { cookie })).status).toBe(401);
    expect((await call("POST", "/session", { body: { email: user.email, password } })).status).toBe(
      401,
    );
    const fresh = await signIn(user.email, oneTimePassword);
    expect(
      (await jsonBody(await call("GET", "/me", { cookie: fresh }))).data.mustChangePassword,
    ).toBe(true);
    const audit = await ActivityLogEntry.query(components.db).where({
      action: "users.resetPassword",
      actor_user_id: admin.id,
    });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]?.data)).not.toContain(oneTimePassword);
  });

  it("refuses user management to managers and agents", async () => {
    for (const role of ["manager", "agent"] as const) {
      const { user, password } = await buildUser(components.db, { role });
      const cookie = await signIn(user.email, password);
      for (const [method, path, body] of [
        ["GET", "/users", undefined],
        ["POST", "/users", { email: uniqueEmail("x"), name: "X", role: "admin" }],
        ["PATCH", `/users/${user.id}`, { role: "admin" }],
        ["POST", `/users/${user.id}/password-reset`, undefined],
        ["DELETE", `/users/${user.id}/lockout`, undefined],
      ] as const) {
        const response = await call(method, path, { cookie, body });
        expect(response.status, `${role} ${method} ${path}`).toBe(403);
      }
    }
  });
});
