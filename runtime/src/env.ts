import { isIP } from "node:net";
import { z } from "zod";

/**
 * The runtime's whole configuration. The control plane sets these variables on the tenant's app
 * container (templates/default.yaml). This module is the only code that reads `process.env`:
 * everything else receives the parsed, frozen `Env` through the components object.
 */

// zod's default message for a missing variable is "expected string, received undefined".
const requiredMessage = (issue: { input?: unknown }) =>
  issue.input === undefined ? "is required" : undefined;
const port = (fallback: number) => z.coerce.number().int().min(1).max(65_535).default(fallback);
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const required = z.string({ error: requiredMessage }).trim().min(1, "is required");
// Containers often receive `FOO=` for "unset"; treat an empty string like a missing variable.
const optional = z
  .string()
  .optional()
  .transform((value) => (value === "" ? undefined : value));

/** Names Express's `trust proxy` accepts for whole private ranges. */
const PROXY_RANGE_NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);

/** An IP address, or a CIDR range of them (`10.0.0.0/8`, `fd00::/8`). */
function isAddressOrRange(entry: string): boolean {
  const [address = "", bits, extra] = entry.split("/");
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return false;
  return (
    bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128))
  );
}

/**
 * `TRUST_PROXY`: a number of proxy hops (0–10; 0 trusts none), or the proxies' addresses,
 * comma-separated. Never "true": a client could then pose as any address.
 */
const trustProxy = z
  .string()
  .trim()
  .default("0")
  // Containers often receive `TRUST_PROXY=` for "unset".
  .transform((value) => (value === "" ? "0" : value))
  .transform((value, ctx): number | string[] => {
    if (/^\d{1,2}$/.test(value) && Number(value) <= 10) return Number(value);
    const entries = value.split(",").map((entry) => entry.trim());
    if (entries.every((entry) => PROXY_RANGE_NAMES.has(entry) || isAddressOrRange(entry))) {
      return entries;
    }
    ctx.addIssue({
      code: "custom",
      message:
        "must be a number of proxy hops (0–10) or the proxies' addresses, comma-separated (IPs, CIDR ranges, loopback, linklocal, uniquelocal); never true, which would let any client pose as any address",
    });
    return z.NEVER;
  });

const EnvSchema = z.object({
  /** Which behaviour defaults to use; production is the safe default. */
  NODE_ENV: z.enum(["production", "development", "test"]).default("production"),
  /** TCP port the HTTP server (API, inbox, Socket.IO, health) listens on. */
  PORT: port(3000),
  /** Which process roles start: `web` (HTTP + Socket.IO), `worker` (BullMQ) or `all`. */
  ROLE: z.enum(["web", "worker", "all"]).default("all"),
  /** The tenant this runtime serves: a DNS label such as `acme`. */
  TENANT_ID: z
    .string({ error: requiredMessage })
    .regex(
      /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
      "must be a DNS label: lowercase letters, digits and hyphens, at most 63 characters",
    ),
  /** Where browsers reach this tenant, e.g. `https://acme.atende.com.br`. */
  PUBLIC_URL: z.url({
    protocol: /^https?$/,
    error: (issue) => requiredMessage(issue) ?? "must be an http(s) URL",
  }),
  /** pino level. */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** MariaDB/MySQL host. */
  DATABASE_HOST: required,
  /** MariaDB/MySQL port. */
  DATABASE_PORT: port(3306),
  /** Database (schema) name. */
  DATABASE_NAME: required,
  /** Database user. */
  DATABASE_USER: required,
  /** Database password (secret). May be empty outside production, e.g. a local root login. */
  DATABASE_PASSWORD: z.string({ error: "is required (it may be empty outside production)" }),
  /** Redis host. */
  REDIS_HOST: required,
  /** Redis port. */
  REDIS_PORT: port(6379),
  /** Redis password (secret), if Redis requires one. */
  REDIS_PASSWORD: optional,
  /** Prefix of every Redis key this runtime writes (sessions, BullMQ), so tests can isolate. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1–64 letters, digits, '_' or '-'")
    .default("atende"),
  /** Key for encrypting secrets at rest (secret): base64 of exactly 32 bytes. */
  ENCRYPTION_KEY: z.string({ error: requiredMessage }).superRefine((value, ctx) => {
    const bytes = decodedBase64Length(value);
    if (bytes !== 32) {
      ctx.addIssue({
        code: "custom",
        message:
          bytes === undefined
            ? "must be base64 (of exactly 32 bytes)"
            : `must be the base64 encoding of exactly 32 bytes (it decodes to ${bytes})`,
      });
    }
  }),
  /** Secret for session-related signatures (secret), at least 32 characters. */
  SESSION_SECRET: z.string({ error: requiredMessage }).min(32, "must be at least 32 characters"),
  /** A session ends after this many minutes without a request. */
  SESSION_IDLE_MINUTES: positiveInt(60),
  /** A session ends this many hours after login, however active. */
  SESSION_ABSOLUTE_HOURS: positiveInt(12),
  /** Failed sign-ins of one e-mail address before it is locked out. */
  LOGIN_MAX_FAILURES_PER_ACCOUNT: positiveInt(5),
  /** Failed sign-ins from one IP address, whatever the e-mail, before it is locked out. */
  LOGIN_MAX_FAILURES_PER_IP: positiveInt(50),
  /** How long failed sign-ins are remembered and a lockout lasts (it ends by itself). */
  LOGIN_LOCKOUT_MINUTES: z.coerce.number().positive().max(1440).default(15),
  /**
   * Sign-in requests (`POST /api/session`, right or wrong) one IP address may make per minute,
   * shared by every web process; 0 turns the limit off. Generous: offices sign in through one
   * address.
   */
  RATE_LIMIT_LOGIN_PER_MINUTE: z.coerce.number().int().min(0).default(60),
  /** Webhook verification requests (`GET /webhooks/whatsapp`) per IP address per minute; 0: off. */
  RATE_LIMIT_WEBHOOK_VERIFY_PER_MINUTE: z.coerce.number().int().min(0).default(30),
  /**
   * Refused webhook deliveries (bad signature or body) per IP address per minute and process,
   * after which that address's unsigned deliveries are refused unread; signed deliveries are never
   * limited, so Meta's bursts always get through. 0: off.
   */
  RATE_LIMIT_WEBHOOK_REJECTED_PER_MINUTE: z.coerce.number().int().min(0).default(60),
  /** The tenant's media volume: downloaded WhatsApp media is stored under it. */
  MEDIA_DIR: z.string().trim().min(1).default("/app/media"),
  /**
   * A resolved conversation reopens when its contact writes again within this many hours;
   * later messages start a new conversation.
   */
  CONVERSATION_REOPEN_HOURS: z.coerce.number().min(0).default(24),
  /**
   * Webhook batches the web process handles itself at once, for the lowest latency while the
   * tenant is quiet; the rest (and retries) go through the queue to the worker role. 0: every
   * event through the queue.
   */
  INBOUND_INLINE_BATCHES: z.coerce.number().int().min(0).max(16).default(1),
  /**
   * Above this many webhook events a second the web process stops processing them itself and
   * queues them all, so its webhook acknowledgements stay fast under load.
   */
  INBOUND_INLINE_MAX_PER_SECOND: z.coerce.number().int().min(1).default(200),
  /**
   * Conversations whose last message is older than this many months are deleted or anonymised
   * (RETENTION_MODE) by a daily task; unset keeps everything forever.
   */
  RETENTION_MONTHS: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce
      .number({ error: "must be a whole number of months from 1 to 120" })
      .int("must be a whole number of months from 1 to 120")
      .min(1, "must be a whole number of months from 1 to 120")
      .max(120, "must be a whole number of months from 1 to 120")
      .optional(),
  ),
  /** `anonymise` keeps anonymous counts (dates, direction, type); `delete` removes everything. */
  RETENTION_MODE: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z
      .enum(["delete", "anonymise"], { error: 'must be "delete" or "anonymise"' })
      .default("anonymise"),
  ),
  /** Mask CPF, CNPJ and card numbers in customers' messages before they are stored. */
  MASK_SENSITIVE_NUMBERS: z
    .enum(["true", "false"], { error: 'must be "true" or "false"' })
    .default("true")
    .transform((value) => value === "true"),
  /**
   * Ask each new contact for consent (LGPD) with WhatsApp buttons on their first message. STOP/SAIR
   * and the send checks apply either way: an opt-out is always honoured.
   */
  CONSENT_PROMPT: z
    .enum(["true", "false"], { error: 'must be "true" or "false"' })
    .default("true")
    .transform((value) => value === "true"),
  /** Version of the consent text, recorded with every consent event: change it with the text. */
  CONSENT_TEXT_VERSION: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{1,32}$/, "must be 1–32 letters, digits, '.', '-' or '_'")
    .default("2026-12-v1"),
  /** The consent question (pt-BR by default); empty keeps the built-in text. */
  CONSENT_TEXT: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.string().trim().min(1).max(900, "must be at most 900 characters").optional(),
  ),
  /** Activity-log entries (the audit trail) are kept this many days, then deleted daily. */
  AUDIT_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(30, "must be at least 30 days")
    .max(3650)
    .default(730),
  /** Outbound WhatsApp messages per second for the tenant's number (Meta's default is 80). */
  WHATSAPP_SEND_RATE_PER_SECOND: positiveInt(80),
  /** Messages sent at once to one customer before pacing starts (Meta allows a burst of ~45). */
  WHATSAPP_RECIPIENT_BURST: positiveInt(40),
  /** Then one message per this many ms to the same customer (Meta's pair rate: ~6 s). */
  WHATSAPP_RECIPIENT_INTERVAL_MS: z.coerce.number().int().min(0).default(6_000),
  /**
   * Which reverse proxies in front of the app may say who the client is (`X-Forwarded-For`), as
   * Express's `trust proxy`: unset or 0 trusts none (a client could otherwise pose as any
   * address), a number trusts that many hops, or the proxies' addresses (e.g. `172.16.0.0/12` or
   * `loopback`). Per-address sign-in limits and lockouts and the activity log use the address it
   * yields; behind an edge proxy with none set, every client shares the proxy's.
   */
  TRUST_PROXY: trustProxy,
  /** How long a graceful shutdown may take before the process exits with status 1. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
});

/** The validated configuration. */
export type Env = Readonly<z.infer<typeof EnvSchema>>;

/** Names of variables whose values must never reach logs or error messages. */
export const secretEnvNames = [
  "DATABASE_PASSWORD",
  "REDIS_PASSWORD",
  "ENCRYPTION_KEY",
  "SESSION_SECRET",
] as const;

/** Thrown by `loadEnv` with one line per problem (variable name and what is wrong, never values). */
export class EnvError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid environment:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "EnvError";
    this.problems = problems;
  }
}

/**
 * Parses and validates a set of variables (normally `process.env`). Reports every problem at
 * once, so an operator fixes a container's configuration in one go.
 * @throws EnvError listing all problems
 */
export function loadEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
  // Checked here rather than in the schema so it is reported alongside every other problem.
  if ((source.NODE_ENV ?? "production") === "production" && source.DATABASE_PASSWORD === "") {
    problems.push("DATABASE_PASSWORD: must not be empty in production");
  }
  if (!result.success || problems.length > 0) throw new EnvError(problems);
  return Object.freeze(result.data);
}

/**
 * `loadEnv(process.env)` for the process entry point: prints all problems to stderr and exits
 * with status 1 instead of throwing, because nothing can run without a valid configuration.
 */
export function loadEnvOrExit(source: Record<string, string | undefined> = process.env): Env {
  try {
    return loadEnv(source);
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

/** True when cookies must carry `Secure`: browsers reach the tenant over HTTPS. */
export function usesHttps(env: Pick<Env, "PUBLIC_URL">): boolean {
  return new URL(env.PUBLIC_URL).protocol === "https:";
}

/** Byte length of strict base64 (standard alphabet, padded), or undefined if it is not base64. */
function decodedBase64Length(value: string): number | undefined {
  if (value.length === 0 || value.length % 4 !== 0) return undefined;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  return Buffer.from(value, "base64").length;
}
