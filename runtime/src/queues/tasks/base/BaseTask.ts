import type { AdvancedOptions, Job, JobsOptions } from "bullmq";
import type { z } from "zod";
import type { QueueName, QueueRegistry } from "../../index.js";

/**
 * A unit of background work, one class per file, named for what it does (`SendWebhookTask`).
 * The class name is the BullMQ job name (the build keeps class names). Job data is validated
 * with `schema` before `perform` runs, and must never contain secrets: Redis is not encrypted.
 */
export abstract class BaseTask<Props> {
  /** Queue the task's jobs go to. */
  abstract readonly queueName: QueueName;
  /** Shape of the job data. */
  abstract readonly schema: z.ZodType<Props>;

  /** Job name: the class name. */
  get name(): string {
    return this.constructor.name;
  }

  /** Per-task overrides of `defaultJobOptions` (attempts, backoff, priority). */
  get options(): JobsOptions {
    return {};
  }

  /**
   * Options of the queue's worker (concurrency, BullMQ's global rate limiter). The first task of
   * a queue that sets them wins, so give them on a queue's only task.
   */
  get workerOptions(): {
    concurrency?: number;
    limiter?: { max: number; duration: number };
    /** E.g. a custom `backoffStrategy` for jobs added with `backoff: { type: <custom> }`. */
    settings?: AdvancedOptions;
  } {
    return {};
  }

  /** Queues a job for this task. */
  async schedule(queues: QueueRegistry, props: Props): Promise<void> {
    await queues.get(this.queueName).add(this.name, this.schema.parse(props), this.options);
  }

  /**
   * Does the work. Throw `UnrecoverableError` (from bullmq) for failures a retry cannot fix.
   * `running` gives the BullMQ job and its lock token, for tasks that postpone themselves
   * (`job.moveToDelayed` + `DelayedError`) without spending an attempt.
   */
  abstract perform(props: Props, running?: { job: Job; token: string | undefined }): Promise<void>;

  /** Runs once the job has failed for the last time. */
  async onFailed(_props: Props, _error: Error): Promise<void> {}
}

/** Any task, whatever its props. */
// biome-ignore lint/suspicious/noExplicitAny: a heterogeneous list of tasks needs an open Props.
export type AnyTask = BaseTask<any>;
