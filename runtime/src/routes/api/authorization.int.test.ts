import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  builtinRolePermissions,
  type Permission,
  permissions,
} from "../../../contracts/permissions.js";
import { signIn } from "../../test/api.js";
import { insertOnePermissionRoles, matrixRoleCases } from "../../test/roles.js";
import {
  createTestComponents,
  getTestServer,
  jsonBody,
  type TestComponents,
  type TestServer,
} from "../../test/support.js";
import { UPLOAD_HEADER } from "./conversations/media.js";

/**
 * The authorisation matrix: every protected API route, the permission it needs, and for each
 * built-in role and for custom roles holding exactly one permission, whether the route lets
 * the user through (any answer but 403) or refuses with 403 `forbidden`.
 * A new route belongs in this table.
 */
interface RouteCase {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  /** Any one of these lets the request through. */
  anyOf: readonly Permission[];
  body?: unknown;
  headers?: Record<string, string>;
}

const ROUTES: readonly RouteCase[] = [
  { method: "GET", path: "/users", anyOf: ["users.manage"] },
  { method: "POST", path: "/users", anyOf: ["users.manage"], body: {} },
  { method: "PATCH", path: "/users/999999", anyOf: ["users.manage"], body: { name: "x" } },
  { method: "POST", path: "/users/999999/password-reset", anyOf: ["users.manage"] },
  { method: "DELETE", path: "/users/999999/lockout", anyOf: ["users.manage"] },
  { method: "GET", path: "/roles", anyOf: ["users.manage", "roles.manage"] },
  { method: "POST", path: "/roles", anyOf: ["roles.manage"], body: {} },
  { method: "PATCH", path: "/roles/nobody", anyOf: ["roles.manage"], body: { name: "x" } },
  { method: "DELETE", path: "/roles/nobody", anyOf: ["roles.manage"] },
  { method: "GET", path: "/audit", anyOf: ["audit.view"] },
  { method: "GET", path: "/audit/export.csv", anyOf: ["audit.view"] },
  {
    method: "GET",
    path: "/reports/summary?from=2026-01-01&to=2026-01-31",
    anyOf: ["reports.view"],
  },
  {
    method: "GET",
    path: "/reports/export.csv?from=2026-01-01&to=2026-01-31&groupBy=agent",
    anyOf: ["reports.view"],
  },
  { method: "GET", path: "/contacts/999999/export", anyOf: ["contacts.export"] },
  { method: "POST", path: "/contacts/999999/erase", anyOf: ["contacts.erase"], body: {} },
  { method: "GET", path: "/contacts/999999", anyOf: ["contacts.view"] },
  { method: "PATCH", path: "/contacts/999999", anyOf: ["contacts.edit"], body: { name: "x" } },
  { method: "GET", path: "/quick-replies", anyOf: ["messages.send"] },
  { method: "POST", path: "/quick-replies", anyOf: ["settings.general"], body: {} },
  {
    method: "PATCH",
    path: "/quick-replies/999999",
    anyOf: ["settings.general"],
    body: { shortcut: "x", title: "x", body: "x" },
  },
  { method: "DELETE", path: "/quick-replies/999999", anyOf: ["settings.general"] },
  {
    method: "GET",
    path: "/whatsapp/templates",
    anyOf: ["templates.view", "templates.manage"],
  },
  { method: "POST", path: "/whatsapp/templates/sync", anyOf: ["templates.manage"] },
  { method: "POST", path: "/whatsapp/templates", anyOf: ["templates.manage"], body: {} },
  { method: "DELETE", path: "/whatsapp/templates/nothing", anyOf: ["templates.manage"] },
  {
    method: "GET",
    path: "/agents",
    anyOf: ["conversations.viewAssigned", "conversations.viewAll"],
  },
  {
    method: "GET",
    path: "/conversations",
    anyOf: ["conversations.viewAssigned", "conversations.viewAll"],
  },
  {
    method: "GET",
    path: "/conversations/999999/messages",
    anyOf: ["conversations.viewAssigned", "conversations.viewAll"],
  },
  { method: "POST", path: "/conversations/999999/messages", anyOf: ["messages.send"], body: {} },
  { method: "POST", path: "/conversations/999999/read", anyOf: ["messages.send"] },
  { method: "POST", path: "/conversations/999999/typing", anyOf: ["messages.send"] },
  {
    method: "GET",
    path: "/conversations/999999",
    anyOf: ["conversations.viewAssigned", "conversations.viewAll"],
  },
  // Claiming also needs a view permission: without one the conversation is invisible (404).
  { method: "POST", path: "/conversations/999999/claim", anyOf: ["messages.send"] },
  {
    method: "POST",
    path: "/conversations/999999/assign",
    // The agent holding a conversation may transfer it without `conversations.assign`.
    anyOf: ["conversations.assign", "conversations.viewAssigned", "conversations.viewAll"],
    body: {},
  },
  { method: "POST", path: "/conversations/999999/status", anyOf: ["messages.send"], body: {} },
  {
    method: "GET",
    path: "/conversations/999999/notes",
    anyOf: ["conversations.viewAssigned", "conversations.viewAll"],
  },
  { method: "POST", path: "/conversations/999999/notes", anyOf: ["messages.send"], body: {} },
  {
    method: "GET",
    path: "/queues",
    anyOf: ["conversations.viewAssigned", "conversations.viewAll", "users.manage"],
  },
  { method: "POST", path: "/queues", anyOf: ["users.manage"], body: {} },
  { method: "PATCH", path: "/queues/999999", anyOf: ["users.manage"], body: { name: "x" } },
  { method: "DELETE", path: "/queues/999999", anyOf: ["users.manage"] },
  {
    method: "POST",
    path: "/conversations/999999/media",
    anyOf: ["messages.send"],
    // Uploads are raw bytes: the custom header is their CSRF guard.
    headers: { [UPLOAD_HEADER]: "1" },
  },
  { method: "GET", path: "/settings/whatsapp", anyOf: ["settings.whatsapp"] },
  { method: "PUT", path: "/settings/whatsapp", anyOf: ["settings.whatsapp"], body: {} },
  { method: "POST", path: "/settings/whatsapp/test", anyOf: ["settings.whatsapp"] },
];

/** Routes every signed-in user may use, whatever their role. */
const OPEN_TO_EVERYONE: readonly RouteCase[] = [
  { method: "GET", path: "/me", anyOf: [] },
  { method: "DELETE", path: "/me/sessions", anyOf: [] },
];

let components: TestComponents;
let server: TestServer;

beforeAll(async () => {
  components = await createTestComponents();
  server = await getTestServer(components);
  // One custom role per permission, holding only that permission.
  await insertOnePermissionRoles(components.db);
});

afterAll(async () => {
  await server?.close();
  await components?.cleanup();
});

async function signInAs(role: string): Promise<string> {
  return (await signIn(server.url, components.db, { role })).cookie;
}

async function statusOf(
  route: RouteCase,
  cookie: string,
): Promise<{ status: number; error?: string }> {
  const response = await fetch(`${server.url}/api${route.path}`, {
    method: route.method,
    headers: { "Content-Type": "application/json", Cookie: cookie, ...route.headers },
    ...(route.body === undefined ? {} : { body: JSON.stringify(route.body) }),
  });
  const body = await jsonBody(response).catch(() => undefined);
  return { status: response.status, ...(body?.error === undefined ? {} : { error: body.error }) };
}

describe("authorisation matrix", () => {
  it.each(matrixRoleCases)(
    "$role reaches exactly the routes its permissions allow",
    async ({ role, grants }) => {
      // Sessions end on DELETE /me/sessions, so it runs last, with its own cookie.
      const cookie = await signInAs(role);
      const outcomes: string[] = [];
      for (const route of ROUTES) {
        const allowed = route.anyOf.some((permission) => grants.has(permission));
        const { status, error } = await statusOf(route, cookie);
        const refused = status === 403 && error === "forbidden";
        if (allowed === refused) {
          outcomes.push(
            `${route.method} ${route.path}: expected ${allowed ? "through" : "403"}, got ${status}`,
          );
        }
      }
      for (const route of OPEN_TO_EVERYONE) {
        const { status } = await statusOf(route, cookie);
        if (status >= 400) outcomes.push(`${route.method} ${route.path}: got ${status}`);
      }
      expect(outcomes).toEqual([]);
    },
  );

  it("refuses every protected route to a request without a session", async () => {
    for (const route of [...ROUTES, ...OPEN_TO_EVERYONE]) {
      expect((await statusOf(route, "")).status, `${route.method} ${route.path}`).toBe(401);
    }
  });

  it("gives a built-in admin every permission there is", () => {
    expect([...builtinRolePermissions.admin].sort()).toEqual([...permissions].sort());
  });
});
