import { describe, expect, it } from "vitest";
import { isoWeekOf, selectBackupsToPrune } from "./retention.js";

type Status = "running" | "succeeded" | "failed";
const backup = (id: string, iso: string, status: Status = "succeeded", verified = false) => ({
  id,
  createdAt: new Date(iso),
  status,
  verifyStatus: verified ? ("passed" as const) : null,
});

/** One good backup a day at 03:00 for `days` days ending on 2026-11-27. */
function daily(days: number) {
  return Array.from({ length: days }, (_, index) => {
    const date = new Date(Date.UTC(2026, 10, 27 - index, 3));
    return backup(`b${String(index).padStart(3, "0")}`, date.toISOString());
  });
}

describe("selectBackupsToPrune", () => {
  it("keeps the newest of each of the last N days, weeks and months; deletes the rest", () => {
    const backups = daily(120);
    const doomed = selectBackupsToPrune(backups, { daily: 7, weekly: 4, monthly: 3 });
    const kept = backups.filter((entry) => !doomed.includes(entry.id));
    // 7 days + weeks 2–4 back (the newest week's newest is already a daily) + month-ends.
    expect(kept.slice(0, 7).map((entry) => entry.id)).toEqual([
      "b000",
      "b001",
      "b002",
      "b003",
      "b004",
      "b005",
      "b006",
    ]);
    const weeks = new Set(kept.map((entry) => isoWeekOf(entry.createdAt)));
    expect(weeks.size).toBeGreaterThanOrEqual(4);
    const months = new Set(kept.map((entry) => entry.createdAt.toISOString().slice(0, 7)));
    expect([...months]).toEqual(expect.arrayContaining(["2026-11", "2026-10", "2026-09"]));
    expect(kept.length).toBeLessThanOrEqual(7 + 4 + 3);
    expect(doomed.length).toBe(120 - kept.length);
  });

  it("keeps one per day even when several were taken that day", () => {
    const backups = [
      backup("late", "2026-11-27T20:00:00Z"),
      backup("early", "2026-11-27T01:00:00Z"),
      backup("yesterday", "2026-11-26T01:00:00Z"),
    ];
    expect(selectBackupsToPrune(backups, { daily: 2, weekly: 0, monthly: 0 })).toEqual(["early"]);
  });

  it("never deletes the last good backup, even with a policy of zero", () => {
    const backups = [backup("old", "2026-01-01T00:00:00Z"), backup("new", "2026-11-01T00:00:00Z")];
    expect(selectBackupsToPrune(backups, { daily: 0, weekly: 0, monthly: 0 })).toEqual(["old"]);
  });

  it("never deletes the newest verified backup", () => {
    const backups = [
      backup("newest", "2026-11-27T00:00:00Z"),
      backup("verified", "2026-11-20T00:00:00Z", "succeeded", true),
      backup("older", "2026-11-10T00:00:00Z"),
    ];
    expect(selectBackupsToPrune(backups, { daily: 1, weekly: 0, monthly: 0 })).toEqual(["older"]);
  });

  it("keeps everything when every backup failed: failures stay visible, nothing good to lose", () => {
    const backups = [
      backup("f1", "2026-11-27T00:00:00Z", "failed"),
      backup("f2", "2026-11-26T00:00:00Z", "failed"),
    ];
    expect(selectBackupsToPrune(backups, { daily: 0, weekly: 0, monthly: 0 })).toEqual([]);
  });

  it("deletes failures older than the newest good backup, keeps newer ones and running ones", () => {
    const backups = [
      backup("running", "2026-11-27T05:00:00Z", "running"),
      backup("failed-new", "2026-11-27T04:00:00Z", "failed"),
      backup("good", "2026-11-27T03:00:00Z"),
      backup("failed-old", "2026-11-26T03:00:00Z", "failed"),
    ];
    expect(selectBackupsToPrune(backups, { daily: 7, weekly: 4, monthly: 6 })).toEqual([
      "failed-old",
    ]);
  });

  it("only ever returns ids it was given", () => {
    expect(selectBackupsToPrune([], { daily: 7, weekly: 4, monthly: 6 })).toEqual([]);
  });
});

describe("isoWeekOf", () => {
  it("follows ISO 8601 across a year boundary", () => {
    expect(isoWeekOf(new Date("2026-01-01T12:00:00Z"))).toBe("2026-W01");
    expect(isoWeekOf(new Date("2027-01-01T12:00:00Z"))).toBe("2026-W53");
    expect(isoWeekOf(new Date("2026-11-27T12:00:00Z"))).toBe("2026-W48");
  });
});
