import { describe, expect, it } from "vitest";
import { backupAlertsOf } from "./backupAlerts.js";
import type { BackupEntry } from "./backupCatalog.js";

const now = new Date("2026-11-28T12:00:00Z");
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
const oldTenant = { status: "ready", createdAt: hoursAgo(24 * 30) };

let sequence = 0;
const backup = (overrides: Partial<BackupEntry> = {}): BackupEntry => ({
  id: `b${++sequence}`,
  tenant: "acme",
  kind: "scheduled",
  status: "succeeded",
  path: "/backups/acme/x",
  plainBytes: 10,
  storedBytes: 5,
  manifestSha256: null,
  operationId: null,
  error: null,
  createdAt: hoursAgo(2),
  finishedAt: hoursAgo(2),
  verifiedAt: null,
  verifyStatus: null,
  verifyDetail: null,
  remote: null,
  ...overrides,
});

const ids = (alerts: ReturnType<typeof backupAlertsOf>) => alerts.map((alert) => alert.id);

describe("backupAlertsOf", () => {
  it("is quiet for a tenant with a fresh good backup copied off-site", () => {
    const copied = backup({
      remote: { location: "s3://b/acme/x/", state: "uploaded", error: null, at: hoursAgo(2) },
    });
    expect(backupAlertsOf({ backups: [copied], tenant: oldTenant, scheduled: true, now })).toEqual(
      [],
    );
  });

  it("alerts when the newest backup failed, with its error id", () => {
    const alerts = backupAlertsOf({
      backups: [
        backup({ createdAt: hoursAgo(5) }),
        backup({
          id: "bad",
          status: "failed",
          error: { id: "backup_failed", message: "disk full" },
          createdAt: hoursAgo(1),
        }),
      ],
      tenant: oldTenant,
      scheduled: false,
      now,
    });
    expect(alerts).toEqual([
      { id: "backup_failed", backupId: "bad", reason: "backup_failed", since: hoursAgo(1) },
    ]);
  });

  it("is quiet about an old failure once a newer backup succeeded, and ignores running ones", () => {
    const backups = [
      backup({ status: "failed", createdAt: hoursAgo(5) }),
      backup({ createdAt: hoursAgo(3) }),
      backup({ status: "running", createdAt: hoursAgo(0.1) }),
    ];
    expect(backupAlertsOf({ backups, tenant: oldTenant, scheduled: true, now })).toEqual([]);
  });

  it("alerts when the off-site copy of the newest good backup failed, with the reason", () => {
    const alerts = backupAlertsOf({
      backups: [
        backup({
          id: "local-only",
          remote: {
            location: "s3://b/acme/local-only/",
            state: "failed",
            error: "InvalidAccessKeyId (HTTP 403)",
            at: hoursAgo(2),
          },
        }),
      ],
      tenant: oldTenant,
      scheduled: false,
      now,
    });
    expect(alerts).toMatchObject([
      { id: "offsite_failed", backupId: "local-only", reason: "InvalidAccessKeyId (HTTP 403)" },
    ]);
  });

  it("alerts when an upload is still in progress hours later (the process was killed)", () => {
    const uploading = (hours: number) =>
      backup({
        id: "stuck",
        remote: {
          location: "s3://b/acme/stuck/",
          state: "uploading",
          error: null,
          at: hoursAgo(hours),
        },
      });
    expect(
      backupAlertsOf({ backups: [uploading(0.5)], tenant: oldTenant, scheduled: false, now }),
    ).toEqual([]);
    expect(
      backupAlertsOf({ backups: [uploading(7)], tenant: oldTenant, scheduled: false, now }),
    ).toMatchObject([
      { id: "offsite_failed", backupId: "stuck", reason: "the upload was interrupted" },
    ]);
  });

  it("alerts when a scheduled tenant has no good backup in the last 26 hours", () => {
    const stale = [backup({ createdAt: hoursAgo(27) })];
    expect(
      ids(backupAlertsOf({ backups: stale, tenant: oldTenant, scheduled: true, now })),
    ).toEqual(["backup_overdue"]);
    expect(ids(backupAlertsOf({ backups: [], tenant: oldTenant, scheduled: true, now }))).toEqual([
      "backup_overdue",
    ]);
    // Within 26 hours: fine (a daily backup that ran a little late is not an alert).
    expect(
      backupAlertsOf({
        backups: [backup({ createdAt: hoursAgo(25) })],
        tenant: oldTenant,
        scheduled: true,
        now,
      }),
    ).toEqual([]);
  });

  it("does not call a tenant overdue without a schedule, when stopped, or when it is new", () => {
    const none: BackupEntry[] = [];
    expect(backupAlertsOf({ backups: none, tenant: oldTenant, scheduled: false, now })).toEqual([]);
    expect(
      backupAlertsOf({
        backups: none,
        tenant: { ...oldTenant, status: "stopped" },
        scheduled: true,
        now,
      }),
    ).toEqual([]);
    expect(
      backupAlertsOf({
        backups: none,
        tenant: { status: "ready", createdAt: hoursAgo(3) },
        scheduled: true,
        now,
      }),
    ).toEqual([]);
  });
});
