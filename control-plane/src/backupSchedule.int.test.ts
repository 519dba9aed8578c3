import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDueBackups, startBackupScheduler } from "./commands/backupScheduler.js";
import type { TenantPayload } from "./contracts/api.js";
import { serveControlPlane } from "./serve.js";
import { startTestApi, type TestApi } from "./test/apiSupport.js";

// The schedule and the loud failures against a real API server and registry; Docker is
// unreachable, so every backup the schedule starts fails — which is what this file is about.
let api: TestApi;
let cookie: string;
const logLines: Array<Record<string, unknown>> = [];
const hours = (count: number) => count * 3_600_000;
const now = Date.now();

async function tenant(name: string, createdHoursAgo: number): Promise<void> {
  await api.cp.tenants.insert({
    name,
    status: "ready",
    templateId: "default",
    templateVersion: 1,
    appVersion: "0.1.0",
    images: { app: "atende/runtime:0.1.0" },
    publishHost: "127.0.0.1",
    hostPort: 8900 + Math.floor(Math.random() * 99),
    url: `http://127.0.0.1/${name}`,
    adminEmail: `ana@${name}.example`,
    sealedSecrets: "v1:sealed",
    lastOperationId: null,
  });
  await api.cp.store
    .db("tenants")
    .where({ name })
    .update({ created_at: now - hours(createdHoursAgo) });
}

async function backup(
  tenantName: string,
  id: string,
  hoursAgo: number,
  extra: Record<string, unknown> = {},
): Promise<void> {
  await api.cp.store.db("backups").insert({
    id,
    tenant: tenantName,
    kind: "scheduled",
    status: "succeeded",
    path: "/nowhere",
    created_at: now - hours(hoursAgo),
    stored_bytes: 1000,
    ...extra,
  });
}

const alertsOf = async (name: string) => {
  const answer = await api.request("GET", "/api/tenants", { cookie });
  expect(answer.status).toBe(200);
  return (answer.body.data as TenantPayload[]).find((tenant) => tenant.name === name)?.backupAlerts;
};

beforeAll(async () => {
  api = await startTestApi({
    env: { ATENDE_BACKUP_SCHEDULE: "03:00", ATENDE_BACKUP_TIMEZONE: "UTC" },
  });
  api.cp.logger = pino(
    { level: "info" },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(JSON.parse(chunk.toString("utf8")) as Record<string, unknown>);
        done();
      },
    }),
  );
  cookie = await api.signIn("viewer");
  await tenant("s3t-fresh", 24 * 10);
  await backup("s3t-fresh", "fresh-1", 2, {
    remote_location: "s3://b/s3t-fresh/fresh-1/",
    remote_status: "uploaded",
    remote_at: now,
  });
  await tenant("s3t-stale", 24 * 10);
  await backup("s3t-stale", "stale-1", 30);
  await tenant("s3t-copyfail", 24 * 10);
  await backup("s3t-copyfail", "copyfail-1", 1, {
    remote_location: "s3://b/s3t-copyfail/copyfail-1/",
    remote_status: "failed",
    remote_error: "InvalidAccessKeyId (HTTP 403): no such key",
    remote_at: now,
  });
  await tenant("s3t-new", 1);
});

afterAll(async () => {
  await api?.dispose();
});

describe("the backup schedule and its alerts", () => {
  it("shows no alert for a tenant backed up and copied off-site today", async () => {
    expect(await alertsOf("s3t-fresh")).toEqual([]);
    expect(await alertsOf("s3t-new")).toEqual([]);
  });

  it("shows an overdue alert for a scheduled tenant without a good backup in 26 hours", async () => {
    expect(await alertsOf("s3t-stale")).toEqual([
      {
        id: "backup_overdue",
        backupId: null,
        reason: null,
        since: new Date(now - hours(30)).toISOString(),
      },
    ]);
  });

  it("shows a failed off-site copy with its reason", async () => {
    expect(await alertsOf("s3t-copyfail")).toEqual([
      {
        id: "offsite_failed",
        backupId: "copyfail-1",
        reason: "InvalidAccessKeyId (HTTP 403): no such key",
        since: new Date(now - hours(1)).toISOString(),
      },
    ]);
    const backups = await api.request("GET", "/api/tenants/s3t-copyfail/backups", { cookie });
    expect((backups.body.data as Array<{ offsite: unknown }>)[0]?.offsite).toEqual({
      location: "s3://b/s3t-copyfail/copyfail-1/",
      state: "failed",
      error: "InvalidAccessKeyId (HTTP 403): no such key",
    });
  });

  it("backs up only the due tenants, and reports and logs each failure as an error", async () => {
    // 03:10 UTC tomorrow: every tenant's last backup is older than that day's 03:00.
    const at = new Date(now + hours(24));
    at.setUTCHours(3, 10, 0, 0);
    const run = await runDueBackups(api.cp, { now: () => at });
    expect(run.due).toEqual(["s3t-copyfail", "s3t-fresh", "s3t-new", "s3t-stale"]);
    expect(run.failed).toBe(4);
    expect(run.results.map((result) => [result.tenant, result.status, result.error?.id])).toEqual(
      run.due.map((name) => [name, "failed", "docker_unavailable"]),
    );
    const errors = logLines.filter(
      (line) => line.level === 50 && line.msg === "scheduled backup failed",
    );
    expect(errors.map((line) => line.tenant)).toEqual(run.due);
  });

  it("runs from the scheduler loop, without retrying a failure at every tick, and stops", async () => {
    const at = new Date(now + hours(48));
    at.setUTCHours(3, 10, 0, 0);
    const before = logLines.length;
    const scheduler = startBackupScheduler(api.cp, {
      intervalMs: 50,
      now: () => at,
      retryAfterMs: hours(1),
    });
    expect(scheduler).toBeDefined();
    await expect
      .poll(
        () =>
          logLines.slice(before).filter((line) => line.msg === "scheduled backup failed").length,
      )
      .toBe(4);
    // Many ticks later: still one failure per tenant (the next try waits an hour).
    await new Promise((resolve) => setTimeout(resolve, 400));
    await scheduler?.stop();
    expect(
      logLines.slice(before).filter((line) => line.msg === "scheduled backup failed"),
    ).toHaveLength(4);
  });

  it("is started by control-plane serve and stopped when it closes", async () => {
    const before = logLines.length;
    const serving = await serveControlPlane(api.cp, { port: 0, dashboardDir: "/nonexistent" });
    await expect
      .poll(() => logLines.slice(before).map((line) => line.msg))
      .toContain("backup schedule on: daily backups with retention");
    await serving.close();
    const quiet = await serveControlPlane(api.cp, {
      port: 0,
      dashboardDir: "/nonexistent",
      backupScheduler: false,
    });
    await quiet.close();
    expect(
      logLines
        .slice(before)
        .filter((line) => line.msg === "backup schedule on: daily backups with retention"),
    ).toHaveLength(1);
  });
});
