import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import type { StaffView } from "../commands/staffAccounts.js";
import { resolveStaffSession } from "../commands/staffAccounts.js";
import type { ClientToServerEvents, ServerToClientEvents } from "../contracts/socket-events.js";
import { type ServerContext, sessionKey, sessionTokenFrom } from "../server/context.js";
import type { OperationEvents } from "../server/operationRunner.js";

/** Per-socket data set by the handshake. */
export interface SocketData {
  staff: StaffView;
}

export type ControlPlaneSocketServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

/** Every signed-in staff member sees every operation's progress. */
const STAFF_ROOM = "staff";
const staffRoom = (id: number) => `staff:${id}`;
const sessionRoom = (token: string) => `session:${sessionKey(token)}`;

/**
 * Socket.IO on the API's HTTP server. The handshake is authenticated by the staff session
 * cookie (refused: `connect_error` "authentication_required"); the server picks the rooms.
 */
export function createSocketServer(
  httpServer: HttpServer,
  ctx: ServerContext,
): ControlPlaneSocketServer {
  const io: ControlPlaneSocketServer = new Server(httpServer, {
    serveClient: false,
    // Same origin only: the dashboard is served by this server.
    cors: undefined,
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      callback(null, origin === undefined || isSameHost(origin, req.headers.host));
    },
  });
  io.use(async (socket, next) => {
    const token = sessionTokenFrom(socket.request.headers.cookie);
    const staff =
      token === undefined
        ? undefined
        : await resolveStaffSession(ctx.cp, { token, idleMs: ctx.sessionIdleMs }).catch(
            () => undefined,
          );
    if (!staff || token === undefined) return next(new Error("authentication_required"));
    socket.data.staff = staff;
    await socket.join([STAFF_ROOM, staffRoom(staff.id), sessionRoom(token)]);
    next();
  });
  return io;
}

/** Routes operation events to the right rooms. */
export function socketOperationEvents(io: ControlPlaneSocketServer): OperationEvents {
  return {
    progressed: (payload) => io.to(STAFF_ROOM).emit("operation:progressed", payload),
    finished: (payload) => io.to(STAFF_ROOM).emit("operation:finished", payload),
    tenantCreated: (staffId, payload) => io.to(staffRoom(staffId)).emit("tenant:created", payload),
  };
}

/** Ends the live sockets of a staff member whose account was disabled. */
export function disconnectStaff(io: ControlPlaneSocketServer, staffId: number): void {
  io.in(staffRoom(staffId)).disconnectSockets(true);
}

/** Ends the live sockets of a session that signed out. */
export function disconnectSession(io: ControlPlaneSocketServer, token: string): void {
  io.in(sessionRoom(token)).disconnectSockets(true);
}

function isSameHost(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
