import { Router } from "express";
import { createStaff, listStaff, setStaffDisabled } from "../../commands/staffAccounts.js";
import { requireRole } from "../../middlewares/authenticate.js";
import { inputOf, validate } from "../../middlewares/validate.js";
import { audit, type ServerContext, staffOf } from "../../server/context.js";
import { StaffCreateSchema, StaffParamsSchema } from "./schema.js";

/** Staff management (owners only). */
export function staffRouter(ctx: ServerContext): Router {
  const router = Router();
  router.get("/api/staff", requireRole(ctx, "owner"), async (_req, res) => {
    res.json({ ok: true, data: await listStaff(ctx.cp) });
  });
  router.post(
    "/api/staff",
    requireRole(ctx, "owner", { name: "staff.create" }),
    validate(StaffCreateSchema),
    async (req, res) => {
      const { body } = inputOf(res, StaffCreateSchema);
      try {
        const created = await createStaff(ctx.cp, body);
        await audit(ctx, req, res, {
          action: "staff.create",
          target: created.email,
          outcome: "succeeded",
          detail: `role ${created.role}`,
        });
        // The one-time password is in this answer only; it is stored as a hash.
        res.status(201).json({ ok: true, data: created });
      } catch (error) {
        await audit(ctx, req, res, {
          action: "staff.create",
          target: body.email,
          outcome: "refused",
          detail: (error as { id?: string }).id ?? "internal_error",
        });
        throw error;
      }
    },
  );
  for (const action of ["disable", "enable"] as const) {
    router.post(
      `/api/staff/:email/${action}`,
      requireRole(ctx, "owner", {
        name: `staff.${action}`,
        target: (params) => params.email ?? "",
      }),
      validate(StaffParamsSchema),
      async (req, res) => {
        const { params } = inputOf(res, StaffParamsSchema);
        try {
          const staff = await setStaffDisabled(ctx.cp, {
            email: params.email,
            disabled: action === "disable",
            ...(staffOf(res) ? { actingStaffId: staffOf(res)?.id } : {}),
          });
          if (staff.disabled) ctx.disconnectStaff(staff.id);
          await audit(ctx, req, res, {
            action: `staff.${action}`,
            target: staff.email,
            outcome: "succeeded",
          });
          res.json({ ok: true, data: staff });
        } catch (error) {
          await audit(ctx, req, res, {
            action: `staff.${action}`,
            target: params.email,
            outcome: "refused",
            detail: (error as { id?: string }).id ?? "internal_error",
          });
          throw error;
        }
      },
    );
  }
  return router;
}
