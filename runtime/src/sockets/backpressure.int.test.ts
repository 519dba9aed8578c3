import type { Socket as NetSocket } from "node:net";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn } from "../test/api.js";
import { type ClientSocket, openSocket } from "../test/sockets.js";
import {
  createTestComponents,
  getTestServer,
  type TestComponents,
  type TestServer,
} from "../test/support.js";
import { dropSlowSockets } from "./backpressure.js";

/**
 * A browser that stops reading (a frozen tab, a network gone silent) must not make the server
 * buffer without bound: its socket is dropped, the others keep receiving. Real server, real
 * clients; the stalled one stops reading its TCP connection.
 */

let components: TestComponents;
let server: TestServer;
const clients: ClientSocket[] = [];

beforeAll(async () => {
  components = await createTestComponents();
  server = await getTestServer(components);
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await server?.close();
  await components?.cleanup();
});

async function signedInSocket(): Promise<{ client: ClientSocket; userId: number }> {
  const { user, cookie } = await signIn(server.url, components.db, { role: "manager" });
  const { client, ready } = openSocket(server.url, cookie);
  clients.push(client);
  await ready;
  return { client, userId: user.id };
}

describe("a socket that stops reading", () => {
  it("is dropped once its backlog passes the limit, logged by user id only, while a reading socket stays", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino(
      { level: "warn" },
      { write: (line: string) => lines.push(JSON.parse(line)) },
    );
    const stop = dropSlowSockets({
      io: server.io,
      logger,
      limits: { packets: 20, bytes: 1 << 20 },
      intervalMs: 50,
    });
    try {
      const stalled = await signedInSocket();
      const reading = await signedInSocket();
      let readingGot = 0;
      reading.client.on("presence:updated", () => {
        readingGot += 1;
      });
      // The client stops reading its connection: what the server writes piles up in the kernel,
      // then in the server's buffers.
      const transport = stalled.client.io.engine.transport as unknown as {
        ws: { _socket: NetSocket };
      };
      transport.ws._socket.pause();

      const bulky = "x".repeat(64 * 1024);
      const envelope = (index: number) => ({
        id: `bulk-${index}`,
        tenant: components.env.TENANT_ID,
        occurredAt: new Date().toISOString(),
        schemaVersion: 1 as const,
        data: { userId: index, status: "online" as const, padding: bulky },
      });
      const serverSocketOf = (userId: number) =>
        [...server.io.sockets.sockets.values()].find((socket) => socket.data.userId === userId);
      expect(serverSocketOf(stalled.userId)).toBeDefined();
      for (
        let index = 0;
        index < 1_000 && serverSocketOf(stalled.userId) !== undefined;
        index += 1
      ) {
        server.io.emit("presence:updated", envelope(index));
        await new Promise((resolve) => setImmediate(resolve));
        if (index % 50 === 49) await new Promise((resolve) => setTimeout(resolve, 60));
      }
      await expect.poll(() => serverSocketOf(stalled.userId)).toBeUndefined();
      expect(serverSocketOf(reading.userId)).toBeDefined();
      await expect.poll(() => readingGot).toBeGreaterThan(20);

      // Done with it: without this the server's close handshake would wait for it for 30 s.
      transport.ws._socket.destroy();

      const warning = lines.find(
        (line) => line.msg === "socket not reading its events; disconnected",
      );
      expect(warning).toMatchObject({ userId: stalled.userId });
      expect(JSON.stringify(warning)).not.toContain("@");
    } finally {
      stop();
    }
  });
});
