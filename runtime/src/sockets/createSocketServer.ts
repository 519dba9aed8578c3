import type { Server as HttpServer } from "node:http";
import type { Redis } from "ioredis";
import type { Knex } from "knex";
import { Server, type Socket } from "socket.io";
import type {
  ClientToServerEvents,
  ServerToClientEvents,
  SocketData,
} from "../../contracts/socket-events.js";
import type { SessionStore } from "../auth/sessionStore.js";
import type { Env } from "../env.js";
import type { WhatsappSettingsStore } from "../integrations/whatsapp/WhatsappSettingsStore.js";
import { componentLogger, type Logger } from "../logger.js";
import { registerClientCommands } from "./clientCommands.js";
import { authenticateSocket } from "./middlewares/authenticateSocket.js";
import { PRESENCE_HEARTBEAT_MS, PresenceTracker } from "./presenceTracker.js";
import { accessRooms, sessionRoom } from "./rooms.js";
import type { TenantEventPublisher } from "./tenantEvents.js";

/** The runtime's typed Socket.IO server. */
export type SocketServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<never, never>,
  SocketData
>;

/** One connected socket of that server (its `data` set by the handshake). */
export type ServerSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<never, never>,
  SocketData
>;

/** What the socket server needs. */
export interface SocketServerDeps {
  env: Env;
  db: Knex;
  redis: Redis;
  sessions: SessionStore;
  whatsappSettings: WhatsappSettingsStore;
  /** Publishes presence and typing (relayed by every web process, like the other events). */
  events: TenantEventPublisher;
  logger: Logger;
}

/**
 * Attaches Socket.IO to the HTTP server. Every connection is authenticated by the session cookie
 * and placed by the server (never the client) in its rooms (`accessRooms`: tenant, user,
 * session, one per permission, assignee and queues), moved when its access changes
 * (`accessChanges.ts`). Presence is tracked in Redis
 * (`presence:updated` on a user's first socket and last one); client commands are registered
 * per socket (`registerClientCommands`).
 */
export function createSocketServer(httpServer: HttpServer, deps: SocketServerDeps): SocketServer {
  const log = componentLogger(deps.logger, "sockets");
  const tenant = deps.env.TENANT_ID;
  const io: SocketServer = new Server(httpServer, {
    serveClient: false,
    // Measured settings (operations.md §5.6): compression costs more memory than it saves here.
    perMessageDeflate: false,
    // Payloads are small commands; refuse anything large before parsing it.
    maxHttpBufferSize: 100_000,
  });
  const presence = new PresenceTracker(deps);

  io.use(
    authenticateSocket({
      db: deps.db,
      sessions: deps.sessions,
      publicUrl: deps.env.PUBLIC_URL,
      logger: log,
    }),
  );

  io.on("connection", (socket) => {
    const { userId } = socket.data;
    void socket.join(accessRooms(tenant, socket.data));
    registerClientCommands(socket, { ...deps, logger: log });
    log.debug({ userId, socketId: socket.id }, "socket connected");

    // The disconnect waits for the connect's bookkeeping, so a quick drop cannot leave it behind.
    const tracked = presence
      .connected(userId, socket.id)
      .then(async (cameOnline) => {
        if (cameOnline) await deps.events.publish("presence:updated", { userId, status: "online" });
      })
      .catch((error: unknown) => log.warn({ err: error, userId }, "presence not recorded"));
    socket.on("disconnect", (reason) => {
      log.debug({ userId, socketId: socket.id, reason }, "socket disconnected");
      void tracked
        .then(() => presence.disconnected(userId, socket.id))
        .then(async (wentOffline) => {
          if (wentOffline) {
            await deps.events.publish("presence:updated", { userId, status: "offline" });
          }
        })
        .catch((error: unknown) => log.warn({ err: error, userId }, "presence not recorded"));
    });
  });

  const heartbeat = setInterval(() => {
    const live = [...io.of("/").sockets.values()].map((socket) => ({
      userId: socket.data.userId,
      socketId: socket.id,
    }));
    presence
      .refresh(live)
      .catch((error: unknown) => log.warn({ err: error }, "presence not refreshed"));
  }, PRESENCE_HEARTBEAT_MS);
  heartbeat.unref();
  httpServer.once("close", () => clearInterval(heartbeat));

  return io;
}

/** Disconnects every socket opened by one login session (used when it logs out). */
export function disconnectSession(io: SocketServer, tenant: string, sessionKey: string): void {
  io.in(sessionRoom(tenant, sessionKey)).disconnectSockets(true);
}
