import type { ReportGrouping, ReportSummaryPayload } from "../../contracts/reports.js";
import { apiRequest } from "./client.js";

/** The period and grouping of a report, as the API takes them (`YYYY-MM-DD` days). */
export interface ReportFilters {
  from: string;
  to: string;
  groupBy: ReportGrouping;
}

const queryOf = (filters: ReportFilters) => new URLSearchParams({ ...filters }).toString();

/** The manager report (permission `reports.view`). */
export function fetchReportSummary(filters: ReportFilters): Promise<ReportSummaryPayload> {
  return apiRequest<ReportSummaryPayload>("GET", `/api/reports/summary?${queryOf(filters)}`);
}

/** Where the CSV of the same report downloads from. */
export function reportExportUrl(filters: ReportFilters): string {
  return `/api/reports/export.csv?${queryOf(filters)}`;
}
