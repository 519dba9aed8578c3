import { Router } from "express";
import { getOperation } from "../../commands/operationInspector.js";
import { requireRole } from "../../middlewares/authenticate.js";
import { inputOf, validate } from "../../middlewares/validate.js";
import { presentOperation } from "../../presenters/presentOperation.js";
import type { ServerContext } from "../../server/context.js";
import { OperationParamsSchema } from "./schema.js";

/** One operation from the journal, whoever started it (CLI or API). */
export function operationsRouter(ctx: ServerContext): Router {
  const router = Router();
  router.get(
    "/api/operations/:id",
    requireRole(ctx, "viewer"),
    validate(OperationParamsSchema),
    async (_req, res) => {
      const { params } = inputOf(res, OperationParamsSchema);
      res.json({ ok: true, data: presentOperation(await getOperation(ctx.cp, params.id)) });
    },
  );
  return router;
}
