import { type Request, Router } from "express";
import type { Knex } from "knex";
import { z } from "zod";
import {
  type RoleCreateRequest,
  RoleCreateSchema,
  RoleKeySchema,
  type RoleUpdateRequest,
  RoleUpdateSchema,
} from "../../../../contracts/permissions.js";
import type { SessionStore } from "../../../auth/sessionStore.js";
import { listRoles, roleCreator, roleDeleter, roleUpdater } from "../../../commands/roleEditor.js";
import { actorOf, authenticate } from "../../../middlewares/authenticate.js";
import { requirePermission } from "../../../middlewares/requirePermission.js";
import { validate } from "../../../middlewares/validate.js";
import type { AccessChangePublisher } from "../../../sockets/accessChanges.js";

const KeyParamsSchema = z.object({ key: RoleKeySchema });
type KeyRequest<Body = unknown> = Request<{ key: string }, unknown, Body>;

/**
 * Roles: everyone who manages users can list them (to pick one); defining custom roles needs
 * `roles.manage`. Built-in roles are read-only.
 */
export function rolesRouter(deps: {
  db: Knex;
  sessions: SessionStore;
  access: AccessChangePublisher;
}): Router {
  const router = Router();
  router.use(authenticate(deps));
  const manage = requirePermission("roles.manage");

  router.get("/", requirePermission("users.manage", "roles.manage"), async (_req, res) => {
    res.json({ ok: true, data: await listRoles(deps.db) });
  });

  router.post(
    "/",
    manage,
    validate(RoleCreateSchema),
    async (req: Request<Record<string, string>, unknown, RoleCreateRequest>, res) => {
      const role = await roleCreator({ db: deps.db, actor: actorOf(req), input: req.body });
      res.status(201).json({ ok: true, data: role });
    },
  );

  router.patch(
    "/:key",
    manage,
    validate(KeyParamsSchema, "params"),
    validate(RoleUpdateSchema),
    async (req: KeyRequest<RoleUpdateRequest>, res) => {
      const role = await roleUpdater({
        db: deps.db,
        actor: actorOf(req),
        key: req.params.key.toLowerCase(),
        input: req.body,
      });
      // Any user may hold the role: every open socket re-reads its permissions.
      await deps.access.usersChanged(null);
      res.json({ ok: true, data: role });
    },
  );

  router.delete(
    "/:key",
    manage,
    validate(KeyParamsSchema, "params"),
    async (req: KeyRequest, res) => {
      await roleDeleter({ db: deps.db, actor: actorOf(req), key: req.params.key.toLowerCase() });
      await deps.access.usersChanged(null);
      res.json({ ok: true, data: null });
    },
  );

  return router;
}
