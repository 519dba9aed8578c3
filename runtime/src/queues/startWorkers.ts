import { UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { componentLogger, type Logger } from "../logger.js";
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
    const worker = new Worker(
      queueName,
      async (job) => {
        const task = tasks.get(job.name);
        if (task === undefined) throw new UnrecoverableError(`no task named ${job.name}`);
        const props = task.schema.safeParse(job.data);
        if (!props.success) throw new UnrecoverableError(`invalid data for ${job.name}`);
        await task.perform(props.data);
      },
      {
        connection: options.connection,
        prefix: options.prefix,
        concurrency: options.concurrency ?? 5,
      },
    );
    worker.on("error", (error) => log.error({ err: error, queue: queueName }, "worker error"));
    worker.on("failed", (job, error) => {
      if (job === undefined) return;
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
