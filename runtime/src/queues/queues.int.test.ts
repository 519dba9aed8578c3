import type { Job, Worker } from "bullmq";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createRedisConnection } from "../redis.js";
import { createTestComponents, deleteKeys, type TestComponents } from "../test/support.js";
import { bullPrefix, QueueRegistry } from "./index.js";
import { startWorkers } from "./startWorkers.js";
import { BaseTask } from "./tasks/base/BaseTask.js";

/** A task that exists only to exercise the queue seam; it records what it performed. */
class RecordGreetingTask extends BaseTask<{ greeting: string }> {
  readonly queueName = "housekeeping" as const;
  readonly schema = z.object({ greeting: z.string() });
  readonly performed: string[] = [];
  readonly failed: string[] = [];

  override async perform(props: { greeting: string }): Promise<void> {
    this.performed.push(props.greeting);
  }

  override async onFailed(props: { greeting: string }): Promise<void> {
    this.failed.push(String(props.greeting));
  }
}

let components: TestComponents;
let workers: Worker[] = [];
let registry: QueueRegistry;

beforeAll(async () => {
  components = await createTestComponents({ migrate: false });
});

afterEach(async () => {
  await Promise.all(workers.map((worker) => worker.close()));
  await registry?.close();
  await deleteKeys(components.redis, `${bullPrefix(components.env)}:*`);
});

afterAll(async () => {
  await components?.cleanup();
});

describe("QueueRegistry and startWorkers", () => {
  it("runs a scheduled task on a worker, keeping only a bounded job history", async () => {
    const task = new RecordGreetingTask();
    const workerConnection = createRedisConnection(components.env, components.logger, "worker");
    try {
      registry = new QueueRegistry({
        connection: components.redis,
        prefix: bullPrefix(components.env),
        logger: components.logger,
      });
      workers = startWorkers({
        tasks: [task],
        connection: workerConnection,
        prefix: bullPrefix(components.env),
        logger: components.logger,
      });
      const [worker] = workers;
      const completed = new Promise<Job>((resolve) => worker?.once("completed", resolve));

      await task.schedule(registry, { greeting: "olá" });
      const job = await completed;

      expect(task.performed).toEqual(["olá"]);
      expect(job.name).toBe("RecordGreetingTask");
      expect(job.opts.removeOnComplete).toEqual({ count: 100, age: 86_400 });
      expect(job.opts.removeOnFail).toEqual({ count: 1_000, age: 604_800 });
      // Keys live under the runtime's prefix, so tenants sharing a Redis (tests) stay apart.
      const keys = await components.redis.keys(`${bullPrefix(components.env)}:housekeeping:*`);
      expect(keys.length).toBeGreaterThan(0);
    } finally {
      await Promise.all(workers.map((worker) => worker.close()));
      await workerConnection.quit();
    }
  });

  it("fails a job with invalid data at once, without retrying, and calls onFailed", async () => {
    const task = new RecordGreetingTask();
    const workerConnection = createRedisConnection(components.env, components.logger, "worker");
    try {
      registry = new QueueRegistry({
        connection: components.redis,
        prefix: bullPrefix(components.env),
        logger: components.logger,
      });
      workers = startWorkers({
        tasks: [task],
        connection: workerConnection,
        prefix: bullPrefix(components.env),
        logger: components.logger,
      });
      const failed = new Promise((resolve) => workers[0]?.once("failed", resolve));

      // Bypass schedule()'s validation to simulate a job written by an older version.
      await registry.get("housekeeping").add(task.name, { greeting: 42 });
      await failed;

      expect(task.performed).toEqual([]);
      await expect.poll(() => task.failed).toEqual(["42"]);
      const [job] = await registry.get("housekeeping").getFailed();
      expect(job?.attemptsMade).toBe(1);
      expect(job?.failedReason).toBe("invalid data for RecordGreetingTask");
    } finally {
      await Promise.all(workers.map((worker) => worker.close()));
      await workerConnection.quit();
    }
  });
});
