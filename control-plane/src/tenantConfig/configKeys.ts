import { isIP } from "node:net";
import { domainToASCII } from "node:url";
import { z } from "zod";
import { invalidOption } from "../errors.js";
import type { SecretBox } from "../secrets/secretBox.js";
import { ianaTimeZone } from "../validation/timeZone.js";

/**
 * The closed set of per-tenant settings `atende tenant config` accepts, each with its own
 * validation and what it changes in the tenant's containers. Pure: no Docker, no store.
 */

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
const MB = 1024 ** 2;
const MIN_MEMORY_MB = 32;
const MAX_MEMORY_MB = 16 * 1024;

const httpUrl = z
  .string()
  .trim()
  .max(2048, "must be at most 2048 characters")
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
    } catch {
      return false;
    }
  }, "must be an http:// or https:// URL, e.g. https://acme.atende.com.br");

const memory = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^\d{1,6}[mg]$/, "must be a size such as 256m or 1g")
  .refine(
    (value) => {
      const megabytes = Number.parseInt(value, 10) * (value.endsWith("g") ? 1024 : 1);
      return megabytes >= MIN_MEMORY_MB && megabytes <= MAX_MEMORY_MB;
    },
    `must be between ${MIN_MEMORY_MB}m and ${MAX_MEMORY_MB / 1024}g`,
  );

const cpus = z
  .string()
  .trim()
  .regex(/^\d{1,2}(\.\d{1,2})?$/, "must be a number of CPUs such as 0.5 or 2")
  .refine((value) => {
    const amount = Number(value);
    return amount >= 0.1 && amount <= 16;
  }, "must be between 0.1 and 16");

const apiKey = z
  .string()
  .regex(/^[\x21-\x7e]{8,512}$/, "must be 8–512 printable characters without spaces");

/**
 * The tenant's own domain: a hostname only (no scheme, port or path), lower-case, an IDN turned
 * into punycode, never an IP address.
 */
const domain = z
  .string()
  .trim()
  .max(253, "must be at most 253 characters")
  .transform((value, ctx) => {
    const bare = value.replace(/\.$/, "");
    if (/[/:?#@\s\\]/.test(bare) || isIP(bare) !== 0 || /^\[.*\]$/.test(bare)) {
      ctx.addIssue({
        code: "custom",
        message: "must be a domain name only, without scheme, port or path (e.g. chat.acme.com.br)",
      });
      return z.NEVER;
    }
    const ascii = domainToASCII(bare.toLowerCase());
    const labels = ascii.split(".");
    const valid =
      ascii !== "" &&
      ascii.length <= 253 &&
      labels.length >= 2 &&
      labels.every((label) => /^(?!-)[a-z0-9-]{1,63}(?<!-)$/.test(label)) &&
      !/^\d+$/.test(labels.at(-1) ?? "");
    if (!valid) {
      ctx.addIssue({
        code: "custom",
        message: "must be a domain name such as chat.acme.com.br (not an IP address)",
      });
      return z.NEVER;
    }
    return ascii;
  });

/** A whole number in [min, max], normalised (no leading zeros). */
const wholeNumber = (min: number, max: number, unit: string) => {
  const message = `must be a whole number of ${unit} between ${min} and ${max}`;
  return z
    .string()
    .trim()
    .regex(/^\d{1,6}$/, message)
    .refine((value) => Number(value) >= min && Number(value) <= max, message)
    .transform((value) => String(Number(value)));
};

const retentionMonths = wholeNumber(1, 120, "months");

const RETENTION_MODES = ["delete", "anonymise"] as const;

// The runtime's own rule for CONSENT_TEXT_VERSION (runtime/src/env.ts): refused here so a bad
// value never re-creates a container that would then fail to start.
const consentTextVersion = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9._-]{1,32}$/,
    "must be 1–32 letters, digits, '.', '-' or '_' (e.g. 2026-12-v1)",
  );

// The runtime's own rule for TRUST_PROXY (runtime/src/env.ts): a hop count, or the proxies'
// addresses (IPs, CIDR ranges, Express's names for private ranges). Normalised to no spaces.
const proxyRangeNames = new Set(["loopback", "linklocal", "uniquelocal"]);
const trustedProxies = z
  .string()
  .transform((value) => value.split(",").map((entry) => entry.trim()))
  .refine(
    (entries) =>
      (entries.length === 1 && /^\d{1,2}$/.test(entries[0] ?? "") && Number(entries[0]) <= 10) ||
      entries.every((entry) => {
        if (proxyRangeNames.has(entry)) return true;
        const [address = "", bits, extra] = entry.split("/");
        const version = isIP(address);
        const most = version === 4 ? 32 : 128;
        return (
          version !== 0 &&
          extra === undefined &&
          (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= most))
        );
      }),
    "must be a number of proxy hops (0–10) or the proxies' addresses, comma-separated (IPs, CIDR ranges, loopback, linklocal, uniquelocal); never true",
  )
  .transform((entries) => entries.join(","));

// The same rules as the runtime's `PUT /api/settings/whatsapp` (runtime/contracts/api.ts), which
// validates again when the setting is written into the tenant's database.
const numericId = z
  .string()
  .trim()
  .regex(/^\d{1,32}$/, "must be digits (at most 32)");
const graphApiBaseUrl = httpUrl
  .refine((value) => value.length <= 255, "must be at most 255 characters")
  .transform((value) => value.replace(/\/+$/, ""));
const graphApiVersion = z
  .string()
  .trim()
  .regex(/^v\d{1,3}\.\d{1,2}$/, "must look like v23.0");
const whatsappSecret = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(1024, "must be at most 1024 characters")
  .regex(/^\S+$/, "must not contain spaces");

/** The runtime's names for the WhatsApp settings it keeps in the tenant's database. */
export const WHATSAPP_FIELDS = [
  "phoneNumberId",
  "wabaId",
  "graphApiBaseUrl",
  "graphApiVersion",
  "accessToken",
  "appSecret",
  "verifyToken",
] as const;
export type WhatsappField = (typeof WHATSAPP_FIELDS)[number];

/**
 * What one setting changes: an env variable or a resource limit of a service's container (the
 * container is re-created), PUBLIC_URL through the domain, or a setting the running runtime keeps
 * in the tenant's database (written with `docker exec`, no restart).
 */
type Effect =
  | { role: string; env: string }
  | { role: string; resource: "memory" }
  | { role: string; resource: "cpus" }
  | { role: "app"; domain: true }
  | { runtime: "whatsapp"; field: WhatsappField };

interface KeyDefinition {
  description: string;
  schema: z.ZodType<string, string>;
  /** Sealed with the master key, never printed in clear, hashed by version rather than value. */
  secret: boolean;
  effect: Effect;
}

const resourceKeys = (role: string, what: string): Record<string, KeyDefinition> => ({
  [`${role}.memory`]: {
    description: `memory limit of the ${what} container (e.g. 256m, 1g)`,
    schema: memory,
    secret: false,
    effect: { role, resource: "memory" },
  },
  [`${role}.cpus`]: {
    description: `CPU limit of the ${what} container (e.g. 0.5, 2)`,
    schema: cpus,
    secret: false,
    effect: { role, resource: "cpus" },
  },
});

export const CONFIG_KEYS: Record<string, KeyDefinition> = {
  timezone: {
    description: "the app's time zone (IANA name, e.g. America/Sao_Paulo)",
    schema: ianaTimeZone,
    secret: false,
    effect: { role: "app", env: "TZ" },
  },
  "public-url": {
    description: "where browsers reach the inbox (http/https URL)",
    schema: httpUrl,
    secret: false,
    effect: { role: "app", env: "PUBLIC_URL" },
  },
  "log-level": {
    description: `the app's log level (${LOG_LEVELS.join(", ")})`,
    schema: z.enum(LOG_LEVELS, `must be one of ${LOG_LEVELS.join(", ")}`),
    secret: false,
    effect: { role: "app", env: "LOG_LEVEL" },
  },
  ...resourceKeys("app", "app"),
  ...resourceKeys("db", "database"),
  ...resourceKeys("redis", "Redis"),
  "fila-ia.api-key": {
    description: "the FILA-IA API key (secret: stored encrypted, never shown)",
    schema: apiKey,
    secret: true,
    effect: { role: "app", env: "FILA_IA_API_KEY" },
  },
  "fila-ia.base-url": {
    description: "the FILA-IA API base URL (http/https URL)",
    schema: httpUrl,
    secret: false,
    effect: { role: "app", env: "FILA_IA_BASE_URL" },
  },
  domain: {
    description:
      "the tenant's own domain (e.g. chat.acme.com.br); PUBLIC_URL becomes https://<domain> unless public-url is set",
    schema: domain,
    secret: false,
    effect: { role: "app", domain: true },
  },
  "retention.months": {
    description: "months to keep closed conversations (1–120; unset: keep forever)",
    schema: retentionMonths,
    secret: false,
    effect: { role: "app", env: "RETENTION_MONTHS" },
  },
  "retention.mode": {
    description: `what retention does with old conversations (${RETENTION_MODES.join(", ")}; default anonymise)`,
    schema: z.enum(RETENTION_MODES, `must be one of ${RETENTION_MODES.join(", ")}`),
    secret: false,
    effect: { role: "app", env: "RETENTION_MODE" },
  },
  "session.idle-minutes": {
    description: "minutes without activity after which an inbox session ends (5–1440; default 60)",
    schema: wholeNumber(5, 1440, "minutes"),
    secret: false,
    effect: { role: "app", env: "SESSION_IDLE_MINUTES" },
  },
  "session.absolute-hours": {
    description: "hours after sign-in when a session ends however active (1–720; default 12)",
    schema: wholeNumber(1, 720, "hours"),
    secret: false,
    effect: { role: "app", env: "SESSION_ABSOLUTE_HOURS" },
  },
  "login.max-failures": {
    description: "failed sign-ins of one account before it is locked (3–50; default 5)",
    schema: wholeNumber(3, 50, "attempts"),
    secret: false,
    effect: { role: "app", env: "LOGIN_MAX_FAILURES_PER_ACCOUNT" },
  },
  "login.lockout-minutes": {
    description: "how long a sign-in lockout lasts (1–1440; default 15)",
    schema: wholeNumber(1, 1440, "minutes"),
    secret: false,
    effect: { role: "app", env: "LOGIN_LOCKOUT_MINUTES" },
  },
  "privacy.mask-numbers": {
    description:
      "mask CPF, CNPJ and card numbers in customers' messages (true, false; default true)",
    schema: z.enum(["true", "false"], "must be true or false"),
    secret: false,
    effect: { role: "app", env: "MASK_SENSITIVE_NUMBERS" },
  },
  "consent.ask": {
    description:
      "ask each new contact for consent (LGPD) on their first message (true, false; default true)",
    schema: z.enum(["true", "false"], "must be true or false"),
    secret: false,
    effect: { role: "app", env: "CONSENT_PROMPT" },
  },
  "consent.text-version": {
    description:
      "version recorded with every consent event; change it with the text (e.g. 2026-12-v1)",
    schema: consentTextVersion,
    secret: false,
    effect: { role: "app", env: "CONSENT_TEXT_VERSION" },
  },
  "proxy.trusted": {
    description:
      "the reverse proxies allowed to name the client's address (X-Forwarded-For): a hop count or their addresses, e.g. 1 or 172.16.0.0/12 (default 0: none)",
    schema: trustedProxies,
    secret: false,
    effect: { role: "app", env: "TRUST_PROXY" },
  },
  "audit.retention-days": {
    description: "days the activity log is kept (30–3650; default 730)",
    schema: wholeNumber(30, 3650, "days"),
    secret: false,
    effect: { role: "app", env: "AUDIT_RETENTION_DAYS" },
  },
  "whatsapp.phone-number-id": {
    description: "the WhatsApp Business phone number id (digits; kept in the tenant's database)",
    schema: numericId,
    secret: false,
    effect: { runtime: "whatsapp", field: "phoneNumberId" },
  },
  "whatsapp.waba-id": {
    description: "the WhatsApp Business Account id (digits; kept in the tenant's database)",
    schema: numericId,
    secret: false,
    effect: { runtime: "whatsapp", field: "wabaId" },
  },
  "whatsapp.graph-api-base-url": {
    description: "the Graph API base URL (default https://graph.facebook.com)",
    schema: graphApiBaseUrl,
    secret: false,
    effect: { runtime: "whatsapp", field: "graphApiBaseUrl" },
  },
  "whatsapp.graph-api-version": {
    description: "the Graph API version (e.g. v23.0; default v23.0)",
    schema: graphApiVersion,
    secret: false,
    effect: { runtime: "whatsapp", field: "graphApiVersion" },
  },
  "whatsapp.access-token": {
    description: "the WhatsApp Cloud API access token (secret: encrypted in the tenant's database)",
    schema: whatsappSecret,
    secret: true,
    effect: { runtime: "whatsapp", field: "accessToken" },
  },
  "whatsapp.app-secret": {
    description:
      "the Meta app secret that signs webhooks (secret: encrypted in the tenant's database)",
    schema: whatsappSecret,
    secret: true,
    effect: { runtime: "whatsapp", field: "appSecret" },
  },
  "whatsapp.verify-token": {
    description: "the webhook verify token (secret: encrypted in the tenant's database)",
    schema: whatsappSecret,
    secret: true,
    effect: { runtime: "whatsapp", field: "verifyToken" },
  },
};

/** The runtime field a key writes into the tenant's database, or undefined for registry keys. */
export function runtimeFieldOf(key: string): WhatsappField | undefined {
  const effect = configKeyDefinition(key).effect;
  return "runtime" in effect ? effect.field : undefined;
}

/** Keys whose value lives in the tenant's own database (not in the registry). */
export const runtimeConfigKeys = (): string[] =>
  configKeyNames().filter((key) => runtimeFieldOf(key) !== undefined);

/** The names of every setting, in a stable order. */
export const configKeyNames = (): string[] => Object.keys(CONFIG_KEYS);

/** The definition of `key`, or an `invalid_option` error listing the valid keys. */
export function configKeyDefinition(key: string): KeyDefinition {
  const definition = Object.hasOwn(CONFIG_KEYS, key) ? CONFIG_KEYS[key] : undefined;
  if (!definition) {
    throw invalidOption(
      `Unknown setting "${key}". Valid settings: ${configKeyNames().join(", ")}.`,
      "See them with their current values: `atende tenant config <name> get`.",
    );
  }
  return definition;
}

/** Validates and normalises a value for `key`; the error says why (never echoing a secret). */
export function validateConfigValue(key: string, value: string): string {
  const definition = configKeyDefinition(key);
  const parsed = definition.schema.safeParse(value);
  if (!parsed.success) {
    const reason = parsed.error.issues[0]?.message ?? "is not valid";
    throw invalidOption(
      definition.secret
        ? `Invalid value for ${key}: it ${reason}.`
        : `Invalid value "${value}" for ${key}: it ${reason}.`,
      `${key} is ${definition.description}.`,
    );
  }
  return parsed.data;
}

/** `••••1234`: enough to tell two keys apart, never enough to use one. */
export function maskSecret(value: string): string {
  return value.length >= 12 ? `••••${value.slice(-4)}` : "••••";
}

/** One stored setting: plain values for ordinary keys, sealed ones for secrets. */
interface StoredEntry {
  value?: string;
  sealed?: string;
  /** Bumped on every change: what the spec hash sees for a secret (never its value). */
  version: number;
}
type StoredConfig = Record<string, StoredEntry>;

/** Settings with secrets opened: what the spec builder takes. */
export type TenantConfig = Record<string, { value: string; version: number }>;

const sealContext = (tenant: string, key: string) => `tenant-config:${tenant}:${key}`;

function parseStored(raw: string | null | undefined): StoredConfig {
  if (!raw) return {};
  return JSON.parse(raw) as StoredConfig;
}

/** Opens the registry's `config` column (secrets decrypted with the master key). */
export function openTenantConfig(
  box: SecretBox,
  tenant: string,
  raw: string | null | undefined,
): TenantConfig {
  const config: TenantConfig = {};
  for (const [key, entry] of Object.entries(parseStored(raw))) {
    if (!Object.hasOwn(CONFIG_KEYS, key)) continue;
    const value =
      entry.sealed !== undefined ? box.open(entry.sealed, sealContext(tenant, key)) : entry.value;
    if (value !== undefined) config[key] = { value, version: entry.version };
  }
  return config;
}

/**
 * The `config` column after setting (`value`) or unsetting (`undefined`) one key; `changed` is
 * false when the stored value already was that.
 */
export function updateStoredConfig(
  box: SecretBox,
  tenant: string,
  raw: string | null | undefined,
  key: string,
  value: string | undefined,
): { raw: string | null; changed: boolean } {
  const definition = configKeyDefinition(key);
  if ("runtime" in definition.effect)
    throw new Error(`${key} is kept in the tenant's database, not in the registry`);
  const stored = parseStored(raw);
  const current = openTenantConfig(box, tenant, raw)[key];
  if (value === undefined) {
    if (!(key in stored)) return { raw: raw ?? null, changed: false };
    delete stored[key];
  } else {
    if (current?.value === value) return { raw: raw ?? null, changed: false };
    const version = (stored[key]?.version ?? 0) + 1;
    stored[key] = definition.secret
      ? { sealed: box.seal(value, sealContext(tenant, key)), version }
      : { value, version };
  }
  return { raw: Object.keys(stored).length === 0 ? null : JSON.stringify(stored), changed: true };
}

/**
 * The `config` column of tenant `from` for tenant `to` (a restore from a backup): secrets are
 * sealed again for the new name, and a copy under another name leaves `public-url` and `domain`
 * behind (that address belongs to the original).
 */
export function carryTenantConfig(
  box: SecretBox,
  from: string,
  to: string,
  raw: string | null | undefined,
): string | null {
  if (!raw) return null;
  if (from === to) return raw;
  let carried: string | null = null;
  for (const [key, entry] of Object.entries(openTenantConfig(box, from, raw))) {
    if (key === "public-url" || key === "domain") continue;
    carried = updateStoredConfig(box, to, carried, key, entry.value).raw;
  }
  return carried;
}

/** What a tenant's settings change in one service's container. */
export interface ServiceOverrides {
  env: Record<string, string>;
  memory?: number;
  nanoCpus?: number;
  /** Goes into the spec hash: values of ordinary keys, versions of secret ones. */
  hash: Record<string, string>;
}

/** The per-service overrides of a tenant's settings (roles without any are absent). */
export function configOverrides(
  config: TenantConfig | undefined,
): Record<string, ServiceOverrides> {
  const overrides: Record<string, ServiceOverrides> = {};
  for (const key of configKeyNames()) {
    const entry = config?.[key];
    const definition = CONFIG_KEYS[key];
    if (!entry || !definition) continue;
    const { effect } = definition;
    if ("runtime" in effect) continue;
    const service = overrides[effect.role] ?? { env: {}, hash: {} };
    overrides[effect.role] = service;
    service.hash[key] = definition.secret ? `version ${entry.version}` : entry.value;
    if ("env" in effect) service.env[effect.env] = entry.value;
    else if ("domain" in effect) {
      // An explicit public-url wins: the domain may be served through a proxy path or port.
      if (!config?.["public-url"]) service.env.PUBLIC_URL = `https://${entry.value}`;
    } else if (effect.resource === "memory") {
      const amount = Number.parseInt(entry.value, 10);
      service.memory = entry.value.endsWith("g") ? amount * 1024 * MB : amount * MB;
    } else service.nanoCpus = Math.round(Number(entry.value) * 1e9);
  }
  return overrides;
}

/** The tenant's own domain from the registry's `config` column (for the edge proxy). */
export function domainOf(raw: string | null | undefined): string | undefined {
  return parseStored(raw).domain?.value;
}

/**
 * The settings as shown to people: secrets masked. `runtime` holds the values read from the
 * tenant's database (already masked by the runtime), or undefined when they could not be read.
 */
export function presentConfig(
  config: TenantConfig,
  runtime?: Partial<Record<WhatsappField, string | null>>,
): Array<{
  key: string;
  value: string | null;
  secret: boolean;
  description: string;
  storedIn: "registry" | "tenant";
}> {
  return configKeyNames().map((key) => {
    const definition = configKeyDefinition(key);
    const field = runtimeFieldOf(key);
    const entry = config[key];
    const value =
      field !== undefined
        ? (runtime?.[field] ?? null)
        : entry
          ? definition.secret
            ? maskSecret(entry.value)
            : entry.value
          : null;
    return {
      key,
      value,
      secret: definition.secret,
      description: definition.description,
      storedIn: field === undefined ? "registry" : "tenant",
    };
  });
}
