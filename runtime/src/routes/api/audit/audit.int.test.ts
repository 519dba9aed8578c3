import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
let admin: { cookie: string; id: number };

beforeAll(async () => {
  components = await createTestComponents();
  server = await getTestServer(components);
  const { user, password } = await buildUser(components.db, { role: "admin" });
  admin = { cookie: await signIn(user.email, password), id: user.id };
});

afterAll(async () => {
  await server?.close();
  await components?.cleanup();
});

async function signIn(email: string, password: string, userAgent = "vitest-audit") {
  const response = await fetch(`${server.url}/api/session`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "User-Agent": userAgent },
    body: JSON.stringify({ email, password }),
  });
  return (response.headers.getSetCookie()[0] ?? "").split(";")[0] ?? "";
}

const get = (path: string, cookie = admin.cookie) =>
  fetch(`${server.url}/api${path}`, { headers: { Cookie: cookie } });

describe("activity log viewer", () => {
  it("shows who did what, when, from which address and device, newest first", async () => {
    const { user } = await buildUser(components.db, { email: "rosa@example.com" });
    await signIn(user.email, "wrong password", "Mozilla/5.0 (Android 14) Chrome/131");
    const response = await get("/audit?action=sessions.fail");
    expect(response.status).toBe(200);
    const page = (await jsonBody(response)).data as unknown as {
      entries: Array<Record<string, unknown>>;
    };
    expect(page.entries[0]).toMatchObject({
      action: "sessions.fail",
      actor: null,
      ip: expect.stringMatching(/127\.0\.0\.1/),
      userAgent: "Mozilla/5.0 (Android 14) Chrome/131",
      data: { email: "rosa@example.com", reason: "wrong_password", userId: user.id },
    });
  });

  it("filters by action family and actor, and pages with a cursor without gaps or repeats", async () => {
    for (let index = 0; index < 5; index++) {
      await fetch(`${server.url}/api/users`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Cookie: admin.cookie },
        body: JSON.stringify({
          email: `paged-${index}@example.com`,
          name: `P${index}`,
          role: "agent",
        }),
      });
    }
    const seen: number[] = [];
    let before: number | null | undefined;
    do {
      const query = `/audit?action=users.&actorUserId=${admin.id}&limit=2${before ? `&before=${before}` : ""}`;
      const page = (await jsonBody(await get(query))).data as unknown as {
        entries: Array<{ id: number; action: string; actor: { id: number } }>;
        nextBefore: number | null;
      };
      for (const entry of page.entries) {
        expect(entry.action.startsWith("users.")).toBe(true);
        expect(entry.actor.id).toBe(admin.id);
        seen.push(entry.id);
      }
      before = page.nextBefore;
    } while (before);
    expect(seen).toHaveLength(5);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
  });

  it("exports CSV that spreadsheets cannot run as formulas, and records the export", async () => {
    await signIn("someone@example.com", "wrong", '=HYPERLINK("http://evil")');
    const response = await get("/audit/export.csv?action=sessions.");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    const csv = await response.text();
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("id,at,action,actor_id,actor_email,ip,user_agent,data");
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csv).not.toMatch(/,=HYPERLINK/);

    const exports = (await jsonBody(await get("/audit?action=audit.export"))).data as unknown as {
      entries: Array<{ actor: { id: number } }>;
    };
    expect(exports.entries[0]?.actor.id).toBe(admin.id);
  });

  it("refuses bad filters with the parameter named", async () => {
    for (const [query, field] of [
      ["limit=5000", "limit"],
      ["from=yesterday", "from"],
      ["action=users;drop", "action"],
      ["from=2026-02-01&to=2026-01-01", "from"],
      ["colour=red", "query"],
    ] as const) {
      const response = await get(`/audit?${query}`);
      expect(response.status, query).toBe(400);
      expect((await jsonBody(response)).data).toEqual({ field });
    }
  });

  it("is append-only: the database refuses to change or delete entries", async () => {
    await expect(components.db("activity_log").update({ action: "forged" })).rejects.toThrow(
      /append-only/,
    );
    await expect(components.db("activity_log").delete()).rejects.toThrow(/append-only/);
    expect(
      Number((await components.db("activity_log").count({ n: "*" }).first())?.n),
    ).toBeGreaterThan(0);
  });
});
