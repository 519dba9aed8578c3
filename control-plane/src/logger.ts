import { type Logger, pino } from "pino";
import type { ControlPlaneConfig } from "./config.js";

/** Parts of the control plane that log; a closed set so logs can be filtered reliably. */
export type LogComponent =
  | "store"
  | "provisioner"
  | "destroyer"
  | "docker"
  | "images"
  | "doctor"
  | "lock"
  | "api";

/**
 * JSON logs on stderr, so `--json` output on stdout stays clean. Secret-bearing fields are
 * redacted as a second line of defence: code must not pass them in the first place.
 */
export function createLogger(config: Pick<ControlPlaneConfig, "ATENDE_LOG_LEVEL">): Logger {
  return pino(
    {
      level: config.ATENDE_LOG_LEVEL,
      base: { service: "control-plane" },
      redact: {
        paths: [
          "*.password",
          "*.secrets",
          "*.Env",
          "*.env",
          "password",
          "secrets",
          "*.credentials",
          "*.secretAccessKey",
          "*.ATENDE_BACKUP_S3_SECRET_ACCESS_KEY",
        ],
        censor: "[redacted]",
      },
    },
    pino.destination(2),
  );
}

export type { Logger };
