import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn } from "../../test/api.js";
import { insertContact } from "../../test/factories.js";
import {
  createTestComponents,
  getTestServer,
  jsonBody,
  type TestComponents,
  type TestServer,
} from "../../test/support.js";

/**
 * SQL-injection strings in every text field the API takes: each one is either refused with a
 * clear 400 or stored and shown back exactly as typed, never a 500, and nothing it "asks" the
 * database to do happens (no user renamed, no table dropped, no rows leaked).
 */
/** Names are trimmed on the way in (by design), so trailing spaces do not come back. */
const PAYLOADS = [
  "' OR '1'='1",
  "x'); UPDATE users SET name='pwned' WHERE ('1'='1",
  "'; DROP TABLE users; --",
  '" OR 1=1 -- ',
  "1' UNION SELECT password_hash FROM users -- ",
  "%' AND 1=1 AND '%'='",
  "\\'; DELETE FROM contacts; -- ",
  "admin'/*",
] as const;

let components: TestComponents;
let server: TestServer;
let admin: string;
let conversationId: number;
let contactId: number;

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}/api${path}`, {
    method,
    headers: {
      Cookie: admin,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await jsonBody(response) };
}

/** Refused as invalid input, or accepted; anything else (500 above all) fails the test. */
function expectHandled(status: number, what: string): void {
  expect([200, 201, 400, 401, 404, 409, 422], `${what} answered ${status}`).toContain(status);
}

beforeAll(async () => {
  components = await createTestComponents();
  server = await getTestServer(components);
  admin = (await signIn(server.url, components.db, { role: "admin", name: "Admin" })).cookie;
  contactId = await insertContact(components.db, components.env, {
    waId: "5511900001111",
    name: "Cliente Injeção",
  });
  const [conversation] = await components.db("conversations").insert({
    contact_id: contactId,
    status: "open",
  });
  conversationId = Number(conversation);
});

afterAll(async () => {
  await server?.close();
  await components?.cleanup();
});

describe("SQL-injection strings in every text field", () => {
  it.each(PAYLOADS)("sign-in refuses %j as e-mail and password without error", async (payload) => {
    const response = await fetch(`${server.url}/api/session`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: payload, password: payload }),
    });
    expect([400, 401]).toContain(response.status);
  });

  it.each(PAYLOADS)("stores %j verbatim as a user's name, or refuses it", async (payload) => {
    const created = await call("POST", "/users", {
      email: `inj-${Math.random().toString(36).slice(2)}@example.com`,
      name: payload,
      role: "agent",
    });
    expectHandled(created.status, "POST /users");
    const email = await call("POST", "/users", { email: payload, name: "x", role: "agent" });
    expect(email.status).toBe(400);
    const role = await call("POST", "/users", { email: "r@example.com", name: "x", role: payload });
    expect(role.status).toBe(400);
    if (created.status === 201) {
      const { user } = created.body.data as { user: { id: number; name: string } };
      expect(user.name).toBe(payload.trim());
      const renamed = await call("PATCH", `/users/${user.id}`, { name: `${payload}!` });
      expect(renamed.status).toBe(200);
      expect((renamed.body.data as { name: string }).name).toBe(`${payload}!`);
    }
  });

  it.each(PAYLOADS)(
    "stores %j verbatim as a role name and refuses it as a key",
    async (payload) => {
      const key = `inj-${Math.random().toString(36).slice(2, 10)}`;
      const created = await call("POST", "/roles", { key, name: payload, permissions: [] });
      expect(created.status).toBe(201);
      const roles = await call("GET", "/roles");
      const stored = (roles.body.data as unknown as Array<{ key: string; name: string }>).find(
        (role) => role.key === key,
      );
      expect(stored?.name).toBe(payload.trim());
      expect(
        (await call("POST", "/roles", { key: payload, name: "x", permissions: [] })).status,
      ).toBe(400);
    },
  );

  it.each(PAYLOADS)(
    "searches conversations for %j without matching everything",
    async (payload) => {
      const result = await call("GET", `/conversations?q=${encodeURIComponent(payload)}`);
      expect(result.status).toBe(200);
      // The one conversation's name and number contain none of these strings.
      expect((result.body.data as { conversations: unknown[] }).conversations).toEqual([]);
    },
  );

  it.each(PAYLOADS)("refuses %j in the activity log and report filters", async (payload) => {
    const encoded = encodeURIComponent(payload);
    for (const path of [
      `/audit?action=${encoded}`,
      `/audit?ip=${encoded}`,
      `/audit?from=${encoded}`,
      `/reports/summary?from=${encoded}&to=2026-01-31`,
      `/reports/summary?from=2026-01-01&to=2026-01-31&groupBy=${encoded}`,
    ]) {
      expect((await call("GET", path)).status, path).toBe(400);
    }
  });

  it.each(PAYLOADS)("stores %j verbatim in a private note", async (payload) => {
    const created = await call("POST", `/conversations/${conversationId}/notes`, { body: payload });
    expect(created.status).toBe(201);
    const notes = await call("GET", `/conversations/${conversationId}/notes`);
    const bodies = JSON.stringify(notes.body.data);
    expect(bodies).toContain(JSON.stringify(payload.trim()).slice(1, -1));
  });

  it.each(PAYLOADS)(
    "stores %j verbatim as a contact's name and refuses it as a tag",
    async (payload) => {
      const renamed = await call("PATCH", `/contacts/${contactId}`, { name: payload });
      expect(renamed.status).toBe(200);
      expect((renamed.body.data as { name: string }).name).toBe(payload.trim());
      expect((await call("PATCH", `/contacts/${contactId}`, { tags: [payload] })).status).toBe(400);
    },
  );

  it.each(PAYLOADS)("stores %j verbatim in a quick reply and a queue name", async (payload) => {
    const suffix = Math.random().toString(36).slice(2, 8);
    const reply = await call("POST", "/quick-replies", {
      shortcut: `inj-${suffix}`,
      title: payload,
      body: payload,
    });
    expect(reply.status).toBe(201);
    expect(reply.body.data).toMatchObject({ title: payload.trim(), body: payload.trim() });
    expect(
      (await call("POST", "/quick-replies", { shortcut: payload, title: "x", body: "x" })).status,
    ).toBe(400);
    const queue = await call("POST", "/queues", { name: `${payload} ${suffix}` });
    expect(queue.status).toBe(201);
    expect((queue.body.data as { name: string }).name).toBe(`${payload} ${suffix}`);
  });

  it("left every table as it was: nobody renamed, nothing dropped or deleted", async () => {
    expect(await components.db("users").where({ name: "pwned" }).first()).toBeUndefined();
    expect(await components.db("contacts").where({ id: contactId }).first()).toBeDefined();
    expect(await components.db("users").where({ name: "Admin" }).first()).toBeDefined();
    // The admin's session still works: the users table is intact.
    expect((await call("GET", "/me")).status).toBe(200);
  });
});
