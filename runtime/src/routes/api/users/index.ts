import { type Request, Router } from "express";
import type { Knex } from "knex";
import {
  type ManagedUserPayload,
  type OneTimePasswordPayload,
  type UserCreateRequest,
  UserCreateSchema,
  UserIdParamsSchema,
  type UserUpdateRequest,
  UserUpdateSchema,
} from "../../../../contracts/accounts.js";
import type { ApiSuccess } from "../../../../contracts/api.js";
import type { LoginThrottle } from "../../../auth/loginThrottle.js";
import type { SessionStore } from "../../../auth/sessionStore.js";
import { loginUnlocker } from "../../../commands/loginUnlocker.js";
import { passwordResetter } from "../../../commands/passwordResetter.js";
import { userCreator } from "../../../commands/userCreator.js";
import { userUpdater } from "../../../commands/userUpdater.js";
import { actorOf, authenticate } from "../../../middlewares/authenticate.js";
import { requirePermission } from "../../../middlewares/requirePermission.js";
import { validate } from "../../../middlewares/validate.js";
import { User } from "../../../models/User.js";
import { presentManagedUser } from "../../../presenters/presentManagedUser.js";
import type { AccessChangePublisher } from "../../../sockets/accessChanges.js";

type IdRequest<Body = unknown> = Request<{ id: string }, unknown, Body>;

/** The `:id` of a request that went through `validate(UserIdParamsSchema, "params")`. */
const idOf = (req: IdRequest<unknown>) => Number(req.params.id);

/**
 * User management (permission `users.manage`, admins by default): list, create (one-time password shown once), rename, change
 * role, disable/enable, reset a password, lift a lockout.
 */
export function usersRouter(deps: {
  db: Knex;
  sessions: SessionStore;
  throttle: LoginThrottle;
  disconnectSession: (sessionKey: string) => void;
  access: AccessChangePublisher;
}): Router {
  const router = Router();
  router.use(authenticate(deps), requirePermission("users.manage"));
  const present = (user: User) => presentManagedUser(user, deps.throttle);

  router.get("/", async (_req, res) => {
    const users = await User.query(deps.db).orderBy("id");
    const body: ApiSuccess<ManagedUserPayload[]> = {
      ok: true,
      data: await Promise.all(users.map(present)),
    };
    res.setHeader("Cache-Control", "no-store");
    res.json(body);
  });

  router.post(
    "/",
    validate(UserCreateSchema),
    async (req: Request<Record<string, string>, unknown, UserCreateRequest>, res) => {
      const { user, oneTimePassword } = await userCreator({
        db: deps.db,
        actor: actorOf(req),
        input: req.body,
      });
      const body: ApiSuccess<OneTimePasswordPayload> = {
        ok: true,
        data: { user: await present(user), oneTimePassword },
      };
      res.setHeader("Cache-Control", "no-store");
      res.status(201).json(body);
    },
  );

  router.patch(
    "/:id",
    validate(UserIdParamsSchema, "params"),
    validate(UserUpdateSchema),
    async (req: IdRequest<UserUpdateRequest>, res) => {
      const user = await userUpdater({
        ...deps,
        actor: actorOf(req),
        userId: idOf(req),
        input: req.body,
      });
      // Role, status or name: the user's open sockets re-read what they may see.
      await deps.access.usersChanged([user.id]);
      res.json({ ok: true, data: await present(user) });
    },
  );

  router.post(
    "/:id/password-reset",
    validate(UserIdParamsSchema, "params"),
    async (req: IdRequest, res) => {
      const { user, oneTimePassword } = await passwordResetter({
        ...deps,
        actor: actorOf(req),
        userId: idOf(req),
      });
      const body: ApiSuccess<OneTimePasswordPayload> = {
        ok: true,
        data: { user: await present(user), oneTimePassword },
      };
      res.setHeader("Cache-Control", "no-store");
      res.json(body);
    },
  );

  router.delete(
    "/:id/lockout",
    validate(UserIdParamsSchema, "params"),
    async (req: IdRequest, res) => {
      const user = await loginUnlocker({ ...deps, actor: actorOf(req), userId: idOf(req) });
      res.json({ ok: true, data: await present(user) });
    },
  );

  return router;
}
