/**
 * Collects event keys from many webhook requests and hands them on in batches: one BullMQ job per
 * batch instead of one per request, which keeps Redis round trips and the web process's CPU off
 * the ingest hot path at high rates (hundreds of webhooks a second).
 *
 * Adaptive: while no batch is being sent, keys leave at once (an idle system adds no delay);
 * while one is in flight, keys accumulate and leave together when it completes, when the batch is
 * full, or at the latest `maxDelayMs` after the first of them (a slow Redis must not hold them
 * back for long). The busier the system, the larger the batches.
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
    /** A batch this large leaves at once, even while another is in flight (500). */
    maxKeys?: number;
    /** Longest a key waits behind a batch in flight, in ms (5). */
    maxDelayMs?: number;
  }) {
    this.flushBatch = options.flush;
    this.onError = options.onError;
    this.maxKeys = options.maxKeys ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 5;
  }

  /** Adds keys to the current batch. Never throws; failures go to `onError`. */
  add(keys: readonly string[]): void {
    if (keys.length === 0) return;
    this.pending.push(...keys);
    if (this.pending.length >= this.maxKeys || this.inFlight.size === 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.maxDelayMs);
  }

  /** Sends the current batch now. */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const keys = this.pending;
    this.pending = [];
    let started: Promise<void>;
    try {
      started = this.flushBatch(keys);
    } catch (error) {
      started = Promise.reject(error);
    }
    const sending = started
      .catch((error: unknown) => this.onError(error, keys.length))
      .finally(() => {
        this.inFlight.delete(sending);
        // What accumulated meanwhile leaves now, as one batch.
        if (this.inFlight.size === 0) this.flush();
      });
    this.inFlight.add(sending);
  }

  /** Flushes and waits until every batch, including those that accumulate meanwhile, is sent (shutdown). */
  async close(): Promise<void> {
    this.flush();
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }
}
