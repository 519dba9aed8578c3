import type { Components } from "../components.js";
import { bullPrefix, type QueueRegistry } from "../queues/index.js";
import { startWorkers } from "../queues/startWorkers.js";
import { createTasks, type TaskDeps } from "../queues/tasks/index.js";
import { closeRedis, createRedisConnection } from "../redis.js";
import { TenantEventPublisher } from "../sockets/tenantEvents.js";

/** The worker role of a test: every task, on its own Redis connection. */
export interface TestWorkers {
  close(): Promise<void>;
}

/** Starts the worker role on the test components, consuming the queues `queues` produce into. */
export function startTestWorkers(
  components: Components,
  queues: QueueRegistry,
  retryDelays: Pick<TaskDeps, "mediaRetryDelayMs" | "sendRetryDelayMs"> = {},
): TestWorkers {
  const connection = createRedisConnection(components.env, components.logger, "worker");
  const workers = startWorkers({
    tasks: createTasks(components, {
      queues,
      events: new TenantEventPublisher({ redis: components.redis, env: components.env }),
      ...retryDelays,
    }),
    connection,
    prefix: bullPrefix(components.env),
    logger: components.logger,
  });
  return {
    close: async () => {
      await Promise.all(workers.map((worker) => worker.close()));
      await closeRedis(connection);
    },
  };
}
