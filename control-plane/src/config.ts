import { homedir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { DEFAULT_RETENTION } from "./backups/retention.js";
import { AtendeError } from "./errors.js";
import { ianaTimeZone } from "./validation/timeZone.js";

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

const flag = z
  .enum(["true", "false", "1", "0", "yes", "no"], { message: "must be true or false" })
  .transform((value) => ["true", "1", "yes"].includes(value));

const keepCount = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);

/** `HH:MM` (24 h) or `off`. */
const dailyTime = z
  .string()
  .regex(/^(off|([01]\d|2[0-3]):[0-5]\d)$/, "must be a time of day such as 03:00, or off");

/** Settings of the optional S3-compatible off-site copy of backups (ADR 0006). */
const S3_KEYS = [
  "ATENDE_BACKUP_S3_ENDPOINT",
  "ATENDE_BACKUP_S3_BUCKET",
  "ATENDE_BACKUP_S3_REGION",
  "ATENDE_BACKUP_S3_PREFIX",
  "ATENDE_BACKUP_S3_ACCESS_KEY_ID",
  "ATENDE_BACKUP_S3_SECRET_ACCESS_KEY",
  "ATENDE_BACKUP_S3_FORCE_PATH_STYLE",
] as const;

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
  /** Daily backup time (`HH:MM`, in ATENDE_BACKUP_TIMEZONE) for `control-plane serve` and `backup run-due`; `off` (default) disables the schedule. */
  ATENDE_BACKUP_SCHEDULE: dailyTime.default("off"),
  /** The time zone of ATENDE_BACKUP_SCHEDULE. */
  ATENDE_BACKUP_TIMEZONE: ianaTimeZone.default("UTC"),
  /** Retention after scheduled backups and `tenant backup --prune`: newest backup of each of the last N days, ISO weeks, months. */
  ATENDE_BACKUP_KEEP_DAILY: keepCount(DEFAULT_RETENTION.daily),
  ATENDE_BACKUP_KEEP_WEEKLY: keepCount(DEFAULT_RETENTION.weekly),
  ATENDE_BACKUP_KEEP_MONTHLY: keepCount(DEFAULT_RETENTION.monthly),
  /** S3-compatible endpoint, e.g. `https://s3.eu-central-1.amazonaws.com` or a MinIO URL. Unset: AWS for the region. */
  ATENDE_BACKUP_S3_ENDPOINT: z
    .string()
    .url()
    .refine((url) => /^https?:\/\//.test(url), "must be an http(s) URL")
    .optional(),
  /** Setting the bucket turns the off-site copy on: every backup is uploaded after its manifest. */
  ATENDE_BACKUP_S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be a valid S3 bucket name")
    .optional(),
  ATENDE_BACKUP_S3_REGION: z.string().min(1).default("us-east-1"),
  /** Key prefix inside the bucket; objects are `<prefix>/<tenant>/<backup id>/<file>`. */
  ATENDE_BACKUP_S3_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9!_.*'()/-]*$/, "may hold only letters, digits and !_.*'()/-")
    .transform((prefix) => prefix.replace(/^\/+|\/+$/g, ""))
    .default(""),
  ATENDE_BACKUP_S3_ACCESS_KEY_ID: z.string().optional(),
  /** Secret: never logged or printed. */
  ATENDE_BACKUP_S3_SECRET_ACCESS_KEY: z.string().optional(),
  /** Path-style URLs (`endpoint/bucket/key`), needed by most self-hosted S3 servers. */
  ATENDE_BACKUP_S3_FORCE_PATH_STYLE: flag.default(false),
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
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  problems.push(...offsiteProblems(relevant));
  if (!parsed.success || problems.length > 0) {
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

/** The S3 settings belong together: a bucket needs both keys, and nothing works without a bucket. */
function offsiteProblems(source: Record<string, string | undefined>): string[] {
  const set = S3_KEYS.filter((key) => source[key] !== undefined);
  if (set.length === 0) return [];
  const problems: string[] = [];
  if (source.ATENDE_BACKUP_S3_BUCKET === undefined)
    problems.push(
      `ATENDE_BACKUP_S3_BUCKET: required when ${set.join(", ")} ${set.length === 1 ? "is" : "are"} set`,
    );
  for (const key of ["ATENDE_BACKUP_S3_ACCESS_KEY_ID", "ATENDE_BACKUP_S3_SECRET_ACCESS_KEY"])
    if (source[key] === undefined) problems.push(`${key}: required for the S3 off-site copy`);
  return problems;
}
