import { type Request, Router } from "express";
import type { Knex } from "knex";
import { z } from "zod";
import {
  type QuickReplyWriteRequest,
  QuickReplyWriteSchema,
} from "../../../../contracts/contacts.js";
import type { SessionStore } from "../../../auth/sessionStore.js";
import {
  listQuickReplies,
  quickReplyCreator,
  quickReplyDeleter,
  quickReplyUpdater,
} from "../../../commands/quickReplyEditor.js";
import { actorOf, authenticate } from "../../../middlewares/authenticate.js";
import { requirePermission } from "../../../middlewares/requirePermission.js";
import { validate } from "../../../middlewares/validate.js";

const IdParamsSchema = z.object({ id: z.coerce.number().int().positive().max(4_294_967_295) });
type IdRequest<Body = unknown> = Request<{ id: string }, unknown, Body>;

/**
 * Quick replies: `GET /api/quick-replies` for everyone who sends messages (`messages.send`);
 * `POST /`, `PATCH /:id` (the whole reply: shortcut, title, body) and `DELETE /:id` with
 * `settings.general`. A shortcut already in use answers 409 `conflict`.
 */
export function quickRepliesRouter(deps: { db: Knex; sessions: SessionStore }): Router {
  const router = Router();
  router.use(authenticate(deps));
  const manage = requirePermission("settings.general");

  router.get("/", requirePermission("messages.send"), async (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.json({ ok: true, data: await listQuickReplies(deps.db) });
  });

  router.post(
    "/",
    manage,
    validate(QuickReplyWriteSchema),
    async (req: Request<Record<string, string>, unknown, QuickReplyWriteRequest>, res) => {
      const reply = await quickReplyCreator({ db: deps.db, actor: actorOf(req), input: req.body });
      res.status(201).json({ ok: true, data: reply });
    },
  );

  router.patch(
    "/:id",
    manage,
    validate(IdParamsSchema, "params"),
    validate(QuickReplyWriteSchema),
    async (req: IdRequest<QuickReplyWriteRequest>, res) => {
      const reply = await quickReplyUpdater({
        db: deps.db,
        actor: actorOf(req),
        id: Number(req.params.id),
        input: req.body,
      });
      res.json({ ok: true, data: reply });
    },
  );

  router.delete("/:id", manage, validate(IdParamsSchema, "params"), async (req: IdRequest, res) => {
    await quickReplyDeleter({ db: deps.db, actor: actorOf(req), id: Number(req.params.id) });
    res.json({ ok: true, data: null });
  });

  return router;
}
