import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashSessionId } from "../auth/sessionStore.js";
import { apiCall, type SignedIn, signIn } from "../test/api.js";
import { insertContact } from "../test/factories.js";
import { type ClientSocket, openSocket } from "../test/sockets.js";
import {
  createTestComponents,
  getTestServer,
  type TestComponents,
  type TestServer,
} from "../test/support.js";
import { onEachEvent } from "./onEachEvent.js";
import { TenantEventPublisher } from "./tenantEvents.js";

/**
 * Access changes reach sockets that are already open, on every web process: an administrator
 * works through process A while the agent's socket lives on process B (both on the same
 * database and Redis, as two containers of a tenant would be).
 */
let components: TestComponents;
let processA: TestServer;
let processB: TestServer;
let admin: ReturnType<typeof apiCall>;
let events: TenantEventPublisher;
const clients: ClientSocket[] = [];

beforeAll(async () => {
  components = await createTestComponents();
  processA = await getTestServer(components);
  processB = await getTestServer(components);
  const signedIn = await signIn(processA.url, components.db, { role: "admin" });
  admin = apiCall(processA.url, signedIn.cookie);
  events = new TenantEventPublisher({ redis: components.redis, env: components.env });
  const created = await admin("POST", "/roles", {
    key: "supervisor",
    name: "Supervisor",
    permissions: ["conversations.viewAssigned", "conversations.viewAll", "messages.send"],
  });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await processA?.close();
  await processB?.close();
  await components?.cleanup();
});

/** A user's socket on process B, recording the wamids of `message:created` it receives. */
async function socketOnB(signedIn: SignedIn) {
  const { client, ready } = openSocket(processB.url, signedIn.cookie);
  clients.push(client);
  await ready;
  const wamids: string[] = [];
  onEachEvent(client, (event, envelope) => {
    if (event !== "message:created") return;
    wamids.push((envelope as { data: { message: { wamid: string } } }).data.message.wamid);
  });
  let disconnected = false;
  client.on("disconnect", () => {
    disconnected = true;
  });
  let accessChanges = 0;
  client.on("access:changed", () => {
    accessChanges += 1;
  });
  return {
    client,
    wamids,
    disconnected: () => disconnected,
    /** How many times the server told this socket its user's access changed. */
    accessChanges: () => accessChanges,
  };
}

let seq = 0;
/** A conversation assigned to someone else (or waiting in `queueId`), and a message in it. */
async function conversation(options: { assignedUserId?: number; queueId?: number } = {}) {
  seq += 1;
  const contactId = await insertContact(components.db, components.env, {
    waId: `55119770${String(seq).padStart(5, "0")}`,
    name: `Cliente ${seq}`,
  });
  const [id] = await components.db("conversations").insert({
    contact_id: contactId,
    status: "open",
    assigned_user_id: options.assignedUserId ?? null,
    queue_id: options.queueId ?? null,
  });
  const conversationId = id as number;
  return {
    conversationId,
    /** Publishes a new message of this conversation; its wamid. */
    message: async () => {
      seq += 1;
      const wamid = `wamid.ACCESS${seq}`;
      await events.publish("message:created", {
        contactId,
        message: {
          id: seq,
          conversationId,
          direction: "inbound",
          wamid,
          type: "text",
          content: { type: "text", body: "oi" },
          replyToWamid: null,
          status: null,
          failureReason: null,
          sentByUserId: null,
          clientKey: null,
          media: null,
          sentAt: new Date().toISOString(),
        },
      });
      return wamid;
    },
  };
}

/** Whether `wamids` got `wamid` within a short while (the relay is asynchronous). */
async function received(wamids: string[], wamid: string): Promise<boolean> {
  for (let waited = 0; waited < 1_000; waited += 25) {
    if (wamids.includes(wamid)) return true;
    await sleep(25);
  }
  return false;
}

describe("access changes on open sockets", () => {
  it("a role losing conversations.viewAll stops its users' open sockets from receiving others' conversations at once", async () => {
    const other = await signIn(processA.url, components.db, { role: "agent" });
    const supervisor = await signIn(processA.url, components.db, { role: "supervisor" });
    const socket = await socketOnB(supervisor);
    const bystander = await socketOnB(other);
    const theirs = await conversation({ assignedUserId: other.user.id });
    const mine = await conversation({ assignedUserId: supervisor.user.id });

    expect(await received(socket.wamids, await theirs.message())).toBe(true);

    const edited = await admin("PATCH", "/roles/supervisor", {
      permissions: ["conversations.viewAssigned", "messages.send"],
    });
    expect(edited.status).toBe(200);
    await expect
      .poll(async () => {
        const inRoom = await processB.io
          .in(`tenant:${components.env.TENANT_ID}:permission:conversations.viewAll`)
          .fetchSockets();
        return inRoom.some((remote) => remote.data.userId === supervisor.user.id);
      })
      .toBe(false);

    expect(await received(socket.wamids, await theirs.message())).toBe(false);
    // Their own conversations still arrive: the socket was moved, not dropped.
    expect(await received(socket.wamids, await mine.message())).toBe(true);
    expect(socket.disconnected()).toBe(false);
    // The page is told to read its session again; a user whose access is unchanged is not.
    expect(socket.accessChanges()).toBe(1);
    expect(bystander.accessChanges()).toBe(0);
  });

  it("queue membership changes move open sockets in and out of the queue's waiting conversations", async () => {
    const agent = await signIn(processA.url, components.db, { role: "agent" });
    const socket = await socketOnB(agent);
    const created = await admin("POST", "/queues", { name: "Financeiro", memberUserIds: [] });
    expect(created.status).toBe(201);
    const queueId = (created.body.data as { id: number }).id;
    const waiting = await conversation({ queueId });

    expect(await received(socket.wamids, await waiting.message())).toBe(false);

    expect(
      (
        await admin("PATCH", `/queues/${queueId}`, {
          name: "Financeiro",
          memberUserIds: [agent.user.id],
        })
      ).status,
    ).toBe(200);
    await expect
      .poll(async () => received(socket.wamids, await waiting.message()), { timeout: 5_000 })
      .toBe(true);
    expect(socket.accessChanges()).toBe(1);

    expect(
      (await admin("PATCH", `/queues/${queueId}`, { name: "Financeiro", memberUserIds: [] }))
        .status,
    ).toBe(200);
    await expect
      .poll(async () => !(await received(socket.wamids, await waiting.message())), {
        timeout: 5_000,
      })
      .toBe(true);
  });

  it("disabling a user closes their open sockets on every process", async () => {
    const agent = await signIn(processA.url, components.db, { role: "agent" });
    const socket = await socketOnB(agent);
    const disabled = await admin("PATCH", `/users/${agent.user.id}`, { disabled: true });
    expect(disabled.status).toBe(200);
    await expect.poll(() => socket.disconnected(), { timeout: 5_000 }).toBe(true);
  });

  it("signing out on one process closes that session's sockets on the others", async () => {
    const agent = await signIn(processA.url, components.db, { role: "agent" });
    const socket = await socketOnB(agent);
    const signedOut = await apiCall(processA.url, agent.cookie)("DELETE", "/session");
    expect(signedOut.status).toBeLessThan(300);
    await expect.poll(() => socket.disconnected(), { timeout: 5_000 }).toBe(true);
  });

  it("ignores malformed messages on the access channel", async () => {
    const agent = await signIn(processA.url, components.db, { role: "agent" });
    const socket = await socketOnB(agent);
    const channel = `${components.env.REDIS_PREFIX}:access-changes`;
    const sessionKey = hashSessionId(agent.cookie.slice(agent.cookie.indexOf("=") + 1));
    // The real session's key beside a malformed one: the whole message is refused, not applied.
    const malformed = [
      "{",
      JSON.stringify({ kind: "sessions", sessionKeys: [sessionKey, "../../x"] }),
      JSON.stringify({ kind: "sessions", sessionKey }),
      '{"kind":"users"}',
    ];
    for (const text of malformed) await components.redis.publish(channel, text);
    await sleep(200);
    expect(socket.disconnected()).toBe(false);
    expect(socket.client.connected).toBe(true);
    // The same key, well formed, does close it: the channel was listened to all along.
    await components.redis.publish(
      channel,
      JSON.stringify({ kind: "sessions", sessionKeys: [sessionKey] }),
    );
    await expect.poll(() => socket.disconnected(), { timeout: 5_000 }).toBe(true);
  });
});
