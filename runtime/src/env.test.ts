import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EnvError, loadEnv } from "./env.js";

const validSource = {
  NODE_ENV: "production",
  TENANT_ID: "acme",
  PUBLIC_URL: "https://acme.atende.com.br",
  DATABASE_HOST: "db",
  DATABASE_NAME: "atende",
  DATABASE_USER: "atende",
  DATABASE_PASSWORD: "db-secret-value",
  REDIS_HOST: "redis",
  REDIS_PASSWORD: "redis-secret-value",
  ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  SESSION_SECRET: "s".repeat(40),
};

function problemsOf(source: Record<string, string | undefined>): readonly string[] {
  try {
    loadEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
}

describe("loadEnv", () => {
  it("accepts the variables the control plane sets and fills in the defaults", () => {
    const env = loadEnv(validSource);
    expect(env).toMatchObject({
      NODE_ENV: "production",
      PORT: 3000,
      ROLE: "all",
      LOG_LEVEL: "info",
      DATABASE_PORT: 3306,
      REDIS_PORT: 6379,
      REDIS_PREFIX: "atende",
      SESSION_IDLE_MINUTES: 60,
      SESSION_ABSOLUTE_HOURS: 12,
      SHUTDOWN_TIMEOUT_MS: 10_000,
    });
    expect(Object.isFrozen(env)).toBe(true);
  });

  it("turns numeric strings into numbers", () => {
    const env = loadEnv({
      ...validSource,
      PORT: "8080",
      DATABASE_PORT: "3307",
      SESSION_IDLE_MINUTES: "15",
    });
    expect([env.PORT, env.DATABASE_PORT, env.SESSION_IDLE_MINUTES]).toEqual([8080, 3307, 15]);
  });

  it("lists every missing required variable at once", () => {
    const problems = problemsOf({});
    const named = problems.map((problem) => problem.split(":")[0]);
    expect(named).toEqual(
      expect.arrayContaining([
        "TENANT_ID",
        "PUBLIC_URL",
        "DATABASE_HOST",
        "DATABASE_NAME",
        "DATABASE_USER",
        "DATABASE_PASSWORD",
        "REDIS_HOST",
        "ENCRYPTION_KEY",
        "SESSION_SECRET",
      ]),
    );
    expect(problems).toContain("TENANT_ID: is required");
  });

  it("lists every invalid value at once, saying what is wrong", () => {
    const problems = problemsOf({
      ...validSource,
      NODE_ENV: "staging",
      PORT: "70000",
      ROLE: "cron",
      TENANT_ID: "Acme_Corp",
      PUBLIC_URL: "ftp://acme",
      LOG_LEVEL: "loud",
      REDIS_PREFIX: "a:b",
      ENCRYPTION_KEY: randomBytes(16).toString("base64"),
      SESSION_SECRET: "short",
      SESSION_ABSOLUTE_HOURS: "0",
    });
    const named = problems.map((problem) => problem.split(":")[0]);
    expect(named.sort()).toEqual(
      [
        "NODE_ENV",
        "PORT",
        "ROLE",
        "TENANT_ID",
        "PUBLIC_URL",
        "LOG_LEVEL",
        "REDIS_PREFIX",
        "ENCRYPTION_KEY",
        "SESSION_SECRET",
        "SESSION_ABSOLUTE_HOURS",
      ].sort(),
    );
    expect(problems).toContain(
      "ENCRYPTION_KEY: must be the base64 encoding of exactly 32 bytes (it decodes to 16)",
    );
    expect(problems).toContain("SESSION_SECRET: must be at least 32 characters");
  });

  it("rejects an encryption key that is not base64", () => {
    expect(problemsOf({ ...validSource, ENCRYPTION_KEY: "not base64!".repeat(4) })).toEqual([
      "ENCRYPTION_KEY: must be base64 (of exactly 32 bytes)",
    ]);
  });

  it("requires a database password in production but allows an empty one in development", () => {
    expect(problemsOf({ ...validSource, DATABASE_PASSWORD: "" })).toEqual([
      "DATABASE_PASSWORD: must not be empty in production",
    ]);
    expect(
      loadEnv({ ...validSource, NODE_ENV: "development", DATABASE_PASSWORD: "" }).DATABASE_PASSWORD,
    ).toBe("");
  });

  it("treats an empty REDIS_PASSWORD as no password", () => {
    expect(loadEnv({ ...validSource, REDIS_PASSWORD: "" }).REDIS_PASSWORD).toBeUndefined();
  });

  it("never repeats secret values in its messages", () => {
    const secrets = {
      DATABASE_PASSWORD: "",
      ENCRYPTION_KEY: "c2VjcmV0LWtleQ==",
      SESSION_SECRET: "tiny-secret",
    };
    const message = problemsOf({ ...validSource, ...secrets }).join("\n");
    expect(message).not.toContain("c2VjcmV0LWtleQ==");
    expect(message).not.toContain("tiny-secret");
  });
});

describe("retention settings", () => {
  it("keeps everything when RETENTION_MONTHS is unset or empty, and anonymises by default", () => {
    expect(loadEnv(validSource)).toMatchObject({ RETENTION_MODE: "anonymise" });
    expect(loadEnv(validSource).RETENTION_MONTHS).toBeUndefined();
    expect(loadEnv({ ...validSource, RETENTION_MONTHS: "", RETENTION_MODE: "" })).toMatchObject({
      RETENTION_MODE: "anonymise",
    });
    expect(
      loadEnv({ ...validSource, RETENTION_MONTHS: "24", RETENTION_MODE: "delete" }),
    ).toMatchObject({ RETENTION_MONTHS: 24, RETENTION_MODE: "delete" });
  });

  it("refuses months outside 1–120 or not whole, and unknown modes, saying why", () => {
    for (const months of ["0", "121", "1.5", "doze"]) {
      expect(problemsOf({ ...validSource, RETENTION_MONTHS: months })).toEqual([
        "RETENTION_MONTHS: must be a whole number of months from 1 to 120",
      ]);
    }
    expect(problemsOf({ ...validSource, RETENTION_MODE: "purge" })).toEqual([
      'RETENTION_MODE: must be "delete" or "anonymise"',
    ]);
  });
});

describe("rate limit variables", () => {
  it("default to generous limits, accept 0 to turn one off and refuse negative numbers", () => {
    expect(loadEnv(validSource)).toMatchObject({
      RATE_LIMIT_LOGIN_PER_MINUTE: 60,
      RATE_LIMIT_WEBHOOK_VERIFY_PER_MINUTE: 30,
      RATE_LIMIT_WEBHOOK_REJECTED_PER_MINUTE: 60,
    });
    expect(
      loadEnv({ ...validSource, RATE_LIMIT_LOGIN_PER_MINUTE: "0" }).RATE_LIMIT_LOGIN_PER_MINUTE,
    ).toBe(0);
    expect(
      problemsOf({ ...validSource, RATE_LIMIT_WEBHOOK_VERIFY_PER_MINUTE: "-1" }).map(
        (problem) => problem.split(":")[0],
      ),
    ).toEqual(["RATE_LIMIT_WEBHOOK_VERIFY_PER_MINUTE"]);
  });
});

describe("TRUST_PROXY", () => {
  it("trusts no proxy by default, and takes a hop count or the proxies' addresses", () => {
    expect(loadEnv(validSource).TRUST_PROXY).toBe(0);
    expect(loadEnv({ ...validSource, TRUST_PROXY: "" }).TRUST_PROXY).toBe(0);
    expect(loadEnv({ ...validSource, TRUST_PROXY: "1" }).TRUST_PROXY).toBe(1);
    expect(
      loadEnv({ ...validSource, TRUST_PROXY: "loopback, 172.16.0.0/12,fd00::/8, 10.1.2.3" })
        .TRUST_PROXY,
    ).toEqual(["loopback", "172.16.0.0/12", "fd00::/8", "10.1.2.3"]);
  });

  it("refuses true, hop counts over 10, bad ranges and names, saying what it takes", () => {
    for (const value of [
      "true",
      "11",
      "10.0.0.0/33",
      "fd00::/129",
      "proxy.local",
      "10.0.0.1,",
      "1.2.3.4/8/9",
    ]) {
      const problems = problemsOf({ ...validSource, TRUST_PROXY: value });
      expect(problems, value).toHaveLength(1);
      expect(problems[0]).toMatch(/^TRUST_PROXY: must be a number of proxy hops .* never true/);
    }
  });
});
