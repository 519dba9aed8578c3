import type { RequestHandler } from "express";
import { authenticationRequired, forbidden } from "../apiErrors.js";
import { resolveStaffSession } from "../commands/staffAccounts.js";
import { audit, type ServerContext, sessionTokenFrom, staffOf } from "../server/context.js";
import { roleAllows, type StaffRole } from "../staff/staffRepository.js";

/** Loads the staff member of the session cookie into `res.locals.staff`, if any. */
export function authenticate(ctx: ServerContext): RequestHandler {
  return async (req, res, next) => {
    const token = sessionTokenFrom(req.headers.cookie);
    if (token !== undefined) {
      const staff = await resolveStaffSession(ctx.cp, { token, idleMs: ctx.sessionIdleMs });
      if (staff) {
        res.locals.staff = staff;
        res.locals.sessionToken = token;
      }
    }
    next();
  };
}

/**
 * Refuses anonymous requests (401) and staff below `role` (403). A refused state-changing
 * request is written to the audit log as `denied`.
 */
export function requireRole(
  ctx: ServerContext,
  role: StaffRole,
  action?: { name: string; target?: (params: Record<string, string>) => string },
): RequestHandler {
  return async (req, res, next) => {
    const staff = staffOf(res);
    if (!staff) return next(authenticationRequired());
    if (roleAllows(staff.role, role)) return next();
    if (action)
      await audit(ctx, req, res, {
        action: action.name,
        ...(action.target ? { target: action.target(req.params as Record<string, string>) } : {}),
        outcome: "denied",
        detail: `role ${staff.role}, needs ${role}`,
      });
    next(forbidden(role));
  };
}
