import { Router } from "express";
import { listStaffAudit } from "../../commands/staffAccounts.js";
import { requireRole } from "../../middlewares/authenticate.js";
import { inputOf, validate } from "../../middlewares/validate.js";
import { presentAuditEntry } from "../../presenters/presentAuditEntry.js";
import type { ServerContext } from "../../server/context.js";
import { AuditListSchema } from "./schema.js";

/** The staff audit log (owners only). */
export function auditRouter(ctx: ServerContext): Router {
  const router = Router();
  router.get(
    "/api/audit",
    requireRole(ctx, "owner"),
    validate(AuditListSchema),
    async (_req, res) => {
      const { query } = inputOf(res, AuditListSchema);
      const entries = await listStaffAudit(ctx.cp, {
        limit: query.limit,
        ...(query.before === undefined ? {} : { before: query.before }),
      });
      res.json({ ok: true, data: entries.map(presentAuditEntry) });
    },
  );
  return router;
}
