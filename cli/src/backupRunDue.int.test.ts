import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { openControlPlane } from "@atende/control-plane";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT_CODES } from "./errors.js";
import { atende } from "./test/e2e.js";

// `atende backup run-due` as cron runs it, with an unreachable Docker engine: every due backup
// fails, and the command must say so and exit non-zero.
let home: string;
let env: Record<string, string>;

beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), "atende-run-due-"));
  env = { ATENDE_HOME: home, DOCKER_HOST: "unix:///nonexistent.sock", ATENDE_LOG_LEVEL: "silent" };
  const cp = await openControlPlane({ env });
  try {
    await cp.tenants.insert({
      name: "s3t-due",
      status: "ready",
      templateId: "default",
      templateVersion: 1,
      appVersion: "0.1.0",
      images: { app: "atende/runtime:0.1.0" },
      publishHost: "127.0.0.1",
      hostPort: 8999,
      url: "http://127.0.0.1:8999",
      adminEmail: "ana@s3t-due.example",
      sealedSecrets: "v1:sealed",
      lastOperationId: null,
    });
  } finally {
    await cp.close();
  }
});

afterAll(async () => {
  if (home) await rm(home, { recursive: true, force: true });
});

describe("atende backup run-due", () => {
  it("refuses to run without a schedule, saying which setting to set", async () => {
    const result = await atende(["backup", "run-due"], env);
    expect(result.code).toBe(EXIT_CODES.invalidInput);
    expect(result.stderr).toContain("ATENDE_BACKUP_SCHEDULE");
  });

  it("exits non-zero and names each tenant whose scheduled backup failed", async () => {
    const result = await atende(["backup", "run-due"], {
      ...env,
      ATENDE_BACKUP_SCHEDULE: "00:00",
    });
    expect(result.code).toBe(EXIT_CODES.unhealthy);
    expect(result.stdout).toContain("✖ s3t-due:");
    expect(result.stderr).toContain(
      "1 of 1 scheduled backup(s) failed: s3t-due (docker_unavailable)",
    );

    const json = await atende(["backup", "run-due", "--json"], {
      ...env,
      ATENDE_BACKUP_SCHEDULE: "00:00",
    });
    expect(json.code).toBe(EXIT_CODES.unhealthy);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      due: ["s3t-due"],
      failed: 1,
      results: [{ tenant: "s3t-due", status: "failed", error: { id: "docker_unavailable" } }],
    });
  });
});
