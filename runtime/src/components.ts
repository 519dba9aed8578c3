import type { Redis } from "ioredis";
import type { Knex } from "knex";
import type { Env } from "./env.js";
import type { Logger } from "./logger.js";

/**
 * The process's shared connections, built once by `main.ts` (or by a test) and passed to every
 * factory. No module opens its own connection, so tests inject real ones and shut them down.
 */
export interface Components {
  env: Env;
  db: Knex;
  redis: Redis;
  logger: Logger;
}
