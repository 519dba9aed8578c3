import type { Logger } from "../../logger.js";
import type { EnqueueBatcher } from "./EnqueueBatcher.js";

/**
 * Decides where stored webhook events are processed. While this process keeps up, they are
 * processed here at once: a quiet tenant's message reaches the agents without the queue's round
 * trips and the hop to a worker process, which are most of its latency. Events arriving while
 * `maxInline` batches are in progress wait and go together in the next batch; when they have
 * waited `maxWaitMs` or number more than `maxWaitingKeys` (this process does not keep up), they
 * go through the queue to the worker role (`EnqueueBatcher`), so a busy tenant's processing
 * runs beside the web process instead of competing with its webhooks and sockets. Events
 * whose processing here failed are queued too: the job retries them with backoff.
 * Above `maxInlinePerSecond` events a second the tenant is not quiet any more: its events go to
 * the queue at once, because processing them here delays this process's webhook
 * acknowledgements (seen with `npm run bench:ingest` at 1,000 msg/s).
 * Events lost with the process (a crash in between) are still stored, unprocessed: the requeue
 * sweep finds them.
 */
export class InboundDispatcher {
  private readonly processHere: (keys: string[]) => Promise<{ failedKeys: string[] }>;
  private readonly queue: Pick<EnqueueBatcher, "add" | "close">;
  private readonly logger: Logger;
  private readonly maxInline: number;
  private readonly maxWaitMs: number;
  private readonly maxWaitingKeys: number;
  private readonly maxPerSecond: number;
  private readonly now: () => number;
  /** Arrivals counted per second: the current second's and the one before (a sliding estimate). */
  private second = 0;
  private arrivals = 0;
  private previousArrivals = 0;
  private readonly inProgress = new Set<Promise<void>>();
  private waiting: string[] = [];
  private waitTimer: NodeJS.Timeout | undefined;

  constructor(options: {
    /** Processes and announces the events; resolves with those that failed. */
    processHere: (keys: string[]) => Promise<{ failedKeys: string[] }>;
    queue: Pick<EnqueueBatcher, "add" | "close">;
    logger: Logger;
    /** Batches processed here at once; 0 sends everything to the queue. */
    maxInline: number;
    /** Longest events wait for a batch here before they are queued instead, in ms (20). */
    maxWaitMs?: number;
    /** More events than this waiting are queued at once (32). */
    maxWaitingKeys?: number;
    /** Above this many events a second, all go to the queue (200). */
    maxInlinePerSecond?: number;
    /** The clock, in ms (tests). */
    now?: () => number;
  }) {
    this.processHere = options.processHere;
    this.queue = options.queue;
    this.logger = options.logger;
    this.maxInline = options.maxInline;
    this.maxWaitMs = options.maxWaitMs ?? 20;
    this.maxWaitingKeys = options.maxWaitingKeys ?? 32;
    this.maxPerSecond = options.maxInlinePerSecond ?? 200;
    this.now = options.now ?? Date.now;
  }

  /** Hands on newly stored events. Never throws. */
  add(keys: readonly string[]): void {
    if (keys.length === 0) return;
    if (this.maxInline <= 0 || this.busyTenant(keys.length)) {
      this.queue.add(keys);
      return;
    }
    this.waiting.push(...keys);
    if (this.inProgress.size < this.maxInline) this.startNext();
    else if (this.waiting.length > this.maxWaitingKeys) this.queueWaiting();
    else this.waitTimer ??= setTimeout(() => this.queueWaiting(), this.maxWaitMs);
  }

  /** Queues what waits, waits for the batches in progress, then for the queue (shutdown). */
  async close(): Promise<void> {
    this.queueWaiting();
    while (this.inProgress.size > 0) await Promise.all(this.inProgress);
    await this.queue.close();
  }

  private startNext(): void {
    if (this.waiting.length === 0) return;
    const batch = this.waiting;
    this.waiting = [];
    this.clearWaitTimer();
    const processing = this.processHere(batch)
      .then(({ failedKeys }) => this.queue.add(failedKeys))
      .catch((error: unknown) => {
        // Processed or not, the job finds out: what was done is skipped there.
        this.logger.warn({ err: error, events: batch.length }, "inline processing failed; queued");
        this.queue.add(batch);
      })
      .finally(() => {
        this.inProgress.delete(processing);
        this.startNext();
      });
    this.inProgress.add(processing);
  }

  /** Counts the arrivals; whether the last second's rate is over `maxPerSecond`. */
  private busyTenant(count: number): boolean {
    const now = this.now();
    const second = Math.floor(now / 1000);
    if (second !== this.second) {
      this.previousArrivals = second === this.second + 1 ? this.arrivals : 0;
      this.arrivals = 0;
      this.second = second;
    }
    this.arrivals += count;
    // The previous second weighs as much of it as still lies within the last 1,000 ms.
    const rate = this.arrivals + this.previousArrivals * (1 - (now % 1000) / 1000);
    return rate > this.maxPerSecond;
  }

  /** This process does not keep up: what waits goes to the worker role. */
  private queueWaiting(): void {
    this.clearWaitTimer();
    if (this.waiting.length === 0) return;
    const keys = this.waiting;
    this.waiting = [];
    this.queue.add(keys);
  }

  private clearWaitTimer(): void {
    if (this.waitTimer !== undefined) clearTimeout(this.waitTimer);
    this.waitTimer = undefined;
  }
}
