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

describe("domain", () => {
  it("accepts a hostname, lower-cased, with an IDN turned into punycode", () => {
    expect(validateConfigValue("domain", "Chat.Acme.com.br")).toBe("chat.acme.com.br");
    expect(validateConfigValue("domain", "Atende.München.de")).toBe("atende.xn--mnchen-3ya.de");
    expect(validateConfigValue("domain", "acme.example.")).toBe("acme.example");
  });

  it("refuses schemes, ports, paths, IP addresses and malformed names", () => {
    for (const bad of [
      "https://acme.example",
      "acme.example:8443",
      "acme.example/inbox",
      "192.168.0.10",
      "::1",
      "[::1]",
      "localhost",
      "-acme.example",
      "acme..example",
      "acme.123",
      `${"a".repeat(64)}.example`,
      "ac me.example",
    ])
      expect(refusal("domain", bad).message, bad).toContain("for domain: it must be");
  });

  it("sets PUBLIC_URL to https://<domain> unless public-url is set explicitly", () => {
    const domain = { domain: { value: "chat.acme.example", version: 1 } };
    expect(configOverrides(domain).app?.env).toEqual({ PUBLIC_URL: "https://chat.acme.example" });
    const both = configOverrides({
      ...domain,
      "public-url": { value: "https://acme.example:8443/inbox", version: 1 },
    });
    expect(both.app?.env).toEqual({ PUBLIC_URL: "https://acme.example:8443/inbox" });
  });

  it("stays with the original when a backup is restored as a copy", () => {
    const box = new SecretBox(randomBytes(32));
    const raw = updateStoredConfig(box, "acme", null, "domain", "chat.acme.example").raw;
    expect(openTenantConfig(box, "copy", carryTenantConfig(box, "acme", "copy", raw))).toEqual({});
  });
});

describe("retention", () => {
  it("passes months (1–120) and mode to the app as RETENTION_MONTHS and RETENTION_MODE", () => {
    expect(validateConfigValue("retention.months", "024")).toBe("24");
    expect(refusal("retention.months", "0").message).toMatch(/between 1 and 120/);
    expect(refusal("retention.months", "121").message).toMatch(/between 1 and 120/);
    expect(refusal("retention.months", "1.5").message).toMatch(/between 1 and 120/);
    expect(refusal("retention.mode", "shred").message).toMatch(/one of delete, anonymise/);
    expect(
      configOverrides({
        "retention.months": { value: "24", version: 1 },
        "retention.mode": { value: "delete", version: 1 },
      }).app?.env,
    ).toEqual({ RETENTION_MONTHS: "24", RETENTION_MODE: "delete" });
  });
});

describe("sign-in and audit policy", () => {
  it("passes session, lockout and audit limits to the app, refusing values out of range", () => {
    expect(validateConfigValue("session.idle-minutes", "30")).toBe("30");
    expect(refusal("session.idle-minutes", "2").message).toMatch(/between 5 and 1440/);
    expect(refusal("login.max-failures", "1000").message).toMatch(/between 3 and 50/);
    expect(refusal("audit.retention-days", "7").message).toMatch(/between 30 and 3650/);
    expect(refusal("session.absolute-hours", "-1").message).toMatch(/whole number of hours/);
    expect(
      configOverrides({
        "session.idle-minutes": { value: "30", version: 1 },
        "session.absolute-hours": { value: "8", version: 1 },
        "login.max-failures": { value: "10", version: 1 },
        "login.lockout-minutes": { value: "60", version: 1 },
        "audit.retention-days": { value: "365", version: 1 },
        "privacy.mask-numbers": { value: "false", version: 1 },
      }).app?.env,
    ).toEqual({
      SESSION_IDLE_MINUTES: "30",
      SESSION_ABSOLUTE_HOURS: "8",
      LOGIN_MAX_FAILURES_PER_ACCOUNT: "10",
      LOGIN_LOCKOUT_MINUTES: "60",
      AUDIT_RETENTION_DAYS: "365",
      MASK_SENSITIVE_NUMBERS: "false",
    });
  });
});

describe("consent", () => {
  it("passes consent.ask and consent.text-version to the app as CONSENT_PROMPT and CONSENT_TEXT_VERSION", () => {
    expect(validateConfigValue("consent.ask", "false")).toBe("false");
    expect(validateConfigValue("consent.text-version", " 2027-03-v2 ")).toBe("2027-03-v2");
    expect(
      configOverrides({
        "consent.ask": { value: "false", version: 1 },
        "consent.text-version": { value: "2027-03-v2", version: 1 },
      }).app?.env,
    ).toEqual({ CONSENT_PROMPT: "false", CONSENT_TEXT_VERSION: "2027-03-v2" });
  });

  it("refuses what the runtime would refuse at start", () => {
    expect(refusal("consent.ask", "yes").message).toMatch(/true or false/);
    expect(refusal("consent.ask", "TRUE").message).toMatch(/true or false/);
    for (const bad of ["", "v 2", "2026/12", "<script>", "x".repeat(33), "versão-1"])
      expect(refusal("consent.text-version", bad).message, bad).toMatch(/1–32 letters/);
  });
});

describe("trusted proxies", () => {
  it("passes proxy.trusted to the app as TRUST_PROXY, without spaces", () => {
    expect(validateConfigValue("proxy.trusted", " 1 ")).toBe("1");
    expect(validateConfigValue("proxy.trusted", "loopback, 172.16.0.0/12 ,fd00::/8")).toBe(
      "loopback,172.16.0.0/12,fd00::/8",
    );
    expect(
      configOverrides({ "proxy.trusted": { value: "10.0.0.2", version: 1 } }).app?.env,
    ).toEqual({ TRUST_PROXY: "10.0.0.2" });
  });

  it("refuses what the runtime would refuse at start, true above all", () => {
    for (const bad of ["true", "", "11", "10.0.0.0/33", "proxy.local", "10.0.0.1,", "1,2"])
      expect(refusal("proxy.trusted", bad).message, bad).toMatch(/never true/);
  });
});

describe("WhatsApp settings", () => {
  it("validates them like the runtime's API, never echoing a secret", () => {
    expect(validateConfigValue("whatsapp.phone-number-id", " 1234567890 ")).toBe("1234567890");
    expect(validateConfigValue("whatsapp.graph-api-base-url", "http://127.0.0.1:9/")).toBe(
      "http://127.0.0.1:9",
    );
    expect(refusal("whatsapp.waba-id", "12ab").message).toMatch(/digits/);
    expect(refusal("whatsapp.graph-api-version", "23").message).toMatch(/v23\.0/);
    const secret = refusal("whatsapp.access-token", "EAAG token with spaces");
    expect(secret.message).not.toContain("EAAG");
  });

  it("never reach the registry or a container's environment", () => {
    const box = new SecretBox(randomBytes(32));
    expect(() =>
      updateStoredConfig(box, "acme", null, "whatsapp.access-token", "EAAG0123456789"),
    ).toThrow(/tenant's database/);
    expect(
      configOverrides({ "whatsapp.access-token": { value: "EAAG0123456789", version: 1 } }),
    ).toEqual({});
    const shown = presentConfig({}, { accessToken: "••••6789", phoneNumberId: "123" });
    expect(shown.find((entry) => entry.key === "whatsapp.access-token")).toMatchObject({
      value: "••••6789",
      secret: true,
      storedIn: "tenant",
    });
    expect(shown.find((entry) => entry.key === "timezone")?.storedIn).toBe("registry");
  });
});
