import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SecretBox } from "../secrets/secretBox.js";
import {
  carryTenantConfig,
  configKeyNames,
  configOverrides,
  maskSecret,
  openTenantConfig,
  presentConfig,
  updateStoredConfig,
  validateConfigValue,
} from "./configKeys.js";

const refusal = (key: string, value: string) => {
  try {
    validateConfigValue(key, value);
  } catch (error) {
    return error as { id: string; message: string };
  }
  throw new Error(`${key}=${value} was accepted`);
};

describe("validateConfigValue", () => {
  it("accepts good values and normalises them", () => {
    expect(validateConfigValue("timezone", "America/Sao_Paulo")).toBe("America/Sao_Paulo");
    expect(validateConfigValue("timezone", "UTC")).toBe("UTC");
    expect(validateConfigValue("public-url", "https://acme.atende.com.br")).toBe(
      "https://acme.atende.com.br",
    );
    expect(validateConfigValue("log-level", "debug")).toBe("debug");
    expect(validateConfigValue("app.memory", "1G")).toBe("1g");
    expect(validateConfigValue("db.cpus", "0.5")).toBe("0.5");
    expect(validateConfigValue("fila-ia.api-key", "sk-1234567890")).toBe("sk-1234567890");
  });

  it("refuses an unknown key, listing the valid ones", () => {
    const error = refusal("colour", "blue");
    expect(error.id).toBe("invalid_option");
    expect(error.message).toContain(configKeyNames().join(", "));
    expect(refusal("__proto__", "x").message).toContain("Unknown setting");
  });

  it("says why a value is refused", () => {
    expect(refusal("timezone", "Mars/Olympus").message).toMatch(/IANA time zone/);
    expect(refusal("timezone", "../etc/passwd").message).toMatch(/IANA time zone/);
    expect(refusal("public-url", "ftp://acme.example").message).toMatch(/http/);
    expect(refusal("public-url", "not a url").message).toMatch(/http/);
    expect(refusal("log-level", "loud").message).toMatch(/one of fatal, error/);
    expect(refusal("app.memory", "4m").message).toMatch(/between 32m and 16g/);
    expect(refusal("app.memory", "64g").message).toMatch(/between 32m and 16g/);
    expect(refusal("app.memory", "lots").message).toMatch(/256m or 1g/);
    expect(refusal("redis.cpus", "0").message).toMatch(/between 0.1 and 16/);
  });

  it("never echoes a refused secret", () => {
    const error = refusal("fila-ia.api-key", "short k");
    expect(error.message).not.toContain("short k");
  });
});

describe("maskSecret", () => {
  it("shows only the last four characters of a long secret, nothing of a short one", () => {
    expect(maskSecret("sk-abcdefghijkl1234")).toBe("••••1234");
    expect(maskSecret("12345678")).toBe("••••");
  });
});

describe("stored settings", () => {
  const box = new SecretBox(randomBytes(32));

  it("seals secrets, keeps ordinary values readable, and opens both", () => {
    let raw = updateStoredConfig(box, "acme", null, "timezone", "America/Recife").raw;
    raw = updateStoredConfig(box, "acme", raw, "fila-ia.api-key", "sk-secret-value-9876").raw;
    expect(raw).toContain("America/Recife");
    expect(raw).not.toContain("sk-secret-value-9876");
    const config = openTenantConfig(box, "acme", raw);
    expect(config["fila-ia.api-key"]).toEqual({ value: "sk-secret-value-9876", version: 1 });
    // Bound to the tenant: another tenant's record cannot borrow it.
    expect(() => openTenantConfig(box, "other", raw)).toThrow(/cannot be decrypted/);
    const shown = presentConfig(config);
    expect(shown.find((entry) => entry.key === "fila-ia.api-key")?.value).toBe("••••9876");
    expect(shown.find((entry) => entry.key === "log-level")?.value).toBeNull();
    expect(JSON.stringify(shown)).not.toContain("sk-secret-value-9876");
  });

  it("carries settings into a restored tenant: sealed again for a new name, without the old URL", () => {
    let raw = updateStoredConfig(box, "acme", null, "public-url", "https://acme.example").raw;
    raw = updateStoredConfig(box, "acme", raw, "fila-ia.api-key", "sk-secret-value-9876").raw;
    expect(carryTenantConfig(box, "acme", "acme", raw)).toBe(raw);
    const copy = openTenantConfig(box, "copy", carryTenantConfig(box, "acme", "copy", raw));
    expect(copy["fila-ia.api-key"]?.value).toBe("sk-secret-value-9876");
    expect(copy["public-url"]).toBeUndefined();
    expect(carryTenantConfig(box, "acme", "copy", null)).toBeNull();
  });

  it("bumps the version on a change, and reports setting the same value or unsetting nothing as no change", () => {
    const first = updateStoredConfig(box, "acme", null, "fila-ia.api-key", "sk-aaaaaaaaaaaa");
    const same = updateStoredConfig(box, "acme", first.raw, "fila-ia.api-key", "sk-aaaaaaaaaaaa");
    expect(same.changed).toBe(false);
    const next = updateStoredConfig(box, "acme", first.raw, "fila-ia.api-key", "sk-bbbbbbbbbbbb");
    expect(openTenantConfig(box, "acme", next.raw)["fila-ia.api-key"]?.version).toBe(2);
    expect(updateStoredConfig(box, "acme", next.raw, "timezone", undefined).changed).toBe(false);
    const unset = updateStoredConfig(box, "acme", next.raw, "fila-ia.api-key", undefined);
    expect(unset).toEqual({ raw: null, changed: true });
  });
});

describe("configOverrides", () => {
  it("maps settings to the services they change, hashing secrets by version only", () => {
    const overrides = configOverrides({
      timezone: { value: "America/Recife", version: 1 },
      "fila-ia.api-key": { value: "sk-secret-value-9876", version: 3 },
      "db.memory": { value: "1g", version: 1 },
      "redis.cpus": { value: "0.25", version: 1 },
    });
    expect(overrides.app?.env).toEqual({
      TZ: "America/Recife",
      FILA_IA_API_KEY: "sk-secret-value-9876",
    });
    expect(JSON.stringify(overrides.app?.hash)).not.toContain("sk-secret-value-9876");
    expect(overrides.db).toMatchObject({ env: {}, memory: 1024 ** 3 });
    expect(overrides.redis?.nanoCpus).toBe(250_000_000);
    expect(configOverrides(undefined)).toEqual({});
  });
});
