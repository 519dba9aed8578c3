import { Router } from "express";
import type { Knex } from "knex";
import type { ApiSuccess } from "../../../../contracts/api.js";
import { ReportQuerySchema, type ReportSummaryPayload } from "../../../../contracts/reports.js";
import type { SessionStore } from "../../../auth/sessionStore.js";
import { reportBuilder, reportCsv } from "../../../commands/reportBuilder.js";
import { authenticate } from "../../../middlewares/authenticate.js";
import { requirePermission } from "../../../middlewares/requirePermission.js";
import { parseQuery } from "../../../middlewares/validate.js";

/**
 * Manager reports (permission `reports.view`), over a period of calendar days (`from`, `to`,
 * both included, at most 366 days) grouped by `groupBy`: `GET /api/reports/summary` as JSON,
 * `GET /api/reports/export.csv` the same rows as a CSV download. Figures are aggregates over the
 * whole tenant, so they need no per-conversation visibility check. See `reportBuilder` for what
 * each figure means.
 */
export function reportsRouter(deps: { db: Knex; sessions: SessionStore }): Router {
  const router = Router();
  router.use(authenticate(deps), requirePermission("reports.view"));

  router.get("/summary", async (req, res) => {
    const report = await reportBuilder({ db: deps.db, query: parseQuery(ReportQuerySchema, req) });
    const body: ApiSuccess<ReportSummaryPayload> = { ok: true, data: report };
    res.setHeader("Cache-Control", "no-store");
    res.json(body);
  });

  router.get("/export.csv", async (req, res) => {
    const query = parseQuery(ReportQuerySchema, req);
    const report = await reportBuilder({ db: deps.db, query });
    res.setHeader("Content-Type", "text/csv; charset=utf-8");
    res.setHeader(
      "Content-Disposition",
      `attachment; filename="report-${query.groupBy}-${query.from}-${query.to}.csv"`,
    );
    res.setHeader("Cache-Control", "no-store");
    res.send(reportCsv(report));
  });

  return router;
}
