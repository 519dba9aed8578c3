import { type Request, Router } from "express";
import type { Knex } from "knex";
import { z } from "zod";
import { type QueueWriteRequest, QueueWriteSchema } from "../../../../contracts/conversations.js";
import type { SessionStore } from "../../../auth/sessionStore.js";
import {
  listQueues,
  queueCreator,
  queueDeleter,
  queueUpdater,
} from "../../../commands/queueEditor.js";
import { validationError } from "../../../errors.js";
import { actorOf, authenticate } from "../../../middlewares/authenticate.js";
import { requirePermission } from "../../../middlewares/requirePermission.js";
import { validate } from "../../../middlewares/validate.js";
import type { AccessChangePublisher } from "../../../sockets/accessChanges.js";

type IdRequest<Body = unknown> = Request<{ id: string }, unknown, Body>;

/** `:id` of a queue route. */
function queueIdOf(req: IdRequest<unknown>): number {
  const parsed = z.coerce.number().int().positive().max(4_294_967_295).safeParse(req.params.id);
  if (!parsed.success) throw validationError("Invalid queue id.", { field: "id" });
  return parsed.data;
}

/**
 * Queues (teams) conversations wait in. Everyone who works the inbox (and user managers) lists
 * them; creating, renaming, changing members and deleting needs `users.manage`. A deleted
 * queue's conversations go back to the general queue.
 */
export function queuesRouter(deps: {
  db: Knex;
  sessions: SessionStore;
  access: AccessChangePublisher;
}): Router {
  const router = Router();
  router.use(authenticate(deps));
  const manage = requirePermission("users.manage");

  router.get(
    "/",
    requirePermission("conversations.viewAssigned", "conversations.viewAll", "users.manage"),
    async (_req, res) => {
      res.setHeader("Cache-Control", "no-store");
      res.json({ ok: true, data: await listQueues(deps.db) });
    },
  );

  router.post(
    "/",
    manage,
    validate(QueueWriteSchema),
    async (req: Request<Record<string, string>, unknown, QueueWriteRequest>, res) => {
      const queue = await queueCreator({ db: deps.db, actor: actorOf(req), input: req.body });
      // Members' open sockets join or leave the queue's room.
      await deps.access.usersChanged(null);
      res.status(201).json({ ok: true, data: queue });
    },
  );

  router.patch(
    "/:id",
    manage,
    validate(QueueWriteSchema),
    async (req: IdRequest<QueueWriteRequest>, res) => {
      const queue = await queueUpdater({
        db: deps.db,
        actor: actorOf(req),
        queueId: queueIdOf(req),
        input: req.body,
      });
      await deps.access.usersChanged(null);
      res.json({ ok: true, data: queue });
    },
  );

  router.delete("/:id", manage, async (req: IdRequest, res) => {
    await queueDeleter({ db: deps.db, actor: actorOf(req), queueId: queueIdOf(req) });
    await deps.access.usersChanged(null);
    res.json({ ok: true, data: null });
  });

  return router;
}
