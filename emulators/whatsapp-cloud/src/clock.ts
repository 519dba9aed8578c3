/**
 * The emulator's notion of "now". Time-dependent rules (24-hour window, media URL expiry, rate
 * limits, template timestamps) read this clock, so tests and people can jump ahead with
 * `advance(ms)` instead of waiting. Timers that pace webhooks use real time.
 */
export class Clock {
  private offsetMs = 0;

  constructor(private readonly source: () => number = Date.now) {}

  /** Milliseconds since the epoch, including any advance. */
  now(): number {
    return this.source() + this.offsetMs;
  }

  /** Unix seconds, as Meta's payloads use them. */
  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /** Jumps ahead (never back) by `ms`. */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError("The emulator clock only moves forward.");
    this.offsetMs += ms;
  }

  /** How far the clock has been advanced. */
  get offset(): number {
    return this.offsetMs;
  }

  /** Back to real time. */
  reset(): void {
    this.offsetMs = 0;
  }
}
