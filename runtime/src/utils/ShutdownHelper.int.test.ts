import { createServer } from "node:net";
import { Redis } from "ioredis";
import { io as connect } from "socket.io-client";
import { afterAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { createLogger } from "../logger.js";
import { bullPrefix, QueueRegistry } from "../queues/index.js";
import { startWorkers } from "../queues/startWorkers.js";
import { BaseTask } from "../queues/tasks/base/BaseTask.js";
import { closeRedis, createRedisConnection } from "../redis.js";
import { startWebService } from "../services/web.js";
import { signIn } from "../test/api.js";
import {
  buildTestEnv,
  createTestDatabase,
  deleteKeys,
  type TestDatabase,
} from "../test/support.js";
import { ShutdownHelper } from "./ShutdownHelper.js";

class NoopTask extends BaseTask<Record<string, never>> {
  readonly queueName = "housekeeping" as const;
  readonly schema = z.object({}).strict();
  override async perform(): Promise<void> {}
}

let database: TestDatabase | undefined;
let redisPrefix = "";

afterAll(async () => {
  const redis = new Redis({ host: "127.0.0.1", port: 6379 });
  await deleteKeys(redis, `${redisPrefix}:*`);
  await redis.quit();
  await database?.drop();
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        resolve(typeof address === "object" && address !== null ? address.port : 0),
      );
    });
  });
}

describe("graceful shutdown of a running web and worker process", () => {
  it("closes the HTTP server, sockets, workers, queues, database and Redis, then exits 0", async () => {
    database = await createTestDatabase();
    const env = buildTestEnv({ DATABASE_NAME: database.name, PORT: String(await freePort()) });
    redisPrefix = env.REDIS_PREFIX;
    const logger = createLogger(env);
    const { db } = database;
    const redis = createRedisConnection(env, logger, "client");
    const exit = vi.fn();
    const shutdown = new ShutdownHelper({ logger, timeoutMs: 5_000, exit });
    shutdown.add("database", "close database pool", () => db.destroy());
    shutdown.add("redis", "close redis connection", () => closeRedis(redis));

    const queues = new QueueRegistry({ connection: redis, prefix: bullPrefix(env), logger });
    const queue = queues.get("housekeeping");
    shutdown.add("queues", "close queues", () => queues.close());
    const workerConnection = createRedisConnection(env, logger, "worker");
    const [worker] = startWorkers({
      tasks: [new NoopTask()],
      connection: workerConnection,
      prefix: bullPrefix(env),
      logger,
    });
    shutdown.add("queues", "close workers", async () => worker?.close());
    shutdown.add("redis", "close worker connection", () => closeRedis(workerConnection));

    await startWebService({ env, db, redis, logger }, shutdown);
    const url = `http://127.0.0.1:${env.PORT}`;
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    const { cookie } = await signIn(url, db, { role: "agent" });
    const client = connect(url, {
      transports: ["websocket"],
      reconnection: false,
      extraHeaders: { Cookie: cookie },
    });
    await new Promise((resolve) => client.once("connect", () => resolve(undefined)));
    const clientDisconnected = new Promise((resolve) => client.once("disconnect", resolve));
    await worker?.waitUntilReady();

    await shutdown.shutdown("test");

    expect(exit).toHaveBeenCalledWith(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    await expect(clientDisconnected).resolves.toBeDefined();
    expect(worker?.isRunning()).toBe(false);
    await expect(queue.add("NoopTask", {})).rejects.toThrow();
    await expect(db.raw("SELECT 1")).rejects.toThrow();
    expect(redis.status).toBe("end");
    expect(workerConnection.status).toBe("end");
  });
});
