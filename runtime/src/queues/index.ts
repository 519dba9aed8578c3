import { type JobsOptions, Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Env } from "../env.js";
import { componentLogger, type Logger } from "../logger.js";

export { closeRedis, createRedisConnection } from "../redis.js";

/**
 * The runtime's queues: `housekeeping` for periodic maintenance, `whatsapp-inbound` for stored
 * webhook events, `whatsapp-media` for media downloads (slow; kept apart so they never delay
 * messages), `whatsapp-outbound` for sends (rate-limited per number). Adding a queue here is the
 * only way to create one, so names stay a closed set.
 */
export const queueNames = [
  "housekeeping",
  "whatsapp-inbound",
  "whatsapp-media",
  "whatsapp-outbound",
] as const;

/** A queue's name. */
export type QueueName = (typeof queueNames)[number];

/**
 * Defaults for every job: a few retries with backoff, and bounded history, because Redis holds
 * ~1 KB per kept job and a tenant's Redis has 64 MB (operations.md §5.4).
 */
export const defaultJobOptions: JobsOptions = {
  attempts: 3,
  backoff: { type: "exponential", delay: 5_000 },
  removeOnComplete: { count: 100, age: 24 * 3_600 },
  removeOnFail: { count: 1_000, age: 7 * 24 * 3_600 },
};

/** BullMQ key prefix: under the runtime's Redis prefix, apart from session keys. */
export function bullPrefix(env: Pick<Env, "REDIS_PREFIX">): string {
  return `${env.REDIS_PREFIX}:bull`;
}

/**
 * Producer side of the queues: one lazily created `Queue` per name, sharing one connection.
 * Producers use a `client`-purpose connection, so adding a job fails fast while Redis is away
 * instead of hanging a request.
 */
export class QueueRegistry {
  private readonly connection: Redis;
  private readonly prefix: string;
  private readonly logger: Logger;
  private readonly queues = new Map<QueueName, Queue>();

  constructor(options: { connection: Redis; prefix: string; logger: Logger }) {
    this.connection = options.connection;
    this.prefix = options.prefix;
    this.logger = componentLogger(options.logger, "queues");
  }

  /** The queue with this name, created on first use. */
  get(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (queue === undefined) {
      queue = new Queue(name, {
        connection: this.connection,
        prefix: this.prefix,
        defaultJobOptions,
      });
      queue.on("error", (error) => this.logger.error({ err: error, queue: name }, "queue error"));
      this.queues.set(name, queue);
    }
    return queue;
  }

  /**
   * Removes the finished (completed or failed) jobs of `name` whose data mentions any of
   * `needles`. Finished jobs are kept for a while for diagnosis; after an erasure (LGPD) none may
   * keep a trace of the person. History is bounded (`defaultJobOptions`), so this scan is too.
   * @returns how many jobs were removed
   */
  async forgetFinishedJobsMentioning(name: QueueName, needles: readonly string[]): Promise<number> {
    if (needles.length === 0) return 0;
    const queue = this.get(name);
    const finished = await queue.getJobs(["completed", "failed"], 0, 2_000);
    let removed = 0;
    for (const job of finished) {
      const data = JSON.stringify(job.data ?? null);
      if (!needles.some((needle) => data.includes(needle))) continue;
      await job.remove().catch(() => {});
      removed++;
    }
    return removed;
  }

  /** Closes every queue created so far (the shared connection stays open; its owner closes it). */
  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.queues.clear();
  }
}
