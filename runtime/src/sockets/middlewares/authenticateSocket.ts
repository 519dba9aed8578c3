import type { Knex } from "knex";
import type { ExtendedError, Socket } from "socket.io";
import type {
  ClientToServerEvents,
  ServerToClientEvents,
  SocketData,
  SocketErrorCode,
} from "../../../contracts/socket-events.js";
import { resolveSession } from "../../auth/resolveSession.js";
import { SESSION_COOKIE } from "../../auth/sessionCookie.js";
import type { SessionStore } from "../../auth/sessionStore.js";
import type { Logger } from "../../logger.js";
import { readCookie } from "../../utils/cookies.js";
import { isSameOrigin } from "../../utils/origin.js";
import { queueIdsOf } from "../conversationAudience.js";

type AppSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<never, never>,
  SocketData
>;

/**
 * Handshake middleware (`io.use`): the connection must carry the same session cookie as the HTTP
 * API and, when the browser sends `Origin`, come from this site (blocks cross-site WebSocket
 * hijacking). Rejections reach the client as `connect_error` with a whitelisted message only.
 */
export function authenticateSocket(deps: {
  db: Knex;
  sessions: SessionStore;
  publicUrl: string;
  logger: Logger;
}): (socket: AppSocket, next: (error?: ExtendedError) => void) => void {
  const reject = (next: (error?: ExtendedError) => void, code: SocketErrorCode) =>
    next(new Error(code));

  return (socket, next) => {
    const { headers } = socket.handshake;
    if (
      headers.origin !== undefined &&
      !isSameOrigin(headers.origin, headers.host, deps.publicUrl)
    ) {
      return reject(next, "unauthorized");
    }
    resolveSession(deps, readCookie(headers.cookie, SESSION_COOKIE))
      .then(async (auth) =>
        // A one-time password gives access to nothing but choosing a new one (HTTP does the same).
        auth === undefined || auth.user.mustChangePassword
          ? undefined
          : { auth, queueIds: await queueIdsOf(deps.db, auth.user.id) },
      )
      .then(
        (signedIn) => {
          if (signedIn === undefined) return reject(next, "unauthorized");
          const { auth, queueIds } = signedIn;
          socket.data = {
            userId: auth.user.id,
            sessionKey: auth.session.key,
            permissions: [...auth.permissions],
            name: auth.user.name,
            role: auth.user.role,
            queueIds,
            openConversationId: null,
          };
          next();
        },
        (error: unknown) => {
          deps.logger.error({ err: error }, "socket authentication failed");
          reject(next, "internal_error");
        },
      );
  };
}
