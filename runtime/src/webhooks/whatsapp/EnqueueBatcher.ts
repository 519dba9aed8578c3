/**
 * Collects event keys from many webhook requests and hands them on in batches: one BullMQ job per
 * batch instead of one per request, which keeps Redis round trips and the web process's CPU off
 * the ingest hot path at high rates (hundreds of webhooks a second). A batch leaves when it is
 * full or `maxDelayMs` after its first key, so at low rates processing starts a few ms later.
 * Keys lost with the process (a crash before a flush) are still in the database, unprocessed:
 * the requeue sweep finds them.
 */
export class EnqueueBatcher {
  private readonly flushBatch: (keys: string[]) => Promise<void>;
  private readonly onError: (error: unknown, keys: number) => void;
  private readonly maxKeys: number;
  private readonly maxDelayMs: number;
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(options: {
    flush: (keys: string[]) => Promise<void>;
    onError: (error: unknown, keys: number) => void;
    maxKeys?: number;
    maxDelayMs?: number;
  }) {
    this.flushBatch = options.flush;
    this.onError = options.onError;
    this.maxKeys = options.maxKeys ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 5;
  }

  /** Adds keys to the current batch. Never throws; failures go to `onError`. */
  add(keys: readonly string[]): void {
    this.pending.push(...keys);
    if (this.pending.length >= this.maxKeys) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.maxDelayMs);
  }

  /** Sends the current batch now. */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const keys = this.pending;
    this.pending = [];
    const sending = this.flushBatch(keys)
      .catch((error: unknown) => this.onError(error, keys.length))
      .finally(() => this.inFlight.delete(sending));
    this.inFlight.add(sending);
  }

  /** Flushes and waits for every batch in flight (shutdown). */
  async close(): Promise<void> {
    this.flush();
    await Promise.all(this.inFlight);
  }
}
