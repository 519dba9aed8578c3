import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  ClientToServerEvents,
  EventsReplay,
  ServerToClientEvents,
} from "../../contracts/socket-events.js";
import { sessionCookie } from "../test/api.js";
import { buildUser } from "../test/factories.js";
import { createTestComponents, type TestComponents } from "../test/support.js";
import { inboundPayload, postWebhook } from "../test/whatsapp.js";
import { startWhatsappStack, type WhatsappStack } from "../test/whatsappStack.js";
import { onEachEvent } from "./onEachEvent.js";

/**
 * A customer's file reaches the open thread without the browser asking again: when the worker
 * finishes (or gives up on) a download, `message:mediaChanged` goes to whoever may see the
 * conversation, and catch-up replays it. Real server, workers, MariaDB, Redis and emulator.
 */
type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Received {
  event: string;
  envelope: { id: string; data: Record<string, unknown> };
}

let components: TestComponents;
let stack: WhatsappStack;
const clients: ClientSocket[] = [];
let managerCookie: string;
let outsiderCookie: string;
let salesQueueId: number;

const png = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

beforeAll(async () => {
  components = await createTestComponents();
  stack = await startWhatsappStack(components, { mediaRetryDelayMs: 50 });
  const [sales] = await components.db("queues").insert({ name: "Vendas" });
  const [other] = await components.db("queues").insert({ name: "Outra fila" });
  salesQueueId = sales as number;
  managerCookie = await signIn("manager");
  outsiderCookie = await signIn("agent", other as number);
}, 30_000);

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await stack?.close();
  await components?.cleanup();
});

async function signIn(role: string, queueId?: number): Promise<string> {
  const { user, password } = await buildUser(components.db, { role });
  if (queueId !== undefined) {
    await components.db("queue_members").insert({ queue_id: queueId, user_id: user.id });
  }
  return sessionCookie(stack.server.url, user.email, password);
}

async function live(cookie: string): Promise<{ client: ClientSocket; received: Received[] }> {
  const client: ClientSocket = connect(stack.server.url, {
    transports: ["websocket"],
    reconnection: false,
    extraHeaders: { Cookie: cookie },
  });
  clients.push(client);
  const received: Received[] = [];
  onEachEvent<Received["envelope"]>(client, (event, envelope) =>
    received.push({ event, envelope }),
  );
  await new Promise<void>((resolve, reject) => {
    client.once("connect", resolve);
    client.once("connect_error", reject);
  });
  return { client, received };
}

const mediaEvents = (received: Received[]) =>
  received.filter(({ event }) => event === "message:mediaChanged").map(({ envelope }) => envelope);

describe("message:mediaChanged", () => {
  it("tells who may see the conversation that the photo is ready, after the message itself, and replays it", async () => {
    const [manager, outsider] = await Promise.all([live(managerCookie), live(outsiderCookie)]);
    // Waiting in the sales queue: an agent of another queue may not see it.
    const first = stack.emulator.control.receive({
      from: "5511970000001",
      type: "text",
      text: "Oi",
    });
    await stack.emulator.control.waitForWebhooks();
    await expect
      .poll(async () => (await components.db("messages").where({ wamid: first.wamid }).first())?.id)
      .toBeDefined();
    const { conversation_id: conversationId } = await components
      .db("messages")
      .where({ wamid: first.wamid })
      .first("conversation_id");
    await components
      .db("conversations")
      .where({ id: conversationId })
      .update({ queue_id: salesQueueId, assigned_user_id: null });
    await new Promise((resolve) => setTimeout(resolve, 300));
    manager.received.length = 0;
    outsider.received.length = 0;
    const { wamid } = stack.emulator.control.receive({
      from: "5511970000001",
      type: "image",
      image: { data: png.toString("base64"), mime_type: "image/png", caption: "nota" },
    });
    await stack.emulator.control.waitForWebhooks();
    await expect.poll(() => mediaEvents(manager.received).length, { timeout: 15_000 }).toBe(1);
    const message = (await components
      .db("messages")
      .where({ wamid })
      .first("id", "conversation_id")) as {
      id: number;
      conversation_id: number;
    };
    const [event] = mediaEvents(manager.received);
    expect(event?.data).toEqual({
      messageId: Number(message.id),
      conversationId: message.conversation_id,
      media: { status: "ready", mimeType: "image/png", sizeBytes: png.length, error: null },
    });
    const names = manager.received.map(({ event }) => event);
    expect(names.indexOf("message:created")).toBeLessThan(names.indexOf("message:mediaChanged"));
    const created = manager.received.find(({ event }) => event === "message:created");
    expect(created?.envelope.data.message).toMatchObject({ media: { status: "pending" } });

    // What the thread then asks for is served.
    const file = await fetch(
      `${stack.server.url}/api/conversations/${message.conversation_id}/messages/${message.id}/media`,
      { headers: { Cookie: managerCookie } },
    );
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer())).toEqual(png);

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mediaEvents(outsider.received)).toEqual([]);

    // A browser that was offline meanwhile gets it from catch-up.
    const before = manager.received.find(({ event }) => event === "message:created");
    const replay = (await manager.client
      .timeout(5_000)
      .emitWithAck("events:since", { lastEventId: before?.envelope.id ?? "" })) as {
      data: EventsReplay;
    };
    expect(replay.data.events.map(({ name }) => name)).toContain("message:mediaChanged");
    const outsiderReplay = (await outsider.client
      .timeout(5_000)
      .emitWithAck("events:since", { lastEventId: before?.envelope.id ?? "" })) as {
      data: EventsReplay;
    };
    expect(outsiderReplay.data.events.map(({ name }) => name)).not.toContain(
      "message:mediaChanged",
    );
  });

  it("tells them when a download failed for good, with the reason", async () => {
    const manager = await live(managerCookie);
    const payload = inboundPayload(
      [
        {
          type: "document",
          document: { id: "1480008888888", mime_type: "application/pdf", filename: "x.pdf" },
        },
      ],
      { waId: "5511970000002" },
      stack.emulator.phoneNumberId,
    );
    expect((await postWebhook(stack.server.url, stack.secrets.appSecret, payload)).status).toBe(
      200,
    );
    await expect.poll(() => mediaEvents(manager.received).length, { timeout: 15_000 }).toBe(1);
    const [event] = mediaEvents(manager.received);
    expect(event?.data.media).toMatchObject({
      status: "failed",
      mimeType: "application/pdf",
      error: expect.stringMatching(/media not found or no longer available/),
    });
  });
});
