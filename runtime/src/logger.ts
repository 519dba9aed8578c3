import { type DestinationStream, type Logger, pino } from "pino";
import { type Env, secretEnvNames } from "./env.js";
import { redactDatabaseError } from "./utils/redactDatabaseError.js";

/** Parts of the runtime that log; a closed set so logs can be filtered reliably. */
export type LogComponent =
  | "main"
  | "http"
  | "sockets"
  | "auth"
  | "database"
  | "migrations"
  | "redis"
  | "queues"
  | "worker"
  | "health"
  | "webhooks"
  | "commands"
  | "shutdown";

// A second line of defence: code must not pass secrets to the logger in the first place.
const redactedPaths = [
  "password",
  "*.password",
  "passwordHash",
  "*.passwordHash",
  "password_hash",
  "*.password_hash",
  "cookie",
  "*.cookie",
  "*.headers.cookie",
  "*.headers['set-cookie']",
  "sessionId",
  "*.sessionId",
  ...secretEnvNames,
  ...secretEnvNames.map((name) => `*.${name}`),
];

/**
 * The process logger: JSON lines, `{ service, tenant }` on every line. Call it object first:
 * `log.info({ userId }, "signed in")`.
 * @param destination where lines go; defaults to stdout, written synchronously so the last lines
 *   before `process.exit` (shutdown, fatal errors) are never lost or reordered. One-off commands
 *   pass stderr so their stdout carries only their result.
 */
export function createLogger(
  env: Pick<Env, "LOG_LEVEL" | "TENANT_ID">,
  destination: DestinationStream = pino.destination({ dest: 1, sync: true }),
): Logger {
  return pino(
    {
      level: env.LOG_LEVEL,
      base: { service: "runtime", tenant: env.TENANT_ID },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactedPaths, censor: "[redacted]" },
      // Database errors quote their SQL with customers' data in it: only code and errno stay.
      serializers: { err: (error) => pino.stdSerializers.err(redactDatabaseError(error)) },
    },
    destination,
  );
}

/** A child logger whose lines carry `{ component }`. */
export function componentLogger(logger: Logger, component: LogComponent): Logger {
  return logger.child({ component });
}

export type { Logger };
