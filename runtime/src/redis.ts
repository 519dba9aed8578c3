import { Redis } from "ioredis";
import type { Env } from "./env.js";
import { componentLogger, type Logger } from "./logger.js";

/**
 * `client`: sessions, health and queue producers; fails a command fast when Redis is away.
 * `worker`: BullMQ workers, which block on Redis and must retry forever
 * (`maxRetriesPerRequest: null`, BullMQ's production guide).
 */
export type RedisPurpose = "client" | "worker";

/**
 * Opens an ioredis connection and attaches the listeners every connection needs: an unhandled
 * `error` event would crash the process, and a down Redis emits one per reconnect attempt, so
 * only changes of error code are logged.
 */
export function createRedisConnection(
  env: Pick<Env, "REDIS_HOST" | "REDIS_PORT" | "REDIS_PASSWORD">,
  logger: Logger,
  purpose: RedisPurpose,
): Redis {
  const log = componentLogger(logger, "redis").child({ purpose });
  const redis = new Redis({
    host: env.REDIS_HOST,
    port: env.REDIS_PORT,
    ...(env.REDIS_PASSWORD === undefined ? {} : { password: env.REDIS_PASSWORD }),
    maxRetriesPerRequest: purpose === "worker" ? null : 1,
    connectTimeout: 5_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  let lastErrorCode: string | undefined;
  redis.on("error", (error: Error & { code?: string }) => {
    const code = error.code ?? error.name;
    if (code === lastErrorCode) return;
    lastErrorCode = code;
    log.warn({ code }, "redis connection error");
  });
  redis.on("ready", () => {
    lastErrorCode = undefined;
    log.info("redis ready");
  });
  return redis;
}

/**
 * Closes a connection: a clean QUIT when connected, otherwise just stop reconnecting (a QUIT
 * queued on a dead connection would wait for a Redis that may never come back).
 */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === "end") return;
  const ended = new Promise<void>((resolve) => redis.once("end", () => resolve()));
  // QUIT resolves on Redis's reply; wait for the socket to close too.
  if (redis.status === "ready") await redis.quit();
  else redis.disconnect();
  await ended;
}
