/** Report options, apart from the zod schemas of `reports.ts` so the browser needs no zod. */

/** The longest period one report covers (a leap year), so a request cannot scan years of data. */
export const REPORT_MAX_DAYS = 366;

/** How report rows are grouped: per day, per agent, per queue, or per day and agent. */
export const reportGroupings = ["day", "agent", "queue", "day_agent"] as const;

/** One grouping of `reportGroupings`. */
export type ReportGrouping = (typeof reportGroupings)[number];
