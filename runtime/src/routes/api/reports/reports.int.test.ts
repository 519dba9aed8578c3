import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReportRow, ReportSummaryPayload } from "../../../../contracts/reports.js";
import { startOfDay } from "../../../commands/reportBuilder.js";
import { sessionCookie } from "../../../test/api.js";
import { buildUser, insertContact } from "../../../test/factories.js";
import {
  createTestComponents,
  getTestServer,
  jsonBody,
  type TestComponents,
  type TestServer,
} from "../../../test/support.js";

let components: TestComponents;
let server: TestServer;
let managerCookie: string;
let ana: number;
let bruno: number;

beforeAll(async () => {
  components = await createTestComponents();
  server = await getTestServer(components);
  const manager = await buildUser(components.db, { role: "manager" });
  managerCookie = await signIn(manager.user.email, manager.password);
  ana = (await buildUser(components.db, { name: "Ana Lima" })).user.id;
  // A name a spreadsheet would run as a formula.
  bruno = (await buildUser(components.db, { name: '=HYPERLINK("http://evil.example")' })).user.id;
  await seedConversations();
});

afterAll(async () => {
  await server?.close();
  await components?.cleanup();
});

const signIn = (email: string, password: string) => sessionCookie(server.url, email, password);

const at = (iso: string, plusSeconds = 0) => new Date(Date.parse(iso) + plusSeconds * 1000);

async function message(
  conversationId: number,
  direction: "inbound" | "outbound",
  sentAt: Date,
  extra: { origin?: string; sent_by_user_id?: number } = {},
): Promise<void> {
  await components.db("messages").insert({
    conversation_id: conversationId,
    direction,
    wamid: `wamid.${randomBytes(10).toString("hex")}`,
    type: "text",
    content: JSON.stringify({ type: "text", body: "oi" }),
    text: "oi",
    sent_at: sentAt,
    ...extra,
  });
}

async function conversation(values: Record<string, unknown>): Promise<number> {
  const contactId = await insertContact(components.db, components.env, {
    waId: `55119${randomBytes(4).readUInt32BE() % 1e8}`,
  });
  const [id] = await components.db("conversations").insert({ contact_id: contactId, ...values });
  return id as number;
}

/**
 * March 2026 in São Paulo (UTC-3): B and C fall on 1 March (C at 23:30 local, already 2 March
 * in UTC), D and E on 2 March; A (23:59 on 28 Feb local) and F (00:00 on 3 March) fall outside.
 */
async function seedConversations(): Promise<void> {
  const [queueId] = await components.db("queues").insert({ name: "Vendas" });
  const outside = await conversation({ opened_at: at("2026-03-01T02:59:00Z") });
  await message(outside, "inbound", at("2026-03-01T02:59:00Z"));
  await message(outside, "outbound", at("2026-03-01T02:59:10Z"), { origin: "agent" });

  // B: an agent answers after 60 s (first_response_at not set: computed from messages), resolved
  // after 600 s.
  const b = await conversation({
    opened_at: at("2026-03-01T03:00:00Z"),
    status: "resolved",
    resolved_at: at("2026-03-01T03:00:00Z", 600),
    assigned_user_id: ana,
    queue_id: queueId,
  });
  await message(b, "inbound", at("2026-03-01T03:00:00Z"));
  await message(b, "outbound", at("2026-03-01T03:00:00Z", 60), {
    origin: "agent",
    sent_by_user_id: ana,
  });
  await message(b, "outbound", at("2026-03-01T03:00:00Z", 90), { origin: "automatic" });

  // C: answered automatically after 5 s, still open.
  const c = await conversation({
    opened_at: at("2026-03-02T02:30:00Z"),
    first_response_at: at("2026-03-02T02:30:00Z", 5),
    assigned_user_id: ana,
  });
  await message(c, "inbound", at("2026-03-02T02:30:00Z"));
  await message(c, "outbound", at("2026-03-02T02:30:00Z", 5), { origin: "automatic" });

  // D: nobody answered; resolved after an hour.
  const d = await conversation({
    opened_at: at("2026-03-02T03:00:00Z"),
    status: "resolved",
    resolved_at: at("2026-03-02T03:00:00Z", 3600),
  });
  await message(d, "inbound", at("2026-03-02T03:00:00Z"));

  // E: a system message (consent prompt) does not count; the agent answers after 120 s.
  const e = await conversation({
    opened_at: at("2026-03-03T02:59:59Z"),
    first_response_at: at("2026-03-03T02:59:59Z", 120),
    assigned_user_id: bruno,
  });
  await message(e, "inbound", at("2026-03-03T02:59:59Z"));
  await message(e, "outbound", at("2026-03-03T02:59:59Z", 1), { origin: "system" });
  await message(e, "outbound", at("2026-03-03T02:59:59Z", 120), {
    origin: "agent",
    sent_by_user_id: bruno,
  });

  const after = await conversation({ opened_at: at("2026-03-03T03:00:00Z") });
  await message(after, "inbound", at("2026-03-03T03:00:00Z"));
}

async function summary(query: string, cookie = managerCookie) {
  const response = await fetch(`${server.url}/api/reports/summary?${query}`, {
    headers: { Cookie: cookie },
  });
  return { status: response.status, body: await jsonBody(response) };
}

async function report(query: string): Promise<ReportSummaryPayload> {
  const { status, body } = await summary(query);
  expect(status).toBe(200);
  return body.data as unknown as ReportSummaryPayload;
}

describe("manager reports", () => {
  it("counts conversations per São Paulo day with response and resolution times", async () => {
    const data = await report("from=2026-03-01&to=2026-03-02");
    expect(data.timeZone).toBe("America/Sao_Paulo");
    expect(data.totals).toEqual({
      conversations: 4,
      firstResponse: { count: 3, averageSeconds: 61.667, p50Seconds: 60, p90Seconds: 108 },
      resolution: { count: 2, averageSeconds: 2100, p50Seconds: 2100, p90Seconds: 3300 },
      answeredAutomatically: 1,
      automaticShare: 0.3333,
    });
    expect(data.rows.map((row) => [row.day, row.conversations])).toEqual([
      ["2026-03-01", 2],
      ["2026-03-02", 2],
    ]);
    const [first, second] = data.rows as [ReportRow, ReportRow];
    expect(first.firstResponse).toEqual({
      count: 2,
      averageSeconds: 32.5,
      p50Seconds: 32.5,
      p90Seconds: 54.5,
    });
    expect(first.automaticShare).toBe(0.5);
    expect(first.resolution.p50Seconds).toBe(600);
    expect(second.firstResponse.p50Seconds).toBe(120);
    expect(second.automaticShare).toBe(0);
    expect(second.resolution.averageSeconds).toBe(3600);
  });

  it("groups by agent and by queue, naming the general queue", async () => {
    const byAgent = await report("from=2026-03-01&to=2026-03-02&groupBy=agent");
    expect(byAgent.rows.map((row) => [row.agent?.id, row.conversations])).toEqual(
      expect.arrayContaining([
        [ana, 2],
        [bruno, 1],
        [null, 1],
      ]),
    );
    expect(byAgent.rows[0]?.agent).toEqual({ id: ana, name: "Ana Lima" });
    expect(byAgent.rows).toHaveLength(3);

    const byQueue = await report("from=2026-03-01&to=2026-03-02&groupBy=queue");
    expect(byQueue.rows.map((row) => [row.queue?.name, row.conversations])).toEqual([
      ["Fila geral", 3],
      ["Vendas", 1],
    ]);

    const byDayAgent = await report("from=2026-03-01&to=2026-03-02&groupBy=day_agent");
    expect(byDayAgent.rows.map((row) => [row.day, row.agent?.id, row.conversations])).toEqual([
      ["2026-03-01", ana, 2],
      ["2026-03-02", null, 1],
      ["2026-03-02", bruno, 1],
    ]);
  });

  it("answers a period without conversations with zeros and nulls, one row per day", async () => {
    const data = await report("from=2025-01-01&to=2025-01-03");
    expect(data.rows).toHaveLength(3);
    expect(data.totals).toEqual({
      conversations: 0,
      firstResponse: { count: 0, averageSeconds: null, p50Seconds: null, p90Seconds: null },
      resolution: { count: 0, averageSeconds: null, p50Seconds: null, p90Seconds: null },
      answeredAutomatically: 0,
      automaticShare: null,
    });
  });

  it.each([
    ["from after to", "from=2026-03-02&to=2026-03-01", "from"],
    ["a period over 366 days", "from=2025-01-01&to=2026-01-02", "to"],
    ["an impossible date", "from=2026-02-30&to=2026-03-01", "from"],
    ["a missing date", "from=2026-03-01", "to"],
    ["an unknown grouping", "from=2026-03-01&to=2026-03-02&groupBy=contact", "groupBy"],
    ["an unknown parameter", "from=2026-03-01&to=2026-03-02&x=<script>", "query"],
  ])("refuses %s with 400", async (_label, query, field) => {
    const { status, body } = await summary(query);
    expect(status).toBe(400);
    expect(body.error).toBe("validation_error");
    expect(body.data.field).toBe(field);
  });

  it("accepts a whole leap year", async () => {
    expect((await report("from=2024-01-01&to=2024-12-31")).rows).toHaveLength(366);
  });

  it("is refused to agents and to visitors without a session", async () => {
    const agent = await buildUser(components.db, { role: "agent" });
    const cookie = await signIn(agent.user.email, agent.password);
    const refused = await summary("from=2026-03-01&to=2026-03-02", cookie);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe("forbidden");
    const csv = await fetch(`${server.url}/api/reports/export.csv?from=2026-03-01&to=2026-03-02`, {
      headers: { Cookie: cookie },
    });
    expect(csv.status).toBe(403);
    expect((await summary("from=2026-03-01&to=2026-03-02", "")).status).toBe(401);
  });

  it("exports the same rows as CSV with formulas defused", async () => {
    const response = await fetch(
      `${server.url}/api/reports/export.csv?from=2026-03-01&to=2026-03-02&groupBy=agent`,
      { headers: { Cookie: managerCookie } },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(
      'attachment; filename="report-agent-2026-03-01-2026-03-02.csv"',
    );
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).split("\r\n");
    expect(lines[0]).toBe(
      "agent_id,agent_name,conversations,first_response_count,first_response_avg_seconds," +
        "first_response_p50_seconds,first_response_p90_seconds,resolved_count," +
        "resolution_avg_seconds,resolution_p50_seconds,resolution_p90_seconds," +
        "answered_automatically,automatic_share",
    );
    expect(lines).toContain(`${ana},Ana Lima,2,2,32.5,32.5,54.5,1,600,600,600,1,0.5`);
    expect(lines).toContain(
      `${bruno},"'=HYPERLINK(""http://evil.example"")",1,1,120,120,120,0,,,,0,0`,
    );
    expect(lines).toContain(",,1,0,,,,1,3600,3600,3600,0,");
    expect(lines).toHaveLength(5);

    const bad = await fetch(`${server.url}/api/reports/export.csv?from=2026-03-01&to=x`, {
      headers: { Cookie: managerCookie },
    });
    expect(bad.status).toBe(400);
  });

  it("finds the start of a day in time zones with daylight saving time", () => {
    expect(startOfDay("2026-03-01", "America/Sao_Paulo").toISOString()).toBe(
      "2026-03-01T03:00:00.000Z",
    );
    // New York moves to summer time on 8 March 2026; midnight is before the change.
    expect(startOfDay("2026-03-08", "America/New_York").toISOString()).toBe(
      "2026-03-08T05:00:00.000Z",
    );
    expect(startOfDay("2026-03-09", "America/New_York").toISOString()).toBe(
      "2026-03-09T04:00:00.000Z",
    );
  });
});
