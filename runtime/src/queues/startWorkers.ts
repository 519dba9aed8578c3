import { DelayedError, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { componentLogger, type Logger } from "../logger.js";
import { redactDatabaseError } from "../utils/redactDatabaseError.js";
import type { QueueName } from "./index.js";
import type { AnyTask } from "./tasks/base/BaseTask.js";

/**
 * Starts one BullMQ `Worker` per queue that has tasks, dispatching each job to the task whose
 * name matches. The connection must be a `worker`-purpose one (`maxRetriesPerRequest: null`).
 */
export function startWorkers(options: {
  tasks: readonly AnyTask[];
  connection: Redis;
  prefix: string;
  logger: Logger;
  concurrency?: number;
}): Worker[] {
  const log = componentLogger(options.logger, "worker");
  const byQueue = new Map<QueueName, Map<string, AnyTask>>();
  for (const task of options.tasks) {
    const tasks = byQueue.get(task.queueName) ?? new Map<string, AnyTask>();
    tasks.set(task.name, task);
    byQueue.set(task.queueName, tasks);
  }

  return [...byQueue].map(([queueName, tasks]) => {
    const workerOptions =
      [...tasks.values()]
        .map((task) => task.workerOptions)
        .find((o) => Object.keys(o).length > 0) ?? {};
    const worker = new Worker(
      queueName,
      async (job, token) => {
        const task = tasks.get(job.name);
        if (task === undefined) throw new UnrecoverableError(`no task named ${job.name}`);
        const props = task.schema.safeParse(job.data);
        if (!props.success) throw new UnrecoverableError(`invalid data for ${job.name}`);
        try {
          await task.perform(props.data, { job, token });
        } catch (error) {
          // BullMQ keeps a failed job's message and stack in Redis for days: no SQL values there.
          throw redactDatabaseError(error);
        }
      },
      {
        connection: options.connection,
        prefix: options.prefix,
        concurrency: workerOptions.concurrency ?? options.concurrency ?? 5,
        ...(workerOptions.limiter === undefined ? {} : { limiter: workerOptions.limiter }),
        ...(workerOptions.settings === undefined ? {} : { settings: workerOptions.settings }),
      },
    );
    worker.on("error", (error) => log.error({ err: error, queue: queueName }, "worker error"));
    worker.on("failed", (job, error) => {
      // A job that postponed itself (DelayedError) has not failed.
      if (job === undefined || error instanceof DelayedError) return;
      const finalAttempt =
        job.attemptsMade >= (job.opts.attempts ?? 1) || error instanceof UnrecoverableError;
      log.warn(
        {
          queue: queueName,
          job: job.name,
          jobId: job.id,
          attempt: job.attemptsMade,
          finalAttempt,
          err: error,
        },
        "job failed",
      );
      const task = tasks.get(job.name);
      if (finalAttempt && task !== undefined) {
        task.onFailed(job.data, error).catch((hookError: unknown) => {
          log.error({ err: hookError, job: job.name }, "onFailed hook failed");
        });
      }
    });
    log.info({ queue: queueName, tasks: [...tasks.keys()] }, "worker started");
    return worker;
  });
}
