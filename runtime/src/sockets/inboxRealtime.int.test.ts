import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentDirectoryEntry } from "../../contracts/conversations.js";
import type {
  ClientToServerEvents,
  EventsReplay,
  ServerToClientEvents,
} from "../../contracts/socket-events.js";
import { sessionCookie } from "../test/api.js";
import { buildUser, insertContact } from "../test/factories.js";
import { createTestComponents, jsonBody, type TestComponents } from "../test/support.js";
import { startWhatsappStack, type WhatsappStack } from "../test/whatsappStack.js";
import { onEachEvent } from "./onEachEvent.js";
import { TenantEventPublisher } from "./tenantEvents.js";

/**
 * The inbox in real time, as agents live it: who receives which conversation's events, typing
 * between agents and to the customer's phone, presence, catch-up after a network drop, and what
 * happens to forged or malformed socket traffic. Real server, workers, MariaDB, Redis and the
 * WhatsApp emulator; real socket.io-client sockets signed in as real users.
 */
type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Received {
  event: string;
  envelope: { id: string; data: Record<string, unknown> };
  /** Which Socket.IO frame it came in (events of one `events:batch` share it). */
  frame: number;
}

interface Person {
  id: number;
  name: string;
  cookie: string;
}

interface Live {
  client: ClientSocket;
  /** Every event, `events:batch` frames unpacked. */
  received: Received[];
  /** The name of every frame as it came (`events:batch` for a batch). */
  frames: string[];
}

let components: TestComponents;
let stack: WhatsappStack;
const clients: ClientSocket[] = [];
let salesQueueId: number;
let supportQueueId: number;
let manager: Person;
/** Agent in the sales queue. */
let ana: Person;
/** Agent in the support queue. */
let bia: Person;
/** Another agent in the sales queue (sees what Ana sees). */
let caio: Person;

beforeAll(async () => {
  components = await createTestComponents();
  stack = await startWhatsappStack(components);
  const [sales] = await components.db("queues").insert({ name: "Vendas" });
  const [support] = await components.db("queues").insert({ name: "Suporte" });
  salesQueueId = sales as number;
  supportQueueId = support as number;
  manager = await signIn("manager", "Marta Gerente");
  ana = await signIn("agent", "Ana Agente", [salesQueueId]);
  bia = await signIn("agent", "Bia Agente", [supportQueueId]);
  caio = await signIn("agent", "Caio Agente", [salesQueueId]);
}, 30_000);

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await stack?.close();
  await components?.cleanup();
});

async function signIn(role: string, name: string, queueIds: number[] = []): Promise<Person> {
  const { user, password } = await buildUser(components.db, { role, name });
  for (const queueId of queueIds) {
    await components.db("queue_members").insert({ queue_id: queueId, user_id: user.id });
  }
  const cookie = await sessionCookie(stack.server.url, user.email, password);
  return { id: user.id, name, cookie };
}

/** A connected socket of `person`, recording every event it receives. */
async function live(person: Person): Promise<Live> {
  const client: ClientSocket = connect(stack.server.url, {
    transports: ["websocket"],
    reconnection: false,
    extraHeaders: { Cookie: person.cookie },
  });
  clients.push(client);
  const received: Received[] = [];
  const frames: string[] = [];
  client.onAny((event: string) => frames.push(event));
  onEachEvent<Received["envelope"]>(client, (event, envelope, frame) =>
    received.push({ event, envelope, frame }),
  );
  await new Promise<void>((resolve, reject) => {
    client.once("connect", resolve);
    client.once("connect_error", reject);
  });
  return { client, received, frames };
}

/** Sends a command and waits for its ack. */
function command(client: ClientSocket, name: string, payload: unknown): Promise<unknown> {
  return (
    client.timeout(5_000).emitWithAck as (name: string, payload: unknown) => Promise<unknown>
  )(name, payload);
}

let customerSeq = 0;
/** A customer writes on WhatsApp; resolves with their number and the conversation stored. */
async function customerWrites(
  waId = `55119400${String(++customerSeq).padStart(5, "0")}`,
  text = "Oi, quero ajuda",
): Promise<{ waId: string; conversationId: number }> {
  const { wamid } = stack.emulator.control.receive({
    from: waId,
    name: "Cliente",
    type: "text",
    text,
  });
  await stack.emulator.control.waitForWebhooks();
  const row = await waitFor(
    async () =>
      (await components.db("messages").where({ wamid }).first("conversation_id")) as
        | { conversation_id: number }
        | undefined,
  );
  return { waId, conversationId: Number(row.conversation_id) };
}

async function waitFor<T>(read: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

/** The conversations whose `message:created` a socket received. */
const messageConversations = (socket: Live) =>
  socket.received
    .filter(({ event }) => event === "message:created")
    .map(({ envelope }) => (envelope.data.message as { conversationId: number }).conversationId);

async function place(
  conversationId: number,
  where: { assignedUserId: number | null; queueId: number | null },
): Promise<void> {
  await components
    .db("conversations")
    .where({ id: conversationId })
    .update({ assigned_user_id: where.assignedUserId, queue_id: where.queueId });
}

describe("who receives a conversation's events", () => {
  it("sends an agent the messages of their conversations and of their queue's unassigned ones, and a manager all", async () => {
    const first = await customerWrites();
    const second = await customerWrites();
    const third = await customerWrites();
    const fourth = await customerWrites();
    await place(first.conversationId, { assignedUserId: bia.id, queueId: salesQueueId });
    await place(second.conversationId, { assignedUserId: null, queueId: salesQueueId });
    await place(third.conversationId, { assignedUserId: null, queueId: supportQueueId });
    await place(fourth.conversationId, { assignedUserId: null, queueId: null });
    const [anaSocket, biaSocket, managerSocket] = await Promise.all([
      live(ana),
      live(bia),
      live(manager),
    ]);

    for (const customer of [first, second, third, fourth]) await customerWrites(customer.waId);
    await expect.poll(() => messageConversations(managerSocket).length).toBe(4);
    await settle();

    expect(messageConversations(managerSocket).sort()).toEqual(
      [first, second, third, fourth].map((c) => c.conversationId).sort(),
    );
    expect(messageConversations(anaSocket).sort()).toEqual(
      [second.conversationId, fourth.conversationId].sort(),
    );
    expect(messageConversations(biaSocket).sort()).toEqual(
      [first.conversationId, third.conversationId, fourth.conversationId].sort(),
    );
  });

  it("tells the previous assignee when a conversation is transferred, then stops sending them its messages", async () => {
    const customer = await customerWrites();
    await place(customer.conversationId, { assignedUserId: ana.id, queueId: salesQueueId });
    const [anaSocket, biaSocket, caioSocket] = await Promise.all([
      live(ana),
      live(bia),
      live(caio),
    ]);

    const response = await fetch(
      `${stack.server.url}/api/conversations/${customer.conversationId}/assign`,
      {
        method: "POST",
        headers: { "Content-Type": "application/json", Cookie: manager.cookie },
        body: JSON.stringify({ userId: bia.id }),
      },
    );
    expect(response.status).toBe(200);
    const changed = (socket: Live) =>
      socket.received.filter(
        ({ event, envelope }) =>
          event === "conversation:changed" &&
          (envelope.data.conversation as { id: number }).id === customer.conversationId,
      );
    await expect.poll(() => changed(anaSocket).length).toBe(1);
    await expect.poll(() => changed(biaSocket).length).toBe(1);
    expect(changed(anaSocket)[0]?.envelope.data).toMatchObject({
      change: "assigned",
      previousAssignedUserId: ana.id,
      conversation: { assignedUserId: bia.id },
    });

    await customerWrites(customer.waId);
    await expect.poll(() => messageConversations(biaSocket)).toContain(customer.conversationId);
    await settle();
    expect(messageConversations(anaSocket)).not.toContain(customer.conversationId);
    // Caio works the same queue but the conversation was never theirs to see.
    expect(changed(caioSocket)).toEqual([]);
    expect(messageConversations(caioSocket)).not.toContain(customer.conversationId);
  });

  it("tells the queue's other agents when one of them takes a waiting conversation", async () => {
    const customer = await customerWrites();
    await place(customer.conversationId, { assignedUserId: null, queueId: salesQueueId });
    const [caioSocket, biaSocket] = await Promise.all([live(caio), live(bia)]);

    const response = await fetch(
      `${stack.server.url}/api/conversations/${customer.conversationId}/claim`,
      { method: "POST", headers: { "Content-Type": "application/json", Cookie: ana.cookie } },
    );
    expect(response.status).toBe(200);
    const changed = (socket: Live) =>
      socket.received.filter(
        ({ event, envelope }) =>
          event === "conversation:changed" &&
          (envelope.data.conversation as { id: number }).id === customer.conversationId,
      );
    // Caio's list showed it waiting: it must now say Ana has it (and leave "Não atribuídas").
    await expect.poll(() => changed(caioSocket).length).toBe(1);
    expect(changed(caioSocket)[0]?.envelope.data).toMatchObject({
      change: "assigned",
      previousAssignedUserId: null,
      conversation: { assignedUserId: ana.id },
    });
    await settle();
    // Bia works another queue: she never saw it.
    expect(changed(biaSocket)).toEqual([]);
  });
});

describe("conversation:open and typing", () => {
  it("refuses to open a conversation the agent may not see, and never shows them its typing", async () => {
    const customer = await customerWrites();
    await place(customer.conversationId, { assignedUserId: bia.id, queueId: null });
    const [anaSocket, biaSocket] = await Promise.all([live(ana), live(bia)]);

    expect(
      await command(anaSocket.client, "conversation:open", {
        conversationId: customer.conversationId,
      }),
    ).toEqual({ error: "not_found" });
    expect(
      await command(anaSocket.client, "conversation:open", { conversationId: 4_000_000_000 }),
    ).toEqual({ error: "not_found" });
    expect(
      await command(anaSocket.client, "typing:start", { conversationId: customer.conversationId }),
    ).toEqual({ error: "not_found" });
    expect(
      await command(biaSocket.client, "conversation:open", {
        conversationId: customer.conversationId,
      }),
    ).toEqual({ data: null });
    expect(
      await command(biaSocket.client, "typing:start", { conversationId: customer.conversationId }),
    ).toEqual({ data: null });
    await settle();
    expect(anaSocket.received.map(({ event }) => event)).not.toContain("agent:typing");
  });

  it("shows an agent's typing to the other agents in the conversation, not to the typist, and on the customer's phone", async () => {
    const customer = await customerWrites();
    await place(customer.conversationId, { assignedUserId: null, queueId: salesQueueId });
    const [anaSocket, caioSocket, managerSocket, elsewhere] = await Promise.all([
      live(ana),
      live(caio),
      live(manager),
      live(manager),
    ]);
    for (const socket of [anaSocket, caioSocket, managerSocket]) {
      expect(
        await command(socket.client, "conversation:open", {
          conversationId: customer.conversationId,
        }),
      ).toEqual({ data: null });
    }

    expect(
      await command(anaSocket.client, "typing:start", { conversationId: customer.conversationId }),
    ).toEqual({ data: null });
    const typing = (socket: Live) =>
      socket.received.filter(({ event }) => event === "agent:typing");
    await expect.poll(() => typing(caioSocket).length).toBe(1);
    await expect.poll(() => typing(managerSocket).length).toBe(1);
    expect(typing(caioSocket)[0]?.envelope.data).toEqual({
      conversationId: customer.conversationId,
      agent: { id: ana.id, name: "Ana Agente" },
    });
    await expect.poll(() => stack.emulator.control.conversation(customer.waId).typing).toBe(true);

    // Typing again at once is refused; the others still saw it only once.
    expect(
      await command(anaSocket.client, "typing:start", { conversationId: customer.conversationId }),
    ).toEqual({ error: "rate_limited" });
    await settle();
    expect(typing(anaSocket)).toEqual([]);
    expect(typing(caioSocket)).toHaveLength(1);
    // A socket of a user who did not open the conversation sees nobody typing in it.
    expect(typing(elsewhere)).toEqual([]);

    // Closing the thread leaves its room.
    expect(await command(caioSocket.client, "conversation:open", { conversationId: null })).toEqual(
      { data: null },
    );
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect(
      await command(anaSocket.client, "typing:start", { conversationId: customer.conversationId }),
    ).toEqual({ data: null });
    await expect.poll(() => typing(managerSocket).length).toBe(2);
    await settle();
    expect(typing(caioSocket)).toHaveLength(1);
  });

  it("takes an agent out of the conversation's room when it is transferred away from them", async () => {
    const customer = await customerWrites();
    await place(customer.conversationId, { assignedUserId: ana.id, queueId: null });
    const [anaSocket, managerSocket] = await Promise.all([live(ana), live(manager)]);
    for (const socket of [anaSocket, managerSocket]) {
      await command(socket.client, "conversation:open", {
        conversationId: customer.conversationId,
      });
    }
    const response = await fetch(
      `${stack.server.url}/api/conversations/${customer.conversationId}/assign`,
      {
        method: "POST",
        headers: { "Content-Type": "application/json", Cookie: manager.cookie },
        body: JSON.stringify({ userId: bia.id }),
      },
    );
    expect(response.status).toBe(200);
    await expect
      .poll(() => anaSocket.received.some(({ event }) => event === "conversation:changed"))
      .toBe(true);
    const biaSocket = await live(bia);
    await command(biaSocket.client, "conversation:open", {
      conversationId: customer.conversationId,
    });
    await command(biaSocket.client, "typing:start", { conversationId: customer.conversationId });
    await expect
      .poll(() => managerSocket.received.some(({ event }) => event === "agent:typing"))
      .toBe(true);
    await settle();
    expect(anaSocket.received.map(({ event }) => event)).not.toContain("agent:typing");
  });
});

describe("presence", () => {
  it("announces an agent online with their first socket and offline with their last, and lists them in the directory", async () => {
    const dora = await signIn("agent", "Dora Agente", [salesQueueId]);
    const watcher = await live(manager);
    const presenceOf = () =>
      watcher.received
        .filter(
          ({ event, envelope }) => event === "presence:updated" && envelope.data.userId === dora.id,
        )
        .map(({ envelope }) => envelope.data.status);
    const directory = async () => {
      const response = await fetch(`${stack.server.url}/api/agents`, {
        headers: { Cookie: manager.cookie },
      });
      expect(response.status).toBe(200);
      const agents = (await jsonBody(response)).data as unknown as AgentDirectoryEntry[];
      return agents.find((agent) => agent.id === dora.id);
    };
    expect(await directory()).toEqual({
      id: dora.id,
      name: "Dora Agente",
      role: "agent",
      online: false,
      queueIds: [salesQueueId],
    });

    const firstTab = await live(dora);
    const secondTab = await live(dora);
    await expect.poll(presenceOf).toEqual(["online"]);
    expect((await directory())?.online).toBe(true);

    firstTab.client.disconnect();
    await settle();
    expect(presenceOf()).toEqual(["online"]);
    expect((await directory())?.online).toBe(true);

    secondTab.client.disconnect();
    await expect.poll(presenceOf).toEqual(["online", "offline"]);
    expect((await directory())?.online).toBe(false);
  });
});

describe("catch-up after a network drop", () => {
  it("replays, oldest first, exactly the missed events the agent may see", async () => {
    const ours = await customerWrites();
    const theirs = await customerWrites();
    await place(ours.conversationId, { assignedUserId: null, queueId: salesQueueId });
    await place(theirs.conversationId, { assignedUserId: bia.id, queueId: null });
    const [anaSocket, caioSocket] = await Promise.all([live(ana), live(caio)]);
    await customerWrites(ours.waId);
    await expect.poll(() => messageConversations(anaSocket)).toContain(ours.conversationId);
    const lastEventId =
      anaSocket.received.findLast(({ envelope }) => /^\d+-\d+$/.test(envelope.id))?.envelope.id ??
      "";
    expect(lastEventId).toMatch(/^\d+-\d+$/);
    anaSocket.client.disconnect();

    await customerWrites(theirs.waId, "não é com a Ana");
    await customerWrites(ours.waId, "primeira");
    await customerWrites(ours.waId, "segunda");
    await new TenantEventPublisher({ redis: components.redis, env: components.env }).publish(
      "note:created",
      {
        note: {
          id: 1,
          conversationId: theirs.conversationId,
          author: null,
          body: "nota de outra conversa",
          createdAt: new Date().toISOString(),
        },
      },
    );
    await expect.poll(() => messageConversations(caioSocket).length).toBeGreaterThanOrEqual(3);
    await settle();

    const back = await live(ana);
    const replay = (await command(back.client, "events:since", { lastEventId })) as {
      data: EventsReplay;
    };
    expect(replay.data.complete).toBe(true);
    // Caio sees what Ana sees and stayed online: the replay is what he received live.
    const journaled = (event: string) => event !== "presence:updated" && event !== "agent:typing";
    const sharedUntil = caioSocket.received.findIndex(
      ({ envelope }) => envelope.id === lastEventId,
    );
    expect(sharedUntil).toBeGreaterThanOrEqual(0);
    const missed = caioSocket.received
      .slice(sharedUntil + 1)
      .filter(({ event }) => journaled(event))
      .map(({ event, envelope }) => ({ name: event, id: envelope.id }));
    expect(replay.data.events.map(({ name, envelope }) => ({ name, id: envelope.id }))).toEqual(
      missed,
    );
    const texts = replay.data.events
      .filter(({ name }) => name === "message:created")
      .map(({ envelope }) =>
        JSON.stringify(
          (envelope.data as unknown as { message: { content: unknown } }).message.content,
        ),
      );
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain("primeira");
    expect(texts[1]).toContain("segunda");
    const conversationIds = replay.data.events.map(({ envelope }) =>
      JSON.stringify(envelope.data).includes(`"conversationId":${theirs.conversationId}`),
    );
    expect(conversationIds).not.toContain(true);

    expect(await command(back.client, "events:since", { lastEventId: "1-0" })).toEqual({
      data: { events: [], complete: false },
    });
    expect(await command(back.client, "events:since", { lastEventId: "99999999999999-0" })).toEqual(
      { data: { events: [], complete: false } },
    );
  });
});

describe("catch-up after a long absence", () => {
  it("asks the browser to reload when more than 500 visible events were missed", async () => {
    // Inserted directly: no worker publishes anything about it meanwhile.
    const contactId = await insertContact(components.db, components.env, {
      waId: "5511988887777",
      name: "Cliente Antigo",
    });
    const [conversationId] = await components
      .db("conversations")
      .insert({ contact_id: contactId, status: "open", assigned_user_id: ana.id });
    const ours = { conversationId: Number(conversationId) };
    const anaSocket = await live(ana);
    const publisher = new TenantEventPublisher({ redis: components.redis, env: components.env });
    const note = (id: number) => ({
      note: {
        id,
        conversationId: ours.conversationId,
        author: null,
        body: `nota ${id}`,
        createdAt: new Date().toISOString(),
      },
    });
    await publisher.publish("note:created", note(0));
    await expect
      .poll(() => anaSocket.received.some(({ event }) => event === "note:created"))
      .toBe(true);
    const lastEventId =
      anaSocket.received.findLast(({ event }) => event === "note:created")?.envelope.id ?? "";
    anaSocket.client.disconnect();
    for (let id = 1; id <= 500; id += 1) await publisher.publish("note:created", note(id));

    const back = await live(ana);
    const full = (await command(back.client, "events:since", { lastEventId })) as {
      data: EventsReplay;
    };
    expect(full.data.complete).toBe(true);
    expect(full.data.events).toHaveLength(500);
    await publisher.publish("note:created", note(501));
    expect(await command(back.client, "events:since", { lastEventId })).toEqual({
      data: { events: [], complete: false },
    });
  });
});

describe("framing", () => {
  it("sends a burst of events complete and in order in fewer frames, and an event after a quiet moment alone at once", async () => {
    const contactId = await insertContact(components.db, components.env, {
      waId: "5511977776666",
      name: "Cliente Rajada",
    });
    const [conversationId] = await components
      .db("conversations")
      .insert({ contact_id: contactId, status: "open", assigned_user_id: ana.id });
    const anaSocket = await live(ana);
    const publisher = new TenantEventPublisher({ redis: components.redis, env: components.env });
    const note = (id: number) => ({
      note: {
        id,
        conversationId: Number(conversationId),
        author: null,
        body: `rajada ${id}`,
        createdAt: new Date().toISOString(),
      },
    });
    const bodies = (received: Received[]) =>
      received
        .filter(({ event }) => event === "note:created")
        .map(({ envelope }) => (envelope.data.note as { body: string }).body);

    const burst = 50;
    await Promise.all(
      Array.from({ length: burst }, (_, id) => publisher.publish("note:created", note(id))),
    );
    await expect.poll(() => bodies(anaSocket.received).length).toBe(burst);
    expect(bodies(anaSocket.received)).toEqual(
      Array.from({ length: burst }, (_, id) => `rajada ${id}`),
    );
    // Journal ids (`<ms>-<seq>`) in increasing order: a resuming browser can trust the last one.
    const ids = anaSocket.received.map(({ envelope }) => envelope.id.split("-").map(Number));
    const byJournalOrder = (a: number[], b: number[]) =>
      (a[0] ?? 0) - (b[0] ?? 0) || (a[1] ?? 0) - (b[1] ?? 0);
    expect([...ids].sort(byJournalOrder)).toEqual(ids);
    expect(anaSocket.frames.length).toBeLessThan(burst);
    expect(anaSocket.frames).toContain("events:batch");

    // Well past the gathering window (10 ms): the next event leaves at once, on its own.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const framesBefore = anaSocket.frames.length;
    const publishedAt = performance.now();
    await publisher.publish("note:created", note(burst));
    await expect.poll(() => bodies(anaSocket.received).length).toBe(burst + 1);
    expect(performance.now() - publishedAt).toBeLessThan(1_000);
    expect(anaSocket.frames.slice(framesBefore)).toEqual(["note:created"]);
  });
});

describe("forged and malformed socket traffic", () => {
  it("answers validation_error to malformed commands and survives commands without an ack", async () => {
    const anaSocket = await live(ana);
    const bad: Array<[string, unknown]> = [
      ["conversation:open", {}],
      ["conversation:open", { conversationId: "12" }],
      ["conversation:open", { conversationId: -1 }],
      ["conversation:open", { conversationId: 1.5 }],
      ["conversation:open", { conversationId: 1, room: "tenant:test:permission:users.manage" }],
      ["typing:start", { conversationId: "<script>alert(1)</script>" }],
      ["typing:start", null],
      ["typing:start", "x".repeat(50_000)],
      ["events:since", { lastEventId: "' OR 1=1 --" }],
      ["events:since", { lastEventId: "1".repeat(40) }],
      ["events:since", { lastEventId: 5 }],
      ["events:since", [{ lastEventId: "1-0" }]],
    ];
    for (const [name, payload] of bad) {
      expect(
        await command(anaSocket.client, name, payload),
        `${name} ${JSON.stringify(payload)}`,
      ).toEqual({ error: "validation_error" });
    }
    // No ack callback at all, and events the server does not know: ignored.
    (anaSocket.client.emit as (name: string, ...args: unknown[]) => void)("typing:start", {
      conversationId: 1,
    });
    (anaSocket.client.emit as (name: string, ...args: unknown[]) => void)("events:since");
    (anaSocket.client.emit as (name: string, ...args: unknown[]) => void)("room:join", {
      room: "tenant:test:permission:conversations.viewAll",
    });
    expect(await command(anaSocket.client, "conversation:open", { conversationId: null })).toEqual({
      data: null,
    });
    expect(anaSocket.client.connected).toBe(true);
  });

  it("never relays an event a client emits itself", async () => {
    const [anaSocket, caioSocket] = await Promise.all([live(ana), live(caio)]);
    const forged = {
      tenant: "test",
      id: "1-0",
      occurredAt: new Date().toISOString(),
      schemaVersion: 1,
      data: { message: { conversationId: 1, text: "falso" }, contactId: 1 },
    };
    for (const name of [
      "message:created",
      "presence:updated",
      "agent:typing",
      "conversation:changed",
    ]) {
      (anaSocket.client.emit as (name: string, ...args: unknown[]) => void)(name, forged);
    }
    await settle();
    expect(caioSocket.received).toEqual([]);
    expect(anaSocket.received).toEqual([]);
  });

  it("disconnects a socket that sends an oversized frame", async () => {
    const anaSocket = await live(ana);
    const closed = new Promise<string>((resolve) => anaSocket.client.once("disconnect", resolve));
    (anaSocket.client.emit as (name: string, ...args: unknown[]) => void)("typing:start", {
      conversationId: 1,
      padding: "x".repeat(200_000),
    });
    expect(await closed).toMatch(/^transport (close|error)$/);
  });

  it("refuses commands once the session is gone, and closes the socket", async () => {
    const temp = await signIn("agent", "Eva Agente", [salesQueueId]);
    const socket = await live(temp);
    // Ended elsewhere (another web process): this process's socket is still open.
    await stack.server.sessions.destroyAllForUser(temp.id);
    const closed = new Promise<string>((resolve) => socket.client.once("disconnect", resolve));
    expect(await command(socket.client, "conversation:open", { conversationId: null })).toEqual({
      error: "unauthorized",
    });
    expect(await closed).toBe("io server disconnect");
  });
});
