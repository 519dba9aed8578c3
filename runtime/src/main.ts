import {
  type CommandOutput,
  createAdminCommand,
  EXIT_USAGE,
  parseCreateAdminArgs,
} from "./cli/createAdmin.js";
import {
  MAX_INPUT_BYTES,
  parseWhatsappSettingsArgs,
  whatsappSettingsCommand,
} from "./cli/whatsappSettings.js";
import type { Components } from "./components.js";
import { createDatabase, waitForDatabase } from "./database.js";
import { loadEnvOrExit } from "./env.js";
import { componentLogger, createLogger } from "./logger.js";
import { runMigrations } from "./migrations/index.js";
import { closeRedis, createRedisConnection } from "./redis.js";
import { startServices } from "./services/index.js";
import { ShutdownHelper } from "./utils/ShutdownHelper.js";

/**
 * Process entry point (`node /app/main.js [command]`):
 * - no command: serve the roles `ROLE` names, until SIGTERM/SIGINT;
 * - `migrate`: apply pending migrations, print `{"applied":[…]}`, exit;
 * - `create-admin --email <email> [--name <name>]`: see `cli/createAdmin.ts`;
 * - `whatsapp-settings [--show]` (changes as JSON on stdin): see `cli/whatsappSettings.ts`.
 * Exit status: 0 done, 1 failure, 2 bad usage.
 */
const USAGE =
  "usage: node /app/main.js [migrate | create-admin --email <email> [--name <name>] | whatsapp-settings [--show]]";

const processOutput: CommandOutput = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

async function serve(): Promise<void> {
  const env = loadEnvOrExit();
  const logger = createLogger(env);
  const log = componentLogger(logger, "main");
  const shutdown = new ShutdownHelper({ logger, timeoutMs: env.SHUTDOWN_TIMEOUT_MS });
  // Listen before connecting, so a container stopped while waiting for its database exits cleanly.
  shutdown.listen();
  process.on("uncaughtException", (error) => {
    log.fatal({ err: error }, "uncaught exception");
    void shutdown.shutdown("uncaughtException", 1);
  });
  process.on("unhandledRejection", (reason) => {
    log.fatal({ err: reason }, "unhandled rejection");
    void shutdown.shutdown("unhandledRejection", 1);
  });

  log.info({ role: env.ROLE, node: process.version }, "starting");
  const db = createDatabase(env, logger);
  const redis = createRedisConnection(env, logger, "client");
  shutdown.add("database", "close database pool", () => db.destroy());
  shutdown.add("redis", "close redis connection", () => closeRedis(redis));
  const components: Components = { env, db, redis, logger };
  try {
    await waitForDatabase(db, logger);
    await startServices(env.ROLE, components, shutdown);
    log.info({ role: env.ROLE }, "started");
  } catch (error) {
    if (shutdown.isShuttingDown) return;
    log.fatal({ err: error }, "start failed");
    await shutdown.shutdown("start failed", 1);
  }
}

/**
 * Runs a one-off command against a migrated database; logs go to stderr, results to stdout.
 * @returns the exit status
 */
async function runOneOff(
  command: (db: Components["db"], applied: string[], env: Components["env"]) => Promise<number>,
): Promise<number> {
  const env = loadEnvOrExit();
  const logger = createLogger(env, process.stderr);
  const db = createDatabase(env, logger);
  try {
    await waitForDatabase(db, logger);
    // Idempotent and locked: safe even while the app container is applying them too.
    const applied = await runMigrations(db, logger, { encryptionKey: env.ENCRYPTION_KEY });
    return await command(db, applied, env);
  } catch (error) {
    logger.error({ err: error }, "command failed");
    return 1;
  } finally {
    await db.destroy();
  }
}

/** Standard input as text, up to `limit` bytes (the command refuses anything longer). */
async function readStdin(limit: number): Promise<string> {
  if (process.stdin.isTTY) return "";
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buffer = Buffer.from(chunk as Uint8Array);
    chunks.push(buffer);
    size += buffer.length;
    if (size >= limit) break;
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function main(argv: readonly string[]): Promise<void> {
  const [command, ...args] = argv;
  switch (command) {
    case undefined:
    case "serve":
      await serve();
      return;
    case "migrate":
      process.exitCode = await runOneOff(async (_db, applied) => {
        processOutput.stdout(JSON.stringify({ applied }));
        return 0;
      });
      return;
    case "create-admin": {
      // Validate before waiting for the database: bad input fails at once.
      const parsed = parseCreateAdminArgs(args);
      if (!parsed.ok) {
        processOutput.stderr(parsed.message);
        process.exitCode = EXIT_USAGE;
        return;
      }
      process.exitCode = await runOneOff((db) => createAdminCommand(args, { db }, processOutput));
      return;
    }
    case "whatsapp-settings": {
      const parsed = parseWhatsappSettingsArgs(args);
      if (!parsed.ok) {
        processOutput.stderr(parsed.message);
        process.exitCode = EXIT_USAGE;
        return;
      }
      // Secrets arrive on stdin only: argv and env show in `ps` and `docker inspect`.
      const input = parsed.show ? undefined : await readStdin(MAX_INPUT_BYTES + 1);
      process.exitCode = await runOneOff((db, _applied, env) =>
        whatsappSettingsCommand(args, { db, env }, input, processOutput),
      );
      return;
    }
    default:
      processOutput.stderr(`unknown command ${JSON.stringify(command)}\n${USAGE}`);
      process.exitCode = EXIT_USAGE;
  }
}

await main(process.argv.slice(2));
