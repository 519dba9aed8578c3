import { Router } from "express";
import type { Knex } from "knex";
import type { SessionStore } from "../../../auth/sessionStore.js";
import { authenticate, requireAuth } from "../../../middlewares/authenticate.js";
import { presentUser } from "../../../presenters/presentUser.js";

/** `GET /api/me`: the signed-in user, or 401 `authentication_required`. */
export function meRouter(deps: { db: Knex; sessions: SessionStore }): Router {
  const router = Router();
  router.get("/", authenticate(deps), (req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.json({ ok: true, data: presentUser(requireAuth(req).user) });
  });
  return router;
}
