import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { QueuePayload } from "../../../../contracts/conversations.js";
import { apiCall, signIn as signInAs } from "../../../test/api.js";
import { insertContact } from "../../../test/factories.js";
import {
  createTestComponents,
  getTestServer,
  type TestComponents,
  type TestServer,
} from "../../../test/support.js";

/** Queues (teams): admins define them and their members; agents list them. */
let components: TestComponents;
let server: TestServer;
let admin: string;
let agent: { id: number; cookie: string };
let manager: string;

async function signIn(role: string): Promise<{ id: number; cookie: string }> {
  const { user, cookie } = await signInAs(server.url, components.db, { role });
  return { id: user.id, cookie };
}

const call = (cookie: string, method: string, path: string, body?: unknown) =>
  apiCall(server.url, cookie)(method, `/queues${path}`, body);

beforeAll(async () => {
  components = await createTestComponents();
  server = await getTestServer(components);
  admin = (await signIn("admin")).cookie;
  agent = await signIn("agent");
  manager = (await signIn("manager")).cookie;
}, 30_000);

afterAll(async () => {
  await server?.close();
  await components?.cleanup();
});

describe("queues", () => {
  it("creates, renames, changes members and lists queues, each change audited", async () => {
    const created = await call(admin, "POST", "/", {
      name: "  Vendas  ",
      memberUserIds: [agent.id, agent.id],
    });
    expect(created.status).toBe(201);
    const queue = created.body.data as unknown as QueuePayload;
    expect(queue).toMatchObject({ name: "Vendas", memberUserIds: [agent.id] });

    const renamed = await call(admin, "PATCH", `/${queue.id}`, { name: "Vendas B2B" });
    expect(renamed.body.data).toEqual({
      id: queue.id,
      name: "Vendas B2B",
      memberUserIds: [agent.id],
    });
    const emptied = await call(admin, "PATCH", `/${queue.id}`, {
      name: "Vendas B2B",
      memberUserIds: [],
    });
    expect(emptied.body.data).toMatchObject({ memberUserIds: [] });

    const listed = await call(agent.cookie, "GET", "/");
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([{ id: queue.id, name: "Vendas B2B", memberUserIds: [] }]);
    const actions = await components
      .db("activity_log")
      .where("action", "like", "queues.%")
      .orderBy("id")
      .pluck("action");
    expect(actions).toEqual(["queues.create", "queues.update", "queues.update"]);
  });

  it("refuses a duplicate name (case-insensitive) with 409", async () => {
    expect((await call(admin, "POST", "/", { name: "Suporte" })).status).toBe(201);
    const duplicate = await call(admin, "POST", "/", { name: "suporte" });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error).toBe("conflict");
    const other = (await call(admin, "POST", "/", { name: "Financeiro" })).body
      .data as unknown as QueuePayload;
    expect((await call(admin, "PATCH", `/${other.id}`, { name: "SUPORTE" })).status).toBe(409);
  });

  it("refuses unknown members, bad names and bad ids", async () => {
    const unknown = await call(admin, "POST", "/", { name: "Fantasma", memberUserIds: [999_999] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.data).toEqual({ field: "memberUserIds" });
    expect(await components.db("queues").where({ name: "Fantasma" })).toHaveLength(0);
    for (const body of [
      { name: "" },
      { name: "x".repeat(81) },
      { name: "a\u0007b" },
      { name: "ok", memberUserIds: ["1"] },
      { name: "ok", other: true },
    ]) {
      expect((await call(admin, "POST", "/", body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await call(admin, "PATCH", "/abc", { name: "x" })).status).toBe(400);
    expect((await call(admin, "PATCH", "/999999", { name: "x" })).status).toBe(404);
    expect((await call(admin, "DELETE", "/999999")).status).toBe(404);
  });

  it("sends a deleted queue's conversations back to the general queue", async () => {
    const queue = (await call(admin, "POST", "/", { name: "Temporária" })).body
      .data as unknown as QueuePayload;
    const contactId = await insertContact(components.db, components.env, {
      waId: "5511966660001",
    });
    const [conversationId] = await components
      .db("conversations")
      .insert({ contact_id: contactId, status: "open", queue_id: queue.id });
    const deleted = await call(admin, "DELETE", `/${queue.id}`);
    expect(deleted.status).toBe(200);
    expect(
      (await components.db("conversations").where({ id: conversationId }).first()).queue_id,
    ).toBeNull();
    expect(
      ((await call(admin, "GET", "/")).body.data as unknown as QueuePayload[]).map((q) => q.id),
    ).not.toContain(queue.id);
  });

  it("lets only user managers change queues", async () => {
    for (const cookie of [agent.cookie, manager]) {
      expect((await call(cookie, "POST", "/", { name: "Proibida" })).status).toBe(403);
      expect((await call(cookie, "PATCH", "/1", { name: "Proibida" })).status).toBe(403);
      expect((await call(cookie, "DELETE", "/1")).status).toBe(403);
      expect((await call(cookie, "GET", "/")).status).toBe(200);
    }
    expect((await call("", "GET", "/")).status).toBe(401);
  });
});
