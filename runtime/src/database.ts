import { setTimeout as sleep } from "node:timers/promises";
import { type Knex, knex } from "knex";
import type { Env } from "./env.js";
import { componentLogger, type Logger } from "./logger.js";

/** How long the process waits for the database at start before giving up. */
export const DATABASE_WAIT_MS = 60_000;

/**
 * A knex instance for the tenant's MariaDB/MySQL. Sessions run in UTC so `DATETIME` values mean
 * the same thing whatever the server's time zone, and `TINYINT(1)` columns read as booleans.
 */
export function createDatabase(
  env: Pick<
    Env,
    "DATABASE_HOST" | "DATABASE_PORT" | "DATABASE_NAME" | "DATABASE_USER" | "DATABASE_PASSWORD"
  >,
  logger: Logger,
): Knex {
  const log = componentLogger(logger, "database");
  return knex({
    client: "mysql2",
    connection: {
      host: env.DATABASE_HOST,
      port: env.DATABASE_PORT,
      database: env.DATABASE_NAME,
      user: env.DATABASE_USER,
      password: env.DATABASE_PASSWORD,
      charset: "utf8mb4",
      timezone: "Z",
      connectTimeout: 5_000,
      typeCast: castTinyIntToBoolean,
    },
    // The lean tenant MariaDB allows 20 connections (operations.md §5.2); keep most of them free.
    pool: { min: 0, max: 5, afterCreate: setUtcTimeZone },
    acquireConnectionTimeout: 10_000,
    // knex logs with console.log by default; keep every line JSON. Failed connection attempts
    // are reported by whoever retries them (waitForDatabase), so knex's copy is only debug.
    log: {
      warn: (message: string) =>
        String(message).startsWith("Acquire connection error")
          ? log.debug({ detail: String(message).split("\n")[0] }, "knex")
          : log.warn({ detail: String(message) }, "knex warning"),
      error: (message: string) => log.error({ detail: String(message) }, "knex error"),
      deprecate: (method: string, alternative: string) =>
        log.warn({ method, alternative }, "knex deprecation"),
      debug: (message: string) => log.debug({ detail: message }, "knex debug"),
    },
  });
}

/**
 * Resolves once the database answers `SELECT 1`, retrying with a short backoff for up to
 * `timeoutMs`: in a fresh container set the database may come up a little after the app.
 * Logs each failed attempt once.
 * @throws the last connection error when the time is up
 */
export async function waitForDatabase(
  db: Knex,
  logger: Logger,
  timeoutMs: number = DATABASE_WAIT_MS,
): Promise<void> {
  const log = componentLogger(logger, "database");
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await db.raw("SELECT 1");
      if (attempt > 1) log.info({ attempt }, "database reachable");
      return;
    } catch (error) {
      const delayMs = Math.min(250 * 2 ** (attempt - 1), 2_000);
      if (Date.now() + delayMs > deadline) throw error;
      log.info(
        { attempt, code: errorCode(error), retryInMs: delayMs },
        "database not reachable yet",
      );
      await sleep(delayMs);
    }
  }
}

/** A driver error's code (e.g. `ECONNREFUSED`, `ER_ACCESS_DENIED_ERROR`), never its message. */
export function errorCode(error: unknown): string {
  if (typeof error === "object" && error !== null && "code" in error) return String(error.code);
  return "unknown";
}

interface TypeCastField {
  type: string;
  length: number;
  string(): string | null;
}

function castTinyIntToBoolean(field: TypeCastField, next: () => unknown): unknown {
  if (field.type === "TINY" && field.length === 1) {
    const value = field.string();
    return value === null ? null : value === "1";
  }
  return next();
}

interface RawConnection {
  query(sql: string, callback: (error: Error | null) => void): void;
}

function setUtcTimeZone(
  connection: RawConnection,
  done: (error: Error | null, connection: RawConnection) => void,
): void {
  connection.query("SET time_zone = '+00:00'", (error) => done(error, connection));
}
