import type { Components } from "../components.js";
import { componentLogger } from "../logger.js";
import { bullPrefix } from "../queues/index.js";
import { startWorkers } from "../queues/startWorkers.js";
import { createTasks } from "../queues/tasks/index.js";
import { closeRedis, createRedisConnection } from "../redis.js";
import type { ShutdownHelper } from "../utils/ShutdownHelper.js";

/**
 * The worker role: runs BullMQ workers for the registered tasks on their own blocking Redis
 * connection. With no tasks registered yet it opens nothing and says so.
 */
export async function startWorkerService(
  components: Components,
  shutdown: ShutdownHelper,
): Promise<void> {
  const log = componentLogger(components.logger, "worker");
  const tasks = createTasks(components);
  if (tasks.length === 0) {
    log.info("no background tasks registered yet; worker role idle");
    return;
  }
  const connection = createRedisConnection(components.env, components.logger, "worker");
  const workers = startWorkers({
    tasks,
    connection,
    prefix: bullPrefix(components.env),
    logger: components.logger,
  });
  shutdown.add("queues", "close workers", async () => {
    await Promise.all(workers.map((worker) => worker.close()));
  });
  shutdown.add("redis", "close worker connection", async () => {
    await closeRedis(connection);
  });
}
