import type { RequestHandler } from "express";
import type { UserRole } from "../../contracts/api.js";
import { forbidden } from "../errors.js";
import { requireAuth } from "./authenticate.js";

/**
 * Lets through only signed-in users whose role is one of `roles`; others get 403 `forbidden`.
 * Mount after `authenticate`.
 */
export function requireRole(...roles: readonly UserRole[]): RequestHandler {
  const allowed = new Set<string>(roles);
  return (req, _res, next) => {
    const { user } = requireAuth(req);
    if (!allowed.has(user.role)) return next(forbidden());
    next();
  };
}
