import { io as connect, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../contracts/socket-events.js";

/** A browser-side socket of the inbox, typed by the shared event maps. */
export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Opens a socket as the inbox does (WebSocket, the session cookie), without reconnecting, so a
 * test sees exactly what one connection gets. Listeners added before awaiting `ready` miss
 * nothing; `ready` rejects when the handshake is refused.
 */
export function openSocket(
  url: string,
  cookie: string,
): { client: ClientSocket; ready: Promise<void> } {
  const client: ClientSocket = connect(url, {
    transports: ["websocket"],
    reconnection: false,
    extraHeaders: { Cookie: cookie },
  });
  const ready = new Promise<void>((resolve, reject) => {
    client.once("connect", resolve);
    client.once("connect_error", reject);
  });
  return { client, ready };
}
