import { Router } from "express";
import { runDoctor } from "../../commands/doctor.js";
import type { DoctorCheckPayload } from "../../contracts/api.js";
import { requireRole } from "../../middlewares/authenticate.js";
import type { ServerContext } from "../../server/context.js";

/** The same checks as `atende doctor`. */
export function doctorRouter(ctx: ServerContext): Router {
  const router = Router();
  router.get("/api/doctor", requireRole(ctx, "viewer"), async (_req, res) => {
    const checks: DoctorCheckPayload[] = await runDoctor(ctx.cp);
    res.json({ ok: true, data: checks });
  });
  return router;
}
