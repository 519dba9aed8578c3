import type { ControlPlaneConfig } from "../config.js";

/** A daily backup time in a time zone (ATENDE_BACKUP_SCHEDULE, ATENDE_BACKUP_TIMEZONE). */
export interface DailySchedule {
  /** `HH:MM`, 24 h. */
  time: string;
  /** IANA time zone, e.g. `America/Sao_Paulo`. */
  timeZone: string;
}

/** The schedule of the settings, or undefined when it is `off`. */
export function scheduleOf(
  config: Pick<ControlPlaneConfig, "ATENDE_BACKUP_SCHEDULE" | "ATENDE_BACKUP_TIMEZONE">,
): DailySchedule | undefined {
  if (config.ATENDE_BACKUP_SCHEDULE === "off") return undefined;
  return { time: config.ATENDE_BACKUP_SCHEDULE, timeZone: config.ATENDE_BACKUP_TIMEZONE };
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClockOf(instant: number, timeZone: string): WallClock {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(new Date(instant))
      .filter((part) => part.type !== "literal")
      .map((part) => [part.type, Number(part.value)]),
  ) as Record<string, number>;
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** How far the zone's wall clock is ahead of UTC at an instant. */
function offsetAt(instant: number, timeZone: string): number {
  const clock = wallClockOf(instant, timeZone);
  const asUtc = Date.UTC(
    clock.year,
    clock.month - 1,
    clock.day,
    clock.hour,
    clock.minute,
    clock.second,
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a wall-clock time happens in a zone. Twice corrected, so a time near a DST change
 * lands on the offset in force then; a time that does not exist (skipped by DST) moves forward.
 */
function instantOf(
  date: { year: number; month: number; day: number },
  hour: number,
  minute: number,
  timeZone: string,
): number {
  const guess = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  const first = guess - offsetAt(guess, timeZone);
  return guess - offsetAt(first, timeZone);
}

/** The most recent scheduled moment at or before `now`. */
export function latestSlot(schedule: DailySchedule, now: Date): Date {
  const [hour, minute] = schedule.time.split(":").map(Number) as [number, number];
  const today = wallClockOf(now.getTime(), schedule.timeZone);
  const slotToday = instantOf(today, hour, minute, schedule.timeZone);
  if (slotToday <= now.getTime()) return new Date(slotToday);
  const yesterday = new Date(Date.UTC(today.year, today.month - 1, today.day - 1));
  return new Date(
    instantOf(
      {
        year: yesterday.getUTCFullYear(),
        month: yesterday.getUTCMonth() + 1,
        day: yesterday.getUTCDate(),
      },
      hour,
      minute,
      schedule.timeZone,
    ),
  );
}

/** What the schedule needs to know about one tenant. */
export interface TenantBackupState {
  name: string;
  /** The registry status: only `ready` tenants are backed up on schedule. */
  status: string;
  /** When its newest backup (of any kind, whatever its outcome) started, or null. */
  lastAttemptAt: Date | null;
  /** A backup of it is running, or another operation holds its lock. */
  busy: boolean;
}

/**
 * The tenants whose daily backup is due at `now`: ready, not busy, and not attempted since the
 * latest scheduled moment. After downtime only that latest moment counts, so missed days are
 * caught up with one backup, not one per missed day; a failed attempt waits for the next
 * day (it raises an alert instead of retrying in a loop). Pure: the caller reads the state.
 */
export function selectDueTenants(
  tenants: readonly TenantBackupState[],
  schedule: DailySchedule,
  now: Date,
): string[] {
  const slot = latestSlot(schedule, now);
  return tenants
    .filter(
      (tenant) =>
        tenant.status === "ready" &&
        !tenant.busy &&
        (tenant.lastAttemptAt === null || tenant.lastAttemptAt < slot),
    )
    .map((tenant) => tenant.name)
    .sort();
}
