import { z } from "zod";
import { invalidOption } from "../errors.js";
import type { SecretBox } from "../secrets/secretBox.js";

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

const timezone = z
  .string()
  .trim()
  .refine((value) => {
    if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(value)) return false;
    try {
      new Intl.DateTimeFormat("en", { timeZone: value });
      return true;
    } catch {
      return false;
    }
  }, "must be an IANA time zone name, e.g. America/Sao_Paulo");

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

/** What one setting changes in a service's container. */
type Effect =
  | { role: string; env: string }
  | { role: string; resource: "memory" }
  | { role: string; resource: "cpus" };

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
    schema: timezone,
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
};

export type ConfigKey = keyof typeof CONFIG_KEYS;

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
 * sealed again for the new name, and a copy under another name leaves `public-url` behind
 * (that address belongs to the original).
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
    if (key === "public-url") continue;
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
    const service = overrides[effect.role] ?? { env: {}, hash: {} };
    overrides[effect.role] = service;
    service.hash[key] = definition.secret ? `version ${entry.version}` : entry.value;
    if ("env" in effect) service.env[effect.env] = entry.value;
    else if (effect.resource === "memory") {
      const amount = Number.parseInt(entry.value, 10);
      service.memory = entry.value.endsWith("g") ? amount * 1024 * MB : amount * MB;
    } else service.nanoCpus = Math.round(Number(entry.value) * 1e9);
  }
  return overrides;
}

/** The settings as shown to people: secrets masked. */
export function presentConfig(
  config: TenantConfig,
): Array<{ key: string; value: string | null; secret: boolean; description: string }> {
  return configKeyNames().map((key) => {
    const definition = configKeyDefinition(key);
    const entry = config[key];
    return {
      key,
      value: entry ? (definition.secret ? maskSecret(entry.value) : entry.value) : null,
      secret: definition.secret,
      description: definition.description,
    };
  });
}
