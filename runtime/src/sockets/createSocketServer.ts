import type { Server as HttpServer } from "node:http";
import type { Knex } from "knex";
import { Server } from "socket.io";
import type {
  ClientToServerEvents,
  ServerToClientEvents,
  SocketData,
} from "../../contracts/socket-events.js";
import type { SessionStore } from "../auth/sessionStore.js";
import type { Env } from "../env.js";
import { componentLogger, type Logger } from "../logger.js";
import { authenticateSocket } from "./middlewares/authenticateSocket.js";
import { permissionRoom, sessionRoom, tenantRoom, userRoom } from "./rooms.js";

/** The runtime's typed Socket.IO server. */
export type SocketServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<never, never>,
  SocketData
>;

/**
 * Attaches Socket.IO to the HTTP server. Every connection is authenticated by the session cookie
 * and placed by the server (never the client) in its user's room and its session's room.
 */
export function createSocketServer(
  httpServer: HttpServer,
  deps: { env: Env; db: Knex; sessions: SessionStore; logger: Logger },
): SocketServer {
  const log = componentLogger(deps.logger, "sockets");
  const io: SocketServer = new Server(httpServer, {
    serveClient: false,
    // Measured settings (operations.md §5.6): compression costs more memory than it saves here.
    perMessageDeflate: false,
    // Payloads are small commands; refuse anything large before parsing it.
    maxHttpBufferSize: 100_000,
  });

  io.use(
    authenticateSocket({
      db: deps.db,
      sessions: deps.sessions,
      publicUrl: deps.env.PUBLIC_URL,
      logger: log,
    }),
  );

  io.on("connection", (socket) => {
    const { userId, sessionKey, permissions } = socket.data;
    void socket.join([
      tenantRoom(deps.env.TENANT_ID),
      userRoom(deps.env.TENANT_ID, userId),
      sessionRoom(deps.env.TENANT_ID, sessionKey),
      ...permissions.map((permission) => permissionRoom(deps.env.TENANT_ID, permission)),
    ]);
    log.debug({ userId, socketId: socket.id }, "socket connected");
    socket.on("disconnect", (reason) => {
      log.debug({ userId, socketId: socket.id, reason }, "socket disconnected");
    });
  });

  return io;
}

/** Disconnects every socket opened by one login session (used when it logs out). */
export function disconnectSession(io: SocketServer, tenant: string, sessionKey: string): void {
  io.in(sessionRoom(tenant, sessionKey)).disconnectSockets(true);
}
