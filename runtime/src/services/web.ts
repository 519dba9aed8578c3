import type { Server as HttpServer } from "node:http";
import { createServer, type RuntimeServer } from "../app.js";
import type { Components } from "../components.js";
import { componentLogger } from "../logger.js";
import { runMigrations } from "../migrations/index.js";
import type { SocketServer } from "../sockets/createSocketServer.js";
import type { ShutdownHelper } from "../utils/ShutdownHelper.js";

/**
 * The web role: applies pending migrations, then serves the API, the inbox pages and Socket.IO
 * on `PORT`, and registers its shutdown steps.
 */
export async function startWebService(
  components: Components,
  shutdown: ShutdownHelper,
): Promise<RuntimeServer> {
  await runMigrations(components.db, components.logger, {
    encryptionKey: components.env.ENCRYPTION_KEY,
  });
  const server = createServer(components);
  registerHttpShutdown(shutdown, server.httpServer, server.io);
  shutdown.add("queues", "stop event relay and queue producers", () => server.closeBackground());
  await listen(server.httpServer, components.env.PORT);
  componentLogger(components.logger, "http").info({ port: components.env.PORT }, "listening");
  return server;
}

/** Starts listening; rejects if the port is taken. */
export function listen(httpServer: HttpServer, port: number, host?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(port, host, () => {
      httpServer.off("error", reject);
      resolve();
    });
  });
}

/**
 * Shutdown steps of an HTTP server (and the Socket.IO server on it): first stop accepting
 * connections and drop idle keep-alive ones; then disconnect sockets and wait for in-flight
 * requests to finish (the helper's time limit bounds the wait).
 */
export function registerHttpShutdown(
  shutdown: ShutdownHelper,
  httpServer: HttpServer,
  io?: SocketServer,
): void {
  let drained: Promise<void> = Promise.resolve();
  shutdown.add("http", "stop accepting connections", async () => {
    if (!httpServer.listening) return;
    drained = new Promise((resolve) => httpServer.close(() => resolve()));
    httpServer.closeIdleConnections();
  });
  shutdown.add("sockets", "disconnect sockets and drain requests", async () => {
    if (io !== undefined) await io.close();
    await drained;
  });
}
