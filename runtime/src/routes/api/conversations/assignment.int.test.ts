import type { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type {
  ConversationPagePayload,
  ConversationSummaryPayload,
} from "../../../../contracts/conversations.js";
import type { ConversationChanged } from "../../../../contracts/socket-events.js";
import { tenantEventsChannel } from "../../../sockets/tenantEvents.js";
import { apiCall, signIn as signInAs } from "../../../test/api.js";
import { buildUser, insertContact } from "../../../test/factories.js";
import { createTestComponents, type TestComponents } from "../../../test/support.js";
import { startWhatsappStack, type WhatsappStack } from "../../../test/whatsappStack.js";

/** Claiming, transferring, releasing and resolving conversations, as agents and managers do. */
let components: TestComponents;
let stack: WhatsappStack;
let subscriber: Redis;
/** `conversation:changed` broadcasts published on Redis. */
const changes: ConversationChanged[] = [];

interface Person {
  id: number;
  name: string;
  cookie: string;
}
let manager: Person;
let ana: Person;
let bia: Person;
let caio: Person;
let salesQueueId: number;

async function signIn(role: string, name: string): Promise<Person> {
  const { user, cookie } = await signInAs(stack.server.url, components.db, { role, name });
  return { id: user.id, name, cookie };
}

let customerSeq = 0;
/** A conversation waiting in `queueId` (null: the general queue), optionally assigned. */
async function conversation(
  options: { queueId?: number | null; assignedUserId?: number | null; minutesAgo?: number } = {},
): Promise<number> {
  customerSeq += 1;
  const contactId = await insertContact(components.db, components.env, {
    waId: `55119300${String(customerSeq).padStart(5, "0")}`,
    name: `Cliente ${customerSeq}`,
  });
  const at = new Date(Date.now() - (options.minutesAgo ?? 1) * 60_000);
  const [id] = await components.db("conversations").insert({
    contact_id: contactId,
    status: "open",
    queue_id: options.queueId ?? null,
    assigned_user_id: options.assignedUserId ?? null,
    opened_at: at,
    last_message_at: at,
    last_inbound_at: at,
  });
  return id as number;
}

async function call(
  person: Person,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; error?: string; data: Record<string, unknown> }> {
  const { status, body: json } = await apiCall(stack.server.url, person.cookie)(
    method,
    `/conversations${path}`,
    body,
  );
  return {
    status,
    data: json.data,
    ...(json.error === undefined ? {} : { error: json.error }),
  };
}

async function list(person: Person, query = ""): Promise<ConversationPagePayload> {
  const response = await call(person, "GET", query);
  expect(response.status).toBe(200);
  return response.data as unknown as ConversationPagePayload;
}

const idsOf = (page: ConversationPagePayload) => page.conversations.map((item) => item.id);

async function auditActions(conversationId: number): Promise<string[]> {
  const rows = (await components
    .db("activity_log")
    .where("action", "like", "conversations.%")
    .orderBy("id")
    .select("action", "data")) as Array<{
    action: string;
    data: string | { conversationId?: number };
  }>;
  return rows
    .filter((row) => {
      const data = typeof row.data === "string" ? JSON.parse(row.data) : row.data;
      return data?.conversationId === conversationId;
    })
    .map((row) => row.action);
}

beforeAll(async () => {
  components = await createTestComponents();
  stack = await startWhatsappStack(components);
  manager = await signIn("manager", "Marta Gerente");
  ana = await signIn("agent", "Ana Agente");
  bia = await signIn("agent", "Bia Agente");
  caio = await signIn("agent", "Caio Agente");
  const [queueId] = await components.db("queues").insert({ name: "Vendas" });
  salesQueueId = queueId as number;
  await components.db("queue_members").insert({ queue_id: salesQueueId, user_id: ana.id });
  subscriber = components.redis.duplicate();
  subscriber.on("message", (_channel: string, text: string) => {
    const { event, envelope } = JSON.parse(text) as {
      event: string;
      envelope: { data: ConversationChanged };
    };
    if (event === "conversation:changed") changes.push(envelope.data);
  });
  await subscriber.subscribe(tenantEventsChannel(components.env));
}, 60_000);

afterAll(async () => {
  await subscriber?.quit();
  await stack?.close();
  await components?.cleanup();
});

beforeEach(() => {
  changes.length = 0;
});

describe("claiming", () => {
  it("lets exactly one of many agents claiming at once win; the others learn who has it", async () => {
    const id = await conversation();
    const agents = [
      ana,
      bia,
      caio,
      ...(await Promise.all([1, 2, 3, 4, 5].map((n) => signIn("agent", `Agente ${n}`)))),
    ];
    const results = await Promise.all(agents.map((agent) => call(agent, "POST", `/${id}/claim`)));
    expect(results.filter((result) => result.status === 200)).toHaveLength(1);
    const winnerIndex = results.findIndex((result) => result.status === 200);
    const winner = agents[winnerIndex] as Person;
    expect(results[winnerIndex]?.data).toMatchObject({
      id,
      assignedUserId: winner.id,
      assignee: { id: winner.id, name: winner.name },
    });
    for (const loser of results.filter((_, index) => index !== winnerIndex)) {
      expect(loser.status).toBe(409);
      expect(loser.error).toBe("conflict");
      expect(loser.data).toEqual({
        reason: "conversation_taken",
        assignee: { id: winner.id, name: winner.name },
      });
    }
    const row = await components.db("conversations").where({ id }).first();
    expect(row.assigned_user_id).toBe(winner.id);
    expect(row.assigned_at).not.toBeNull();
    expect(await auditActions(id)).toEqual(["conversations.claim"]);
    await expect.poll(() => changes.filter((c) => c.conversation.id === id).length).toBe(1);
    expect(changes.find((c) => c.conversation.id === id)).toMatchObject({
      change: "assigned",
      by: { id: winner.id, name: winner.name },
      previousAssignedUserId: null,
      conversation: { assignedUserId: winner.id },
    });
  });

  it("answers 200 and changes nothing when the agent claims a conversation they already hold", async () => {
    const id = await conversation({ assignedUserId: bia.id });
    const again = await call(bia, "POST", `/${id}/claim`);
    expect(again.status).toBe(200);
    expect(again.data).toMatchObject({ assignedUserId: bia.id });
    expect(await auditActions(id)).toEqual([]);
  });

  it("refuses, as not found, a conversation waiting in a queue the agent does not work", async () => {
    const id = await conversation({ queueId: salesQueueId });
    expect((await call(bia, "POST", `/${id}/claim`)).status).toBe(404);
    expect((await call(ana, "POST", `/${id}/claim`)).status).toBe(200);
  });

  it("refuses bad ids", async () => {
    for (const id of ["abc", "0", "-1", "1.5", "99999999999"]) {
      const response = await call(ana, "POST", `/${id}/claim`);
      expect(response.status, id).toBe(400);
      expect(response.data).toEqual({ field: "id" });
    }
    expect((await call(ana, "POST", "/999999/claim")).status).toBe(404);
  });
});

describe("transfers and releases", () => {
  it("lets the agent holding a conversation transfer it, after which it leaves their list", async () => {
    const id = await conversation({ assignedUserId: bia.id });
    const transfer = await call(bia, "POST", `/${id}/assign`, { userId: caio.id });
    expect(transfer.status).toBe(200);
    expect(transfer.data).toMatchObject({ assignee: { id: caio.id, name: caio.name } });
    expect(idsOf(await list(bia))).not.toContain(id);
    expect(idsOf(await list(caio, "?view=mine"))).toContain(id);
    expect(await auditActions(id)).toEqual(["conversations.assign"]);
    await expect
      .poll(() => changes.find((c) => c.conversation.id === id))
      .toMatchObject({
        change: "assigned",
        by: { id: bia.id, name: bia.name },
        previousAssignedUserId: bia.id,
      });
  });

  it("hides a colleague's conversation from an agent trying to move it (404)", async () => {
    const id = await conversation({ assignedUserId: caio.id });
    const response = await call(bia, "POST", `/${id}/assign`, { userId: bia.id });
    expect(response.status).toBe(404);
    expect((await components.db("conversations").where({ id }).first()).assigned_user_id).toBe(
      caio.id,
    );
  });

  it("does not let an agent give away an unassigned conversation they may see (claim it instead)", async () => {
    const id = await conversation();
    expect((await call(bia, "POST", `/${id}/assign`, { userId: caio.id })).status).toBe(403);
  });

  it("lets a manager reassign any conversation and move it between queues", async () => {
    const id = await conversation({ assignedUserId: caio.id });
    const moved = await call(manager, "POST", `/${id}/assign`, {
      userId: null,
      queueId: salesQueueId,
    });
    expect(moved.status).toBe(200);
    expect(moved.data).toMatchObject({
      assignedUserId: null,
      assignee: null,
      queueId: salesQueueId,
    });
    // Released into Vendas: Ana (a member) sees it waiting, Caio and Bia no longer do.
    expect(idsOf(await list(ana, "?view=unassigned"))).toContain(id);
    expect(idsOf(await list(caio))).not.toContain(id);
    expect(idsOf(await list(bia))).not.toContain(id);
    const given = await call(manager, "POST", `/${id}/assign`, { userId: bia.id });
    expect(given.data).toMatchObject({ assignedUserId: bia.id, queueId: salesQueueId });
    expect(await auditActions(id)).toEqual(["conversations.release", "conversations.assign"]);
    await expect
      .poll(() => changes.filter((c) => c.conversation.id === id).map((c) => c.change))
      .toEqual(["released", "assigned"]);
  });

  it("lets the agent holding a conversation release it to the general queue", async () => {
    const id = await conversation({ assignedUserId: bia.id });
    const released = await call(bia, "POST", `/${id}/assign`, { userId: null });
    expect(released.status).toBe(200);
    expect(released.data).toMatchObject({ assignedUserId: null, queueId: null });
    const row = await components.db("conversations").where({ id }).first();
    expect(row.assigned_at).toBeNull();
  });

  it("refuses a stale expectedAssignedUserId with 409 and changes nothing", async () => {
    const id = await conversation({ assignedUserId: caio.id });
    const response = await call(manager, "POST", `/${id}/assign`, {
      userId: bia.id,
      expectedAssignedUserId: ana.id,
    });
    expect(response.status).toBe(409);
    expect(response.error).toBe("conflict");
    expect((await components.db("conversations").where({ id }).first()).assigned_user_id).toBe(
      caio.id,
    );
  });

  it("lets only one of two concurrent conditional reassignments through", async () => {
    const id = await conversation({ assignedUserId: caio.id });
    const results = await Promise.all(
      [ana, bia].map((target) =>
        call(manager, "POST", `/${id}/assign`, {
          userId: target.id,
          expectedAssignedUserId: caio.id,
        }),
      ),
    );
    expect(results.map((result) => result.status).sort()).toEqual([200, 409]);
  });

  it("refuses disabled and unknown users, unknown queues and malformed bodies", async () => {
    const id = await conversation();
    const disabled = await buildUser(components.db, { role: "agent", disabledAt: new Date() });
    const { user: admin } = await buildUser(components.db, { role: "admin" });
    const targets: Array<[unknown, string]> = [
      [{ userId: disabled.user.id }, "userId"],
      [{ userId: 999_999 }, "userId"],
      [{ userId: admin.id, queueId: 999_999 }, "queueId"],
      [{ userId: "1" }, "userId"],
      [{ userId: ana.id, extra: true }, ""],
      [{}, "userId"],
    ];
    for (const [body, field] of targets) {
      const response = await call(manager, "POST", `/${id}/assign`, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.data, JSON.stringify(body)).toEqual({ field });
    }
  });

  it("refuses a user with a custom role that cannot see conversations as a target", async () => {
    await components.db("roles").insert({
      key: "auditor-only",
      name: "Auditor",
      builtin: false,
      permissions: JSON.stringify(["audit.view"]),
    });
    const { user } = await buildUser(components.db, { role: "auditor-only" });
    const id = await conversation();
    const response = await call(manager, "POST", `/${id}/assign`, { userId: user.id });
    expect(response.status).toBe(400);
    expect(response.data).toEqual({ field: "userId" });
  });
});

describe("visibility by queue", () => {
  it("shows an agent the general queue, their queues and their own conversations only", async () => {
    const general = await conversation();
    const sales = await conversation({ queueId: salesQueueId });
    const [otherQueue] = await components.db("queues").insert({ name: "Suporte" });
    const support = await conversation({ queueId: otherQueue as number });
    const mineInSupport = await conversation({
      queueId: otherQueue as number,
      assignedUserId: ana.id,
    });

    const anaSees = idsOf(await list(ana, "?limit=100"));
    expect(anaSees).toEqual(expect.arrayContaining([general, sales, mineInSupport]));
    expect(anaSees).not.toContain(support);
    const biaSees = idsOf(await list(bia, "?limit=100"));
    expect(biaSees).toContain(general);
    expect(biaSees).not.toContain(sales);
    expect(biaSees).not.toContain(support);

    expect((await call(ana, "GET", `/${sales}`)).status).toBe(200);
    expect((await call(bia, "GET", `/${sales}`)).status).toBe(404);
    expect((await call(bia, "GET", `/${sales}/messages`)).status).toBe(404);
    expect((await call(manager, "GET", `/${support}`)).status).toBe(200);
  });

  it("shows one conversation as the list does, with its assignee and queue", async () => {
    const id = await conversation({ queueId: salesQueueId, assignedUserId: ana.id });
    const response = await call(ana, "GET", `/${id}`);
    expect(response.status).toBe(200);
    const summary = response.data as unknown as ConversationSummaryPayload;
    expect(summary).toMatchObject({
      id,
      status: "open",
      assignedUserId: ana.id,
      assignee: { id: ana.id, name: ana.name },
      queueId: salesQueueId,
    });
    expect((await call(ana, "GET", "/abc")).status).toBe(400);
    expect((await call(ana, "GET", "/999999")).status).toBe(404);
  });
});

describe("status changes", () => {
  it("resolves, sets pending and reopens, each once", async () => {
    const id = await conversation({ assignedUserId: bia.id });
    const resolved = await call(bia, "POST", `/${id}/status`, { status: "resolved" });
    expect(resolved.status).toBe(200);
    expect(resolved.data).toMatchObject({ id, status: "resolved" });
    expect((await components.db("conversations").where({ id }).first()).resolved_at).not.toBeNull();
    const again = await call(bia, "POST", `/${id}/status`, { status: "resolved" });
    expect(again.status).toBe(200);
    expect((await call(bia, "POST", `/${id}/status`, { status: "pending" })).data).toMatchObject({
      status: "pending",
    });
    const reopened = await call(bia, "POST", `/${id}/status`, { status: "open" });
    expect(reopened.data).toMatchObject({ status: "open" });
    const row = await components.db("conversations").where({ id }).first();
    expect(row.resolved_at).toBeNull();
    expect(await auditActions(id)).toEqual([
      "conversations.changeStatus",
      "conversations.changeStatus",
      "conversations.changeStatus",
    ]);
    await expect
      .poll(() => changes.filter((c) => c.conversation.id === id).map((c) => c.conversation.status))
      .toEqual(["resolved", "pending", "open"]);
    expect(changes.every((c) => c.change === "status" && c.by?.id === bia.id)).toBe(true);
  });

  it("refuses unknown statuses, and another agent's conversation as not found", async () => {
    const id = await conversation({ assignedUserId: bia.id });
    const bad = await call(bia, "POST", `/${id}/status`, { status: "archived" });
    expect(bad.status).toBe(400);
    expect(bad.data).toEqual({ field: "status" });
    expect((await call(caio, "POST", `/${id}/status`, { status: "resolved" })).status).toBe(404);
  });
});

describe("the list", () => {
  it("names each assignee and still pages every conversation once, newest first", async () => {
    const ids: number[] = [];
    for (let index = 0; index < 7; index += 1) {
      ids.push(
        await conversation({
          assignedUserId: index % 2 === 0 ? caio.id : null,
          // Far in the future of this file's other rows, and two sharing one sort time.
          minutesAgo: -1_000 - (index === 3 ? 2 : index),
        }),
      );
    }
    const seen: ConversationSummaryPayload[] = [];
    let after: string | null = null;
    do {
      const page: ConversationPagePayload = await list(
        manager,
        `?limit=2${after === null ? "" : `&after=${after}`}`,
      );
      seen.push(...page.conversations);
      after = page.next;
    } while (after !== null);
    expect(new Set(seen.map((item) => item.id)).size).toBe(seen.length);
    const ours = seen.filter((item) => ids.includes(item.id));
    expect(ours).toHaveLength(7);
    const sortTimes = seen.map((item) => new Date(item.lastMessageAt ?? 0).getTime());
    expect([...sortTimes].sort((left, right) => right - left)).toEqual(sortTimes);
    const caioRows = ours.filter((item) => item.assignedUserId === caio.id);
    expect(caioRows).toHaveLength(4);
    expect(caioRows.every((item) => item.assignee?.name === caio.name)).toBe(true);
    expect(ours.filter((item) => item.assignee === null)).toHaveLength(3);
  });
});

describe("customers' messages", () => {
  it("announces a conversation a new customer's message creates, and one it reopens", async () => {
    const { control } = stack.emulator;
    control.receive({ from: "5511977770001", name: "Nova Pessoa", type: "text", text: "Oi" });
    await control.waitForWebhooks();
    await expect
      .poll(() => changes.find((c) => c.conversation.contact.waId === "5511977770001"), {
        timeout: 10_000,
      })
      .toMatchObject({ change: "created", by: null });
    const id = changes.find((c) => c.conversation.contact.waId === "5511977770001")?.conversation
      .id as number;
    expect((await call(manager, "POST", `/${id}/status`, { status: "resolved" })).status).toBe(200);
    changes.length = 0;
    control.receive({ from: "5511977770001", name: "Nova Pessoa", type: "text", text: "De novo" });
    await control.waitForWebhooks();
    await expect
      .poll(() => changes.find((c) => c.conversation.id === id), { timeout: 10_000 })
      .toMatchObject({ change: "status", by: null, conversation: { status: "open" } });
  });
});

describe("first response", () => {
  it("marks an agent's reply as theirs and stamps the first response once", async () => {
    const id = await conversation({ assignedUserId: ana.id });
    const send = (clientKey: string) =>
      call(ana, "POST", `/${id}/messages`, {
        clientKey,
        message: { type: "text", body: "Olá, posso ajudar?" },
      });
    expect((await send(`first-reply-${id}`)).status).toBe(201);
    const first = await components.db("conversations").where({ id }).first();
    expect(first.first_response_at).not.toBeNull();
    expect((await send(`second-reply-${id}`)).status).toBe(201);
    const second = await components.db("conversations").where({ id }).first();
    expect(second.first_response_at).toEqual(first.first_response_at);
    const origins = await components.db("messages").where({ conversation_id: id }).pluck("origin");
    expect(origins).toEqual(["agent", "agent"]);
  });
});
