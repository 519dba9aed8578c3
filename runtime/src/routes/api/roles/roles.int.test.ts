import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ActivityLogEntry } from "../../../models/ActivityLogEntry.js";
import { sessionCookie, signIn as signInAs } from "../../../test/api.js";
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
let admin: string;

beforeAll(async () => {
  components = await createTestComponents();
  server = await getTestServer(components);
  admin = await signIn("admin");
});

afterAll(async () => {
  await server?.close();
  await components?.cleanup();
});

async function signIn(role: string): Promise<string> {
  return (await signInAs(server.url, components.db, { role })).cookie;
}

const signInWith = (email: string, password: string) => sessionCookie(server.url, email, password);

function call(method: string, path: string, cookie: string, body?: unknown) {
  return fetch(`${server.url}/api${path}`, {
    method,
    headers: { "Content-Type": "application/json", Cookie: cookie },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe("custom roles", () => {
  it("lists the built-in roles with their permissions", async () => {
    const response = await call("GET", "/roles", admin);
    const roles = (await jsonBody(response)).data as unknown as Array<{
      key: string;
      builtin: boolean;
      permissions: string[];
    }>;
    expect(roles.slice(0, 3).map((role) => role.key)).toEqual(["admin", "agent", "manager"]);
    const agent = roles.find((role) => role.key === "agent");
    expect(agent?.permissions).toContain("messages.send");
    expect(agent?.permissions).not.toContain("users.manage");
  });

  it("lets an admin define a role, give it to a user, and change what it allows at once", async () => {
    const created = await call("POST", "/roles", admin, {
      key: "Supervisor",
      name: "Supervisor de turno",
      permissions: ["users.manage", "conversations.viewAll", "users.manage"],
    });
    expect(created.status).toBe(201);
    expect((await jsonBody(created)).data).toMatchObject({
      key: "supervisor",
      builtin: false,
      permissions: ["users.manage", "conversations.viewAll"],
    });

    const { user, password } = await buildUser(components.db, { role: "supervisor" });
    const supervisor = await signInWith(user.email, password);
    const me = await jsonBody(await call("GET", "/me", supervisor));
    expect(me.data.role).toBe("supervisor");
    expect(me.data.permissions).toEqual(["conversations.viewAll", "users.manage"]);
    expect((await call("GET", "/users", supervisor)).status).toBe(200);

    const narrowed = await call("PATCH", "/roles/supervisor", admin, {
      permissions: ["conversations.viewAll"],
    });
    expect(narrowed.status).toBe(200);
    expect((await call("GET", "/users", supervisor)).status).toBe(403);

    const audit = await ActivityLogEntry.query(components.db).where({ action: "roles.update" });
    expect(audit[0]?.data).toMatchObject({
      role: "supervisor",
      permissions: {
        from: ["users.manage", "conversations.viewAll"],
        to: ["conversations.viewAll"],
      },
    });
  });

  it("refuses unknown permissions, bad keys, duplicates and changes to built-in roles", async () => {
    const cases: Array<[string, string, unknown, number]> = [
      ["POST", "/roles", { key: "x1", name: "X", permissions: ["everything"] }, 400],
      ["POST", "/roles", { key: "has space", name: "X", permissions: [] }, 400],
      ["POST", "/roles", { key: "admin", name: "Admin 2", permissions: [] }, 409],
      ["PATCH", "/roles/admin", { permissions: [] }, 409],
      ["DELETE", "/roles/agent", undefined, 409],
      ["PATCH", "/roles/ghost", { name: "Ghost" }, 404],
    ];
    for (const [method, path, body, status] of cases) {
      const response = await call(method, path, admin, body);
      expect(response.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(status);
    }
  });

  it("will not delete a role someone holds, nor give a user a role that does not exist", async () => {
    await call("POST", "/roles", admin, { key: "temp", name: "Temporário", permissions: [] });
    const { user } = await buildUser(components.db, { role: "temp" });
    const refused = await call("DELETE", "/roles/temp", admin);
    expect(refused.status).toBe(409);
    expect((await jsonBody(refused)).message).toMatch(/1 user\(s\) still have this role/);

    const unknown = await call("PATCH", `/users/${user.id}`, admin, { role: "ghost" });
    expect(unknown.status).toBe(400);
    expect((await jsonBody(unknown)).data).toEqual({ field: "role" });

    await call("PATCH", `/users/${user.id}`, admin, { role: "agent" });
    expect((await call("DELETE", "/roles/temp", admin)).status).toBe(200);
  });
});
