/** One event on its way to sockets: its name and envelope, as `events:batch` carries it. */
export interface OutgoingEvent {
  name: string;
  envelope: unknown;
}

/**
 * Turns a stream of events, each addressed to a set of rooms, into fewer Socket.IO frames when
 * it is dense, without delaying it when it is sparse. Each room set has a budget of frames (a
 * token bucket): `burst` frames at most, one more every `windowMs`. An event goes out at once
 * while its rooms have budget left and nothing is held; otherwise it is held and leaves with the
 * others when the budget allows the next frame, as one frame per run of consecutive events to
 * the same rooms. Fan-out costs per frame and per socket (encoding, a `writev`, garbage), so at
 * 1,000 events a second a 10 ms window sends about ten times fewer frames, while below one
 * event per window (100 a second) an event waits only behind a burst of more than `burst`.
 *
 * Every socket gets its events in the order they were pushed: once one event is held, every
 * later one queues behind it, and runs are sent in order. That matters beyond display: a browser
 * resumes with `events:since` from the last id it applied, so it must never apply a later
 * journaled event before an earlier one it may still miss.
 */
export class FrameCoalescer {
  private readonly windowMs: number;
  private readonly burst: number;
  private readonly send: (rooms: string[], events: OutgoingEvent[]) => void;
  private readonly now: () => number;
  private readonly onError: (error: unknown) => void;
  /** Each room set's frame budget (keyed by the sorted rooms), as of `at`. */
  private readonly budgets = new Map<string, { frames: number; at: number }>();
  private held: Array<{ key: string; rooms: string[]; event: OutgoingEvent }> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(options: {
    /** How often a room set earns one more frame (ms); 0 sends each event at once. */
    windowMs: number;
    /** Frames a room set may get in a row before events are gathered (4). */
    burst?: number;
    /** Writes one frame with these events to the sockets in `rooms` (each socket once). */
    send: (rooms: string[], events: OutgoingEvent[]) => void;
    /** Called when `send` throws from a timer (nothing else can catch it there). */
    onError: (error: unknown) => void;
    now?: () => number;
  }) {
    this.windowMs = options.windowMs;
    this.burst = Math.max(1, options.burst ?? 4);
    this.send = options.send;
    this.onError = options.onError;
    this.now = options.now ?? (() => performance.now());
  }

  /** Sends `event` to `rooms` now, or holds it until its rooms may get another frame. */
  push(rooms: readonly string[], event: OutgoingEvent): void {
    const unique = [...new Set(rooms)].sort();
    const key = unique.join("\n");
    const now = this.now();
    const frames = this.framesLeft(key, now);
    if (this.held.length === 0 && (this.windowMs <= 0 || frames >= 1)) {
      this.spend(key, now);
      this.send(unique, [event]);
      return;
    }
    this.held.push({ key, rooms: unique, event });
    if (this.timer === undefined) {
      const first = (this.held[0] as (typeof this.held)[number]).key;
      const due = (1 - this.framesLeft(first, now)) * this.windowMs;
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
      this.spend(first.key, now);
      this.send(
        first.rooms,
        held.slice(start, end).map(({ event }) => event),
      );
      start = end;
    }
    this.forgetIdleRoomSets(now);
  }

  /** The frames a room set may get now (fractional while it earns the next one). */
  private framesLeft(key: string, now: number): number {
    const budget = this.budgets.get(key);
    if (budget === undefined || this.windowMs <= 0) return this.burst;
    return Math.min(this.burst, budget.frames + (now - budget.at) / this.windowMs);
  }

  private spend(key: string, now: number): void {
    this.budgets.set(key, { frames: Math.max(0, this.framesLeft(key, now) - 1), at: now });
  }

  /** Keeps `budgets` small: a room set with its whole budget back needs no entry. */
  private forgetIdleRoomSets(now: number): void {
    if (this.budgets.size < 1_000) return;
    for (const key of this.budgets.keys()) {
      if (this.framesLeft(key, now) >= this.burst) this.budgets.delete(key);
    }
  }
}
