/** One event on its way to sockets: its name and envelope, as `events:batch` carries it. */
export interface OutgoingEvent {
  name: string;
  envelope: unknown;
}

/**
 * Turns a stream of events, each addressed to a set of rooms, into fewer Socket.IO frames when
 * it is dense, without delaying it when it is sparse: an event goes out at once unless a frame to
 * the same rooms left less than `windowMs` ago (or events are already held); then it is held and
 * leaves with the others at the end of that window, as one frame per run of consecutive events
 * to the same rooms. Fan-out costs per frame and per socket (encoding, a `writev`, garbage), so
 * at 1,000 events a second a 10 ms window sends about ten times fewer frames; at 80 a second
 * (12.5 ms apart) almost everything still leaves at once.
 *
 * Every socket gets its events in the order they were pushed: once one event is held, every
 * later one queues behind it, and runs are sent in order. That matters beyond display: a browser
 * resumes with `events:since` from the last id it applied, so it must never apply a later
 * journaled event before an earlier one it may still miss.
 */
export class FrameCoalescer {
  private readonly windowMs: number;
  private readonly send: (rooms: string[], events: OutgoingEvent[]) => void;
  private readonly now: () => number;
  private readonly onError: (error: unknown) => void;
  /** When a frame last left for each room set (keyed by `keyOf`). */
  private readonly lastSentAt = new Map<string, number>();
  private held: Array<{ key: string; rooms: string[]; event: OutgoingEvent }> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(options: {
    /** How long after a frame later events to the same rooms are gathered (ms); 0 sends each at once. */
    windowMs: number;
    /** Writes one frame with these events to the sockets in `rooms` (each socket once). */
    send: (rooms: string[], events: OutgoingEvent[]) => void;
    /** Called when `send` throws from a timer (nothing else can catch it there). */
    onError: (error: unknown) => void;
    now?: () => number;
  }) {
    this.windowMs = options.windowMs;
    this.send = options.send;
    this.onError = options.onError;
    this.now = options.now ?? (() => performance.now());
  }

  /** Sends `event` to `rooms` now, or holds it for the end of the current window. */
  push(rooms: readonly string[], event: OutgoingEvent): void {
    const unique = [...new Set(rooms)].sort();
    const key = unique.join("\n");
    const now = this.now();
    const last = this.lastSentAt.get(key);
    if (this.held.length === 0 && (last === undefined || now - last >= this.windowMs)) {
      this.lastSentAt.set(key, now);
      this.send(unique, [event]);
      return;
    }
    this.held.push({ key, rooms: unique, event });
    if (this.timer === undefined) {
      const due = (last ?? now) + this.windowMs - now;
      this.timer = setTimeout(
        () => {
          try {
            this.flush();
          } catch (error) {
            this.onError(error);
          }
        },
        Math.max(0, due),
      );
    }
  }

  /** Sends everything held now, in order (before an event that must not overtake them; shutdown). */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.held.length === 0) return;
    const held = this.held;
    this.held = [];
    const now = this.now();
    let start = 0;
    while (start < held.length) {
      const first = held[start] as (typeof held)[number];
      let end = start + 1;
      while (end < held.length && (held[end] as (typeof held)[number]).key === first.key) end += 1;
      this.lastSentAt.set(first.key, now);
      this.send(
        first.rooms,
        held.slice(start, end).map(({ event }) => event),
      );
      start = end;
    }
    this.forgetOldRoomSets(now);
  }

  /** Keeps `lastSentAt` small: room sets not used within the window need no entry. */
  private forgetOldRoomSets(now: number): void {
    if (this.lastSentAt.size < 1_000) return;
    for (const [key, at] of this.lastSentAt) {
      if (now - at >= this.windowMs) this.lastSentAt.delete(key);
    }
  }
}
