import type { Logger } from "../logger.js";
import type { SocketServer } from "./createSocketServer.js";

/** How much may wait in one socket's write buffer before the socket is dropped. */
export interface WriteBufferLimits {
  packets: number;
  bytes: number;
}

/** Defaults: about ten seconds of a busy tenant's batched frames, or a few MB. */
export const DEFAULT_WRITE_BUFFER_LIMITS: WriteBufferLimits = { packets: 1_000, bytes: 4 << 20 };

/** Engine.io's queue of packets the transport has not taken yet (not in its typings). */
type PendingPackets = ReadonlyArray<{ data?: unknown }>;

/**
 * Whether a socket's pending packets exceed the limits. Stops counting bytes as soon as the
 * answer is known: this runs over every socket, often.
 */
export function exceedsWriteBuffer(pending: PendingPackets, limits: WriteBufferLimits): boolean {
  if (pending.length > limits.packets) return true;
  let bytes = 0;
  for (const packet of pending) {
    const { data } = packet;
    if (typeof data === "string") bytes += data.length;
    else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) bytes += data.byteLength;
    if (bytes > limits.bytes) return true;
  }
  return false;
}

/**
 * Every `intervalMs`, disconnects the sockets whose client does not read what it is sent (a
 * frozen tab, a dead network that TCP has not noticed yet). Socket.IO would buffer for them
 * without bound, and one such socket at 1,000 messages a second grows the process by hundreds of
 * MB a minute. A browser that is merely slow reconnects and catches up with `events:since`.
 * @returns a function that stops watching
 */
export function dropSlowSockets(options: {
  io: SocketServer;
  logger: Logger;
  limits?: WriteBufferLimits;
  intervalMs?: number;
}): () => void {
  const limits = options.limits ?? DEFAULT_WRITE_BUFFER_LIMITS;
  const timer = setInterval(() => {
    for (const socket of options.io.sockets.sockets.values()) {
      const pending = (socket.conn as unknown as { writeBuffer?: PendingPackets }).writeBuffer;
      if (pending === undefined || !exceedsWriteBuffer(pending, limits)) continue;
      options.logger.warn(
        { userId: socket.data.userId, packets: pending.length },
        "socket not reading its events; disconnected",
      );
      // Closes the connection itself, discarding what waits: a disconnect packet would queue
      // behind the backlog, and `socket.disconnect()` tells the client not to reconnect.
      socket.conn.close(true);
    }
  }, options.intervalMs ?? 1_000);
  timer.unref();
  return () => clearInterval(timer);
}
