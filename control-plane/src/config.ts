import { homedir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { AtendeError } from "./errors.js";

/** The repository root, where `templates/` and `docker/` live. */
export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const portRange = z
  .string()
  .regex(/^\d{2,5}-\d{2,5}$/, "must look like 8100-8999")
  .transform((value) => {
    const [low, high] = value.split("-").map(Number) as [number, number];
    return { low, high };
  })
  .refine(
    ({ low, high }) => low >= 1024 && high <= 65535 && low <= high,
    "must be within 1024-65535, low first",
  );

/**
 * The control plane's settings, read from the environment once. Nothing else in the control
 * plane reads `process.env`; tests pass their own source.
 */
const configSchema = z.object({
  /** Where the registry, the master key file and caches live. */
  ATENDE_HOME: z.string().min(1).default(path.join(homedir(), ".atende")),
  /** Base64 of 32 bytes. When unset, a key file `$ATENDE_HOME/master.key` (mode 0600) is used, created on first use. */
  ATENDE_MASTER_KEY: z.string().optional(),
  /** `mysql://user:pass@host:3306/db` keeps the registry in MySQL/MariaDB (a shared control plane). Unset: embedded SQLite file. */
  ATENDE_STORE_URL: z.string().url().optional(),
  /** The Docker engine: `unix:///var/run/docker.sock` (default) or `tcp://host:2375`. */
  DOCKER_HOST: z.string().default("unix:///var/run/docker.sock"),
  /** Host address tenant inboxes are published on. 127.0.0.1 until the edge proxy fronts them. */
  ATENDE_PUBLISH_HOST: z.string().default("127.0.0.1"),
  /** Host ports handed out to tenant inboxes. */
  ATENDE_PORT_RANGE: portRange.default({ low: 8100, high: 8999 }),
  /** Refuse to create a tenant when the Docker data directory has less free space than this. */
  ATENDE_MIN_FREE_DISK_MB: z.coerce.number().int().nonnegative().default(1024),
  /** How long a new or restarted tenant may take to answer /readyz. */
  ATENDE_READY_TIMEOUT_SECONDS: z.coerce.number().int().positive().default(120),
  /** Where templates are looked up by name. */
  ATENDE_TEMPLATES_DIR: z.string().default(path.join(repositoryRoot, "templates")),
  /** Image repository prefix: images are `<prefix>/<name>:<version>`. */
  ATENDE_IMAGE_PREFIX: z.string().default("atende"),
  /** pino level for the control plane's own logs (stderr). */
  ATENDE_LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .default("warn"),
});

export type ControlPlaneConfig = Readonly<z.infer<typeof configSchema>>;

/** Parses the control plane's settings; every problem is listed in one error. */
export function loadConfig(
  source: Record<string, string | undefined> = process.env,
): ControlPlaneConfig {
  const relevant = Object.fromEntries(
    Object.keys(configSchema.shape).map((key) => [
      key,
      source[key] === "" ? undefined : source[key],
    ]),
  );
  const parsed = configSchema.safeParse(relevant);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".")}: ${issue.message}`,
    );
    throw new AtendeError(
      "invalid_option",
      `Invalid control-plane settings: ${problems.join("; ")}.`,
      {
        hint: "Fix the environment variables named above.",
      },
    );
  }
  return Object.freeze(parsed.data);
}
