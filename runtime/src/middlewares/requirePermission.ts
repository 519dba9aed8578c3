import type { RequestHandler } from "express";
import type { Permission } from "../../contracts/permissions.js";
import { forbidden } from "../errors.js";
import { requireAuth } from "./authenticate.js";

/**
 * Lets through only signed-in users whose role grants `permission` (or any of several);
 * others get 403 `forbidden`. Mount after `authenticate`. Routes check permissions, never role
 * names, so custom roles work everywhere.
 */
export function requirePermission(...anyOf: readonly Permission[]): RequestHandler {
  return (req, _res, next) => {
    const { permissions } = requireAuth(req);
    if (!anyOf.some((permission) => permissions.has(permission))) return next(forbidden());
    next();
  };
}
