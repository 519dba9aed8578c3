import type { Components } from "../components.js";
import { componentLogger } from "../logger.js";
import { bullPrefix, QueueRegistry } from "../queues/index.js";
import { startWorkers } from "../queues/startWorkers.js";
import { buildTasks } from "../queues/tasks/index.js";
import { closeRedis, createRedisConnection } from "../redis.js";
import { TenantEventPublisher } from "../sockets/tenantEvents.js";
import type { ShutdownHelper } from "../utils/ShutdownHelper.js";

/** How often stored but unprocessed webhook events are queued again. */
export const REQUEUE_EVERY_MS = 60_000;
/** How often the retention rules are applied (RETENTION_MONTHS; a no-op when unset). */
export const RETENTION_EVERY_MS = 24 * 3_600_000;

/**
 * The worker role: runs BullMQ workers for the registered tasks on their own blocking Redis
 * connection, and schedules the periodic requeue of unprocessed webhook events.
 */
export async function startWorkerService(
  components: Components,
  shutdown: ShutdownHelper,
): Promise<void> {
  const log = componentLogger(components.logger, "worker");
  const prefix = bullPrefix(components.env);
  const queues = new QueueRegistry({
    connection: components.redis,
    prefix,
    logger: components.logger,
  });
  const events = new TenantEventPublisher({ redis: components.redis, env: components.env });
  const tasks = buildTasks(components, { queues, events });
  const connection = createRedisConnection(components.env, components.logger, "worker");
  const workers = startWorkers({
    tasks: Object.values(tasks),
    connection,
    prefix,
    logger: components.logger,
  });
  await queues
    .get(tasks.requeueWhatsappEvents.queueName)
    .upsertJobScheduler(
      "requeue-whatsapp-events",
      { every: REQUEUE_EVERY_MS },
      { name: tasks.requeueWhatsappEvents.name, data: {} },
    )
    .catch((error: unknown) => log.warn({ err: error }, "requeue schedule not set"));
  await queues
    .get(tasks.requeueWhatsappSends.queueName)
    .upsertJobScheduler(
      "requeue-whatsapp-sends",
      { every: REQUEUE_EVERY_MS },
      { name: tasks.requeueWhatsappSends.name, data: {} },
    )
    .catch((error: unknown) => log.warn({ err: error }, "send requeue schedule not set"));
  // Retention: daily, and once now so a changed RETENTION_MONTHS applies without waiting a day.
  const retentionQueue = queues.get(tasks.applyRetention.queueName);
  await retentionQueue
    .upsertJobScheduler(
      "apply-retention",
      { every: RETENTION_EVERY_MS },
      { name: tasks.applyRetention.name, data: {} },
    )
    .then(() => tasks.applyRetention.schedule(queues, {}))
    .catch((error: unknown) => log.warn({ err: error }, "retention schedule not set"));
  shutdown.add("queues", "close workers", async () => {
    await Promise.all(workers.map((worker) => worker.close()));
    await queues.close();
  });
  shutdown.add("redis", "close worker connection", async () => {
    await closeRedis(connection);
  });
}
