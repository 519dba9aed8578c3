import { describe, expect, it } from "vitest";
import { latestSlot, selectDueTenants, type TenantBackupState } from "./backupSchedule.js";

const utc = { time: "03:00", timeZone: "UTC" };
const saoPaulo = { time: "03:00", timeZone: "America/Sao_Paulo" };
const berlin = { time: "02:30", timeZone: "Europe/Berlin" };

const tenant = (overrides: Partial<TenantBackupState> = {}): TenantBackupState => ({
  name: "acme",
  status: "ready",
  lastAttemptAt: null,
  busy: false,
  ...overrides,
});

describe("latestSlot", () => {
  it("is today's time once it has passed, and yesterday's before", () => {
    expect(latestSlot(utc, new Date("2026-11-28T03:00:00Z")).toISOString()).toBe(
      "2026-11-28T03:00:00.000Z",
    );
    expect(latestSlot(utc, new Date("2026-11-28T02:59:59Z")).toISOString()).toBe(
      "2026-11-27T03:00:00.000Z",
    );
    expect(latestSlot(utc, new Date("2026-03-01T00:10:00Z")).toISOString()).toBe(
      "2026-02-28T03:00:00.000Z",
    );
  });

  it("reads the time in the configured time zone", () => {
    // 03:00 in São Paulo (UTC-3) is 06:00 UTC.
    expect(latestSlot(saoPaulo, new Date("2026-11-28T06:30:00Z")).toISOString()).toBe(
      "2026-11-28T06:00:00.000Z",
    );
    // 05:00 UTC is 02:00 in São Paulo: the slot is still yesterday's.
    expect(latestSlot(saoPaulo, new Date("2026-11-28T05:00:00Z")).toISOString()).toBe(
      "2026-11-27T06:00:00.000Z",
    );
  });

  it("follows daylight saving time, and moves a time that does not exist forward", () => {
    // Winter (CET, UTC+1) and summer (CEST, UTC+2) in Berlin.
    expect(latestSlot(berlin, new Date("2026-01-15T12:00:00Z")).toISOString()).toBe(
      "2026-01-15T01:30:00.000Z",
    );
    expect(latestSlot(berlin, new Date("2026-07-15T12:00:00Z")).toISOString()).toBe(
      "2026-07-15T00:30:00.000Z",
    );
    // 2026-03-29 02:30 does not exist in Berlin (clocks jump 02:00 → 03:00).
    const skipped = latestSlot(berlin, new Date("2026-03-29T12:00:00Z"));
    expect(skipped.getTime()).toBeGreaterThanOrEqual(Date.parse("2026-03-29T00:30:00Z"));
    expect(skipped.getTime()).toBeLessThanOrEqual(Date.parse("2026-03-29T01:30:00Z"));
  });
});

describe("selectDueTenants", () => {
  const now = new Date("2026-11-28T03:01:00Z");

  it("backs up a tenant that has never been backed up", () => {
    expect(selectDueTenants([tenant()], utc, now)).toEqual(["acme"]);
  });

  it("backs up a tenant whose last backup is from before today's scheduled time", () => {
    const yesterday = new Date("2026-11-27T03:00:05Z");
    expect(selectDueTenants([tenant({ lastAttemptAt: yesterday })], utc, now)).toEqual(["acme"]);
  });

  it("does not back up twice for the same scheduled time, even when the attempt failed", () => {
    const attempted = new Date("2026-11-28T03:00:02Z");
    expect(selectDueTenants([tenant({ lastAttemptAt: attempted })], utc, now)).toEqual([]);
    // Later the same day: still nothing until tomorrow's 03:00.
    expect(
      selectDueTenants(
        [tenant({ lastAttemptAt: attempted })],
        utc,
        new Date("2026-11-28T23:59:00Z"),
      ),
    ).toEqual([]);
    expect(
      selectDueTenants(
        [tenant({ lastAttemptAt: attempted })],
        utc,
        new Date("2026-11-29T03:00:00Z"),
      ),
    ).toEqual(["acme"]);
  });

  it("catches up missed days once after downtime, not once per missed day", () => {
    const beforeDowntime = new Date("2026-11-20T03:00:01Z");
    const afterDowntime = new Date("2026-11-28T10:00:00Z");
    expect(
      selectDueTenants([tenant({ lastAttemptAt: beforeDowntime })], utc, afterDowntime),
    ).toEqual(["acme"]);
    // The catch-up backup counts for today's scheduled time.
    const caughtUp = new Date("2026-11-28T10:00:30Z");
    expect(
      selectDueTenants(
        [tenant({ lastAttemptAt: caughtUp })],
        utc,
        new Date("2026-11-28T10:01:00Z"),
      ),
    ).toEqual([]);
  });

  it("never starts a second backup of a busy tenant", () => {
    expect(selectDueTenants([tenant({ busy: true })], utc, now)).toEqual([]);
  });

  it("leaves out tenants that are not ready (stopped, being created, failed)", () => {
    expect(
      selectDueTenants(
        [
          tenant({ name: "off", status: "stopped" }),
          tenant({ name: "new", status: "creating" }),
          tenant({ name: "broken", status: "failed" }),
          tenant({ name: "shop" }),
        ],
        utc,
        now,
      ),
    ).toEqual(["shop"]);
  });

  it("lists due tenants in name order", () => {
    expect(
      selectDueTenants([tenant({ name: "zeta" }), tenant({ name: "alpha" })], utc, now),
    ).toEqual(["alpha", "zeta"]);
  });
});
