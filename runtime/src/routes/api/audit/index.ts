import { Router } from "express";
import type { Knex } from "knex";
import type { ApiSuccess } from "../../../../contracts/api.js";
import { type AuditPagePayload, AuditQuerySchema } from "../../../../contracts/audit.js";
import type { SessionStore } from "../../../auth/sessionStore.js";
import { readActivityLog, streamActivityLog } from "../../../commands/activityLogReader.js";
import { actorOf, authenticate } from "../../../middlewares/authenticate.js";
import { requirePermission } from "../../../middlewares/requirePermission.js";
import { parseQuery } from "../../../middlewares/validate.js";
import { ActivityLogEntry } from "../../../models/ActivityLogEntry.js";
import { csvLine } from "../../../utils/csv.js";

const CSV_HEADER = ["id", "at", "action", "actor_id", "actor_email", "ip", "user_agent", "data"];

/**
 * The activity log viewer (permission `audit.view`): `GET /api/audit` pages newest first with
 * filters; `GET /api/audit/export.csv` streams every matching entry as CSV. Exporting is itself
 * recorded, since the log holds personal data (e-mails, IP addresses).
 */
export function auditRouter(deps: { db: Knex; sessions: SessionStore }): Router {
  const router = Router();
  router.use(authenticate(deps), requirePermission("audit.view"));

  router.get("/", async (req, res) => {
    const page = await readActivityLog(deps.db, parseQuery(AuditQuerySchema, req));
    const body: ApiSuccess<AuditPagePayload> = { ok: true, data: page };
    res.setHeader("Cache-Control", "no-store");
    res.json(body);
  });

  router.get("/export.csv", async (req, res) => {
    const { limit: _limit, before: _before, ...filters } = parseQuery(AuditQuerySchema, req);
    await ActivityLogEntry.record(deps.db, {
      action: "audit.export",
      actor: actorOf(req),
      data: { filters: { ...filters } },
    });
    res.setHeader("Content-Type", "text/csv; charset=utf-8");
    res.setHeader("Content-Disposition", 'attachment; filename="activity-log.csv"');
    res.setHeader("Cache-Control", "no-store");
    res.write(csvLine(CSV_HEADER));
    for await (const entry of streamActivityLog(deps.db, filters)) {
      const line = csvLine([
        entry.id,
        entry.at,
        entry.action,
        entry.actor?.id,
        entry.actor?.email,
        entry.ip,
        entry.userAgent,
        entry.data,
      ]);
      if (!res.write(line)) await new Promise((resolve) => res.once("drain", resolve));
    }
    res.end();
  });

  return router;
}
