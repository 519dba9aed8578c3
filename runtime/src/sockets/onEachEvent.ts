import type { EventsBatch } from "../../contracts/socket-events.js";

/** The part of a Socket.IO client `onEachEvent` needs (socket.io-client's `Socket`). */
interface AnyListenable {
  // biome-ignore lint/suspicious/noExplicitAny: socket.io-client's own signature for onAny.
  onAny(listener: (event: string, ...args: any[]) => void): unknown;
}

/**
 * Calls `listener` for every event a client socket receives, unpacking `events:batch` frames
 * into their events, in order: what a test or a load generator wants to count, whatever the
 * framing. `frame` tells which frame each event came in (0, 1, …), so framing can be checked too.
 */
export function onEachEvent<Envelope = unknown>(
  socket: AnyListenable,
  listener: (event: string, envelope: Envelope, frame: number) => void,
): void {
  let frames = 0;
  socket.onAny((event: string, payload: unknown) => {
    const frame = frames;
    frames += 1;
    if (event !== "events:batch") {
      listener(event, payload as Envelope, frame);
      return;
    }
    for (const inner of (payload as EventsBatch).events) {
      listener(inner.name, inner.envelope as Envelope, frame);
    }
  });
}
