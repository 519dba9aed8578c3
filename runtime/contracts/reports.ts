import { z } from "zod";
import { REPORT_MAX_DAYS, type ReportGrouping, reportGroupings } from "./report-groupings.js";

export { REPORT_MAX_DAYS, type ReportGrouping, reportGroupings };

const DateSchema = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date as YYYY-MM-DD")
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, "must be a real calendar date");

/** Days from `from` to `to`, both included (calendar dates, so no time zone is involved). */
export function reportDayCount(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
}

/**
 * Query of `GET /api/reports/summary` and `GET /api/reports/export.csv`: a period of calendar
 * days in the tenant's time zone, both ends included, at most `REPORT_MAX_DAYS` long.
 */
export const ReportQuerySchema = z
  .object({
    from: DateSchema,
    to: DateSchema,
    groupBy: z.enum(reportGroupings).default("day"),
  })
  .strict()
  .refine((query) => query.from <= query.to, {
    message: "from must not be after to",
    path: ["from"],
  })
  .refine((query) => reportDayCount(query.from, query.to) <= REPORT_MAX_DAYS, {
    message: `the period must be at most ${REPORT_MAX_DAYS} days`,
    path: ["to"],
  });
export type ReportQuery = z.infer<typeof ReportQuerySchema>;

/** Distribution of durations in seconds; every figure null when there is no sample. */
export interface DurationStats {
  /** How many conversations the figures are computed from. */
  count: number;
  averageSeconds: number | null;
  /** Median (linear interpolation between the two middle values). */
  p50Seconds: number | null;
  p90Seconds: number | null;
}

/** The figures of one group of conversations (or of all of them). */
export interface ReportFigures {
  /** Conversations opened in the group. */
  conversations: number;
  /** Time from opening to the first reply (agent or automatic). */
  firstResponse: DurationStats;
  /** Time from opening to resolution, for the conversations resolved so far. */
  resolution: DurationStats;
  /** Conversations whose first reply was automatic. */
  answeredAutomatically: number;
  /** `answeredAutomatically` / `firstResponse.count`, 0–1; null without any reply. */
  automaticShare: number | null;
}

/** One row of a report: the group it describes and its figures. */
export interface ReportRow extends ReportFigures {
  /** Calendar day in the tenant's time zone (groupings `day`, `day_agent`). */
  day?: string;
  /** Assigned agent (groupings `agent`, `day_agent`); null id: nobody. */
  agent?: { id: number | null; name: string | null };
  /** Queue (grouping `queue`); null id: the general queue. */
  queue?: { id: number | null; name: string };
}

/** Answer of `GET /api/reports/summary`. */
export interface ReportSummaryPayload {
  from: string;
  to: string;
  /** IANA time zone the days are counted in. */
  timeZone: string;
  groupBy: ReportGrouping;
  totals: ReportFigures;
  /** Per day: every day of the period, also those without conversations. Otherwise only groups
   * with conversations, largest first. */
  rows: ReportRow[];
}
