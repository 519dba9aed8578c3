import { html } from "lit";
import { state } from "lit/decorators.js";
import { type ReportGrouping, reportGroupings } from "../../../contracts/report-groupings.js";
import type { ReportRow, ReportSummaryPayload } from "../../../contracts/reports.js";
import { ApiError } from "../../api/client.js";
import { fetchReportSummary, type ReportFilters, reportExportUrl } from "../../api/reports.js";
import { AtendeElement } from "../../internal/atende-element.js";
import { currentLocale } from "../../messages.js";
import styles from "./at-reports.styles.js";
import { formatDuration, formatShare, reportsText } from "./at-reports.texts.js";

/** The days reports count in, until tenants have a time-zone setting (see `reportBuilder`). */
const REPORT_TIME_ZONE = "America/Sao_Paulo";

/** `YYYY-MM-DD` of today in the report time zone, minus `daysBack` days. */
function dayInReportZone(daysBack = 0): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: REPORT_TIME_ZONE,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date(Date.now() - daysBack * 86_400_000));
}

/**
 * @summary Manager reports: for a period of days, conversations, first response and resolution
 *   times (median, 90th percentile, average) and the share answered automatically, in total
 *   and per day, agent or queue, with a bar per row and a CSV export of the same figures.
 *
 * @csspart base - The section.
 */
export default class AtReports extends AtendeElement {
  static override styles = styles;

  @state() private filters: ReportFilters = {
    from: dayInReportZone(29),
    to: dayInReportZone(),
    groupBy: "day",
  };
  @state() private report: ReportSummaryPayload | undefined;
  @state() private failure = "";
  @state() private loading = false;

  private readonly text = reportsText();

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  override updated(): void {
    // The CSP refuses style attributes; widths set through the CSSOM are allowed.
    for (const bar of this.renderRoot.querySelectorAll<HTMLElement>(".reports__bar")) {
      bar.style.inlineSize = `${Number(bar.dataset.share ?? 0) * 100}%`;
    }
  }

  private async load(): Promise<void> {
    this.loading = true;
    try {
      this.report = await fetchReportSummary(this.filters);
      this.failure = "";
    } catch (error) {
      this.failure =
        error instanceof ApiError && error.id === "validation_error"
          ? error.message
          : this.text.loadFailed;
    } finally {
      this.loading = false;
    }
  }

  private handleSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const groupBy = String(form.get("groupBy") ?? "day");
    this.filters = {
      from: String(form.get("from") ?? ""),
      to: String(form.get("to") ?? ""),
      groupBy: (reportGroupings as readonly string[]).includes(groupBy)
        ? (groupBy as ReportGrouping)
        : "day",
    };
    void this.load();
  }

  private formatDay(day: string): string {
    return new Date(`${day}T12:00:00Z`).toLocaleDateString(currentLocale(), {
      timeZone: "UTC",
      weekday: "short",
      day: "2-digit",
      month: "2-digit",
    });
  }

  private rowLabel(row: ReportRow): string {
    const parts: string[] = [];
    if (row.day !== undefined) parts.push(this.formatDay(row.day));
    if (row.agent !== undefined) parts.push(row.agent.name ?? this.text.unassigned);
    if (row.queue !== undefined) parts.push(row.queue.name);
    return parts.join(" · ");
  }

  private renderTotals(report: ReportSummaryPayload) {
    const t = this.text;
    const { totals } = report;
    return html`<dl class="reports__totals">
      <div class="reports__card">
        <dt>${t.conversations}</dt>
        <dd class="reports__figure">${totals.conversations}</dd>
      </div>
      <div class="reports__card">
        <dt>${t.firstResponse}</dt>
        <dd class="reports__figure">${formatDuration(totals.firstResponse.p50Seconds)}</dd>
        <dd>${t.median} · ${t.p90} ${formatDuration(totals.firstResponse.p90Seconds)} · ${t.average} ${formatDuration(totals.firstResponse.averageSeconds)}</dd>
      </div>
      <div class="reports__card">
        <dt>${t.resolution}</dt>
        <dd class="reports__figure">${formatDuration(totals.resolution.p50Seconds)}</dd>
        <dd>${t.median} · ${t.p90} ${formatDuration(totals.resolution.p90Seconds)} · ${t.average} ${formatDuration(totals.resolution.averageSeconds)}</dd>
      </div>
      <div class="reports__card">
        <dt>${t.automatic}</dt>
        <dd class="reports__figure">${formatShare(totals.automaticShare)}</dd>
        <dd>${t.of(totals.answeredAutomatically, totals.firstResponse.count)}</dd>
      </div>
    </dl>`;
  }

  private renderTable(report: ReportSummaryPayload) {
    const t = this.text;
    const max = Math.max(1, ...report.rows.map((row) => row.conversations));
    const heading =
      report.groupBy === "day"
        ? t.day
        : report.groupBy === "queue"
          ? t.queue
          : report.groupBy === "agent"
            ? t.agent
            : `${t.day} · ${t.agent}`;
    if (report.rows.length === 0) return html`<p class="reports__empty">${t.empty}</p>`;
    return html`<div class="reports__scroll"><table class="card__table card__table--dense">
      <thead>
        <tr>
          <th scope="col">${heading}</th>
          <th scope="col">${t.conversations}</th>
          <th scope="col">${t.firstResponseMedian}</th>
          <th scope="col">${t.firstResponseP90}</th>
          <th scope="col">${t.resolved}</th>
          <th scope="col">${t.resolutionMedian}</th>
          <th scope="col">${t.automaticShare}</th>
        </tr>
      </thead>
      <tbody>
        ${report.rows.map(
          (row) => html`<tr>
            <th scope="row">${this.rowLabel(row)}</th>
            <td>
              <div class="reports__bar-cell">
                <span class="reports__track" aria-hidden="true"
                  ><span class="reports__bar" data-share=${row.conversations / max}></span
                ></span>
                <span class="reports__count" aria-label=${t.barLabel(row.conversations)}>${row.conversations}</span>
              </div>
            </td>
            <td>${formatDuration(row.firstResponse.p50Seconds)}</td>
            <td>${formatDuration(row.firstResponse.p90Seconds)}</td>
            <td>${row.resolution.count}</td>
            <td>${formatDuration(row.resolution.p50Seconds)}</td>
            <td>${formatShare(row.automaticShare)}</td>
          </tr>`,
        )}
      </tbody>
    </table></div>`;
  }

  override render() {
    const t = this.text;
    const { filters, report } = this;
    return html`
      <section part="base" class="card" aria-label=${t.title} aria-busy=${this.loading ? "true" : "false"}>
        <form class="card__filters" @submit=${this.handleSubmit}>
          <label>${t.from} <input name="from" type="date" required .value=${filters.from} /></label>
          <label>${t.to} <input name="to" type="date" required .value=${filters.to} /></label>
          <label>${t.groupBy}
            <select name="groupBy">
              ${reportGroupings.map(
                (grouping) =>
                  html`<option value=${grouping} ?selected=${grouping === filters.groupBy}>${t.groupings[grouping]}</option>`,
              )}
            </select>
          </label>
          <button type="submit">${t.update}</button>
          <a class="reports__export" href=${reportExportUrl(filters)} download>${t.export}</a>
        </form>
        <p class="card__error" role="alert">${this.failure}</p>
        ${
          report === undefined
            ? html`<p>${t.loading}</p>`
            : html`<p class="reports__period">${t.period(report.from, report.to, report.timeZone)}</p>
                ${this.renderTotals(report)} ${this.renderTable(report)}`
        }
      </section>
    `;
  }
}
