import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { type Knex, knex } from "knex";
import { type AppOptions, createServer, type RuntimeServer } from "../app.js";
import type { Components } from "../components.js";
import { createDatabase } from "../database.js";
import { type Env, loadEnv } from "../env.js";
import { createLogger, type Logger } from "../logger.js";
import { runMigrations } from "../migrations/index.js";
import { closeRedis, createRedisConnection } from "../redis.js";
import { listen } from "../services/web.js";

// The test MariaDB and Redis (the host's, per the repository README). Overridable for CI.
const MYSQL = {
  host: process.env.TEST_DATABASE_HOST ?? "127.0.0.1",
  port: Number(process.env.TEST_DATABASE_PORT ?? 3306),
  user: process.env.TEST_DATABASE_USER ?? "root",
  password: process.env.TEST_DATABASE_PASSWORD ?? "",
};
const REDIS = {
  host: process.env.TEST_REDIS_HOST ?? "127.0.0.1",
  port: Number(process.env.TEST_REDIS_PORT ?? 6379),
};

/** A random suffix for per-file database names and Redis prefixes. */
export function uniqueSuffix(): string {
  return randomBytes(5).toString("hex");
}

/**
 * A valid environment for tests: real local MariaDB/Redis, a unique Redis prefix, silent logs.
 * @param overrides raw variables, validated like production's
 */
export function buildTestEnv(overrides: Record<string, string | undefined> = {}): Env {
  return loadEnv({
    NODE_ENV: "test",
    TENANT_ID: "test",
    PUBLIC_URL: "http://atende.test",
    LOG_LEVEL: "silent",
    DATABASE_HOST: MYSQL.host,
    DATABASE_PORT: String(MYSQL.port),
    DATABASE_NAME: "atende_test_unused",
    DATABASE_USER: MYSQL.user,
    DATABASE_PASSWORD: MYSQL.password,
    REDIS_HOST: REDIS.host,
    REDIS_PORT: String(REDIS.port),
    REDIS_PREFIX: `atende_test_${uniqueSuffix()}`,
    ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    SESSION_SECRET: randomBytes(48).toString("base64"),
    // The consent question would be one more outbound message in every conversation; the
    // consent tests turn it on.
    CONSENT_PROMPT: "false",
    ...overrides,
  });
}

/** A throwaway database: `atende_test_<random>`, dropped by `drop()`. */
export interface TestDatabase {
  name: string;
  db: Knex;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/** Creates an empty, uniquely named database on the test MariaDB and connects to it. */
export async function createTestDatabase(
  logger: Logger = createLogger({ LOG_LEVEL: "silent", TENANT_ID: "test" }),
): Promise<TestDatabase> {
  const name = `atende_test_${uniqueSuffix()}`;
  await withServerConnection((admin) =>
    admin.raw("CREATE DATABASE ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci", [name]),
  );
  const db = createDatabase(
    {
      DATABASE_HOST: MYSQL.host,
      DATABASE_PORT: MYSQL.port,
      DATABASE_NAME: name,
      DATABASE_USER: MYSQL.user,
      DATABASE_PASSWORD: MYSQL.password,
    },
    logger,
  );
  return {
    name,
    db,
    drop: async () => {
      await db.destroy();
      await withServerConnection((admin) => admin.raw("DROP DATABASE IF EXISTS ??", [name]));
    },
  };
}

async function withServerConnection(run: (admin: Knex) => Promise<unknown>): Promise<void> {
  const admin = knex({ client: "mysql2", connection: { ...MYSQL } });
  try {
    await run(admin);
  } finally {
    await admin.destroy();
  }
}

/** Real components for one test file, plus the cleanup that removes everything they created. */
export interface TestComponents extends Components {
  database: TestDatabase;
  /** Deletes the file's Redis keys, closes Redis and drops the database. */
  cleanup(): Promise<void>;
}

/**
 * Components on a fresh database (migrated unless `migrate: false`) and the real Redis under a
 * unique prefix.
 */
export async function createTestComponents(
  options: { migrate?: boolean; env?: Record<string, string>; logger?: Logger } = {},
): Promise<TestComponents> {
  const database = await createTestDatabase();
  const env = buildTestEnv({ DATABASE_NAME: database.name, ...options.env });
  const logger = options.logger ?? createLogger(env);
  const redis = createRedisConnection(env, logger, "client");
  if (redis.status !== "ready") await new Promise((resolve) => redis.once("ready", resolve));
  if (options.migrate !== false) {
    await runMigrations(database.db, logger, { encryptionKey: env.ENCRYPTION_KEY });
  }
  return {
    env,
    db: database.db,
    redis,
    logger,
    database,
    cleanup: async () => {
      await deleteKeys(redis, `${env.REDIS_PREFIX}:*`);
      await closeRedis(redis);
      await database.drop();
    },
  };
}

/** Deletes every key matching a pattern (SCAN, so it never blocks Redis). */
export async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
}

/** A runtime web server listening on a free loopback port. */
export interface TestServer extends RuntimeServer {
  /** e.g. `http://127.0.0.1:40123` */
  url: string;
  /** Closes Socket.IO and the HTTP server (not the components). */
  close(): Promise<void>;
}

/** Starts `createServer(components)` on 127.0.0.1 with a random port. */
export async function getTestServer(
  components: Components,
  options: AppOptions = {},
): Promise<TestServer> {
  const server = createServer(components, options);
  await listen(server.httpServer, 0, "127.0.0.1");
  const { port } = server.httpServer.address() as AddressInfo;
  return {
    ...server,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.httpServer.closeAllConnections();
      await server.io.close();
      await server.closeBackground();
    },
  };
}

/** A Redis connection to a port nothing listens on, for "Redis is down" tests. */
export function unreachableRedis(): Redis {
  const redis = new Redis({
    host: "127.0.0.1",
    port: 1,
    maxRetriesPerRequest: 1,
    retryStrategy: () => 1_000,
  });
  redis.on("error", () => {});
  return redis;
}

/** An API response body, loosely typed for assertions. */
export interface JsonBody {
  ok: boolean;
  error?: string;
  status?: number;
  message?: string;
  data: Record<string, unknown>;
}

/** Reads a response's JSON body for assertions. */
export async function jsonBody(response: Response): Promise<JsonBody> {
  return (await response.json()) as JsonBody;
}
