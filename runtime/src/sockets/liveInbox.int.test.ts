import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { io as connect, type Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import type {
  ClientToServerEvents,
  EventEnvelope,
  NamedEvent,
  ServerToClientEvents,
} from "../../contracts/socket-events.js";
import {
  connectInbox,
  type LiveInboxShell,
} from "../../web/components/at-inbox-shell/liveInbox.js";

/**
 * The inbox's socket glue (`liveInbox.ts`) against a real Socket.IO server and client: events
 * inside an `events:batch` frame are applied exactly like events arriving alone (in order,
 * duplicates dropped, and the last one is where catch-up resumes).
 */
const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function envelope<T>(id: string, data: T): EventEnvelope<T> {
  return { id, tenant: "t", occurredAt: new Date(0).toISOString(), schemaVersion: 1, data };
}

const note = (id: string, noteId: number): NamedEvent => ({
  name: "note:created",
  envelope: envelope(id, {
    note: { id: noteId, conversationId: 7, author: null, body: `nota ${noteId}`, createdAt: "" },
  }),
});

async function setUp() {
  const http = createServer();
  const server = new Server<ClientToServerEvents, ServerToClientEvents>(http);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const sinceAsked: string[] = [];
  server.on("connection", (socket) => {
    socket.on("events:since", (payload, ack) => {
      sinceAsked.push(payload.lastEventId);
      ack({ data: { events: [], complete: true } });
    });
  });
  const applied: string[] = [];
  const ignore = () => {};
  const shell: LiveInboxShell = {
    openConversationId: null,
    applyNoteCreated: (data) => applied.push(data.note.body),
    applyMessageCreated: (data) => applied.push(`message ${data.message.id}`),
    applyStatusChanged: ignore,
    applyMediaChanged: ignore,
    applyConversationChanged: ignore,
    applyContactChanged: ignore,
    applyAgentTyping: ignore,
    applyPresenceUpdated: ignore,
    refresh: async () => {},
    refreshDirectory: async () => {},
    applyAccessChanged: async () => {
      applied.push("access changed");
    },
  };
  const client: Socket<ServerToClientEvents, ClientToServerEvents> = connect(
    `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    { transports: ["websocket"] },
  );
  closers.push(() => {
    client.disconnect();
  });
  const inbox = connectInbox(shell, client);
  client.on("connect", () => inbox.connected());
  await new Promise<void>((resolve) => client.once("connect", () => resolve()));
  return { server, client, applied, sinceAsked };
}

describe("the inbox's live events", () => {
  it("applies the events of a batch one by one, in order, like single ones, dropping duplicates", async () => {
    const { server, applied } = await setUp();
    server.emit("note:created", note("1-0", 0).envelope as EventEnvelope<never>);
    server.emit("events:batch", { events: [note("1-1", 1), note("1-0", 0), note("1-2", 2)] });
    server.emit("note:created", note("1-3", 3).envelope as EventEnvelope<never>);
    await expect.poll(() => applied.length).toBe(4);
    expect(applied).toEqual(["nota 0", "nota 1", "nota 2", "nota 3"]);
  });

  it("reloads the user's access when told, without taking it for a replayable event", async () => {
    const { server, client, applied, sinceAsked } = await setUp();
    server.emit("note:created", note("6-0", 0).envelope as EventEnvelope<never>);
    server.emit("access:changed", {});
    await expect.poll(() => applied).toEqual(["nota 0", "access changed"]);
    client.io.engine.close();
    // Catch-up resumes from the last tenant event, not from the access change.
    await expect.poll(() => sinceAsked, { timeout: 10_000 }).toEqual(["6-0"]);
  });

  it("resumes after a reconnect from the last event of a batch", async () => {
    const { server, client, applied, sinceAsked } = await setUp();
    server.emit("events:batch", { events: [note("5-0", 0), note("5-1", 1)] });
    await expect.poll(() => applied.length).toBe(2);
    client.io.engine.close();
    await expect.poll(() => sinceAsked, { timeout: 10_000 }).toEqual(["5-1"]);
  });
});
