import { type Request, Router } from "express";
import type { Redis } from "ioredis";
import type { Knex } from "knex";
import { z } from "zod";
import { type ContactUpdateRequest, ContactUpdateSchema } from "../../../../contracts/contacts.js";
import { type ContactEraseRequest, ContactEraseSchema } from "../../../../contracts/privacy.js";
import type { SessionStore } from "../../../auth/sessionStore.js";
import { contactPanelReader, contactUpdater } from "../../../commands/contactPanel.js";
import { contactEraser, contactExporter } from "../../../commands/contactPrivacy.js";
import { recordPersonalDataView } from "../../../commands/personalDataViewRecorder.js";
import { personalDataFor } from "../../../crypto/personalData.js";
import type { Env } from "../../../env.js";
import { actorOf, authenticate, requireAuth } from "../../../middlewares/authenticate.js";
import { requirePermission } from "../../../middlewares/requirePermission.js";
import { validate } from "../../../middlewares/validate.js";
import type { QueueRegistry } from "../../../queues/index.js";
import { EventJournal } from "../../../sockets/eventJournal.js";
import { conversationOfEvent } from "../../../sockets/tenantEvents.js";

const IdParamsSchema = z.object({ id: z.coerce.number().int().positive().max(4_294_967_295) });
type IdRequest<Body = unknown> = Request<{ id: string }, unknown, Body>;

/**
 * Contacts. The panel: `GET /api/contacts/:id` (permission `contacts.view`) and
 * `PATCH /api/contacts/:id` (`contacts.edit`: name, tags), both only for a contact of a
 * conversation the user may see (else 404).
 * A data subject's rights (LGPD): `GET /api/contacts/:id/export` (permission `contacts.export`)
 * downloads everything held about the person as JSON; `POST /api/contacts/:id/erase`
 * (permission `contacts.erase`, the id repeated as confirmation) erases them irreversibly.
 */
export function contactsRouter(deps: {
  env: Env;
  db: Knex;
  sessions: SessionStore;
  queues: QueueRegistry;
  redis: Redis;
}): Router {
  const router = Router();
  router.use(authenticate(deps));
  const personalData = personalDataFor(deps.env.ENCRYPTION_KEY);
  const journal = new EventJournal({ redis: deps.redis, env: deps.env });

  router.get(
    "/:id",
    requirePermission("contacts.view"),
    validate(IdParamsSchema, "params"),
    async (req: IdRequest, res) => {
      const panel = await contactPanelReader({
        db: deps.db,
        personalData,
        viewer: requireAuth(req),
        contactId: Number(req.params.id),
      });
      await recordPersonalDataView(
        { db: deps.db, redis: deps.redis, redisPrefix: deps.env.REDIS_PREFIX },
        { actor: actorOf(req), subject: "contact", id: panel.id },
      );
      res.setHeader("Cache-Control", "no-store");
      res.json({ ok: true, data: panel });
    },
  );

  router.patch(
    "/:id",
    requirePermission("contacts.edit"),
    validate(IdParamsSchema, "params"),
    validate(ContactUpdateSchema),
    async (req: IdRequest<ContactUpdateRequest>, res) => {
      const panel = await contactUpdater({
        db: deps.db,
        personalData,
        viewer: requireAuth(req),
        actor: actorOf(req),
        contactId: Number(req.params.id),
        input: req.body,
      });
      res.json({ ok: true, data: panel });
    },
  );

  router.get(
    "/:id/export",
    requirePermission("contacts.export"),
    validate(IdParamsSchema, "params"),
    async (req: IdRequest, res) => {
      const contactId = Number(req.params.id);
      const document = await contactExporter({
        db: deps.db,
        personalData,
        actor: actorOf(req),
        contactId,
      });
      res.setHeader("Cache-Control", "no-store");
      res.setHeader("Content-Disposition", `attachment; filename="contact-${contactId}.json"`);
      res.json({ ok: true, data: document });
    },
  );

  router.post(
    "/:id/erase",
    requirePermission("contacts.erase"),
    validate(IdParamsSchema, "params"),
    validate(ContactEraseSchema),
    async (req: IdRequest<ContactEraseRequest>, res) => {
      const result = await contactEraser({
        db: deps.db,
        personalData,
        mediaDir: deps.env.MEDIA_DIR,
        actor: actorOf(req),
        contactId: Number(req.params.id),
        input: req.body,
        // Processed webhook jobs keep their event keys (`m:<wamid>`) for a while.
        forgetJobsMentioning: (wamids) =>
          deps.queues.forgetFinishedJobsMentioning("whatsapp-inbound", wamids),
        // The catch-up journal keeps recent events (texts, names) for a couple of hours.
        forgetEventsOf: (conversationIds) =>
          journal.forgetConversations(conversationIds, (entry) =>
            conversationOfEvent(entry.event, entry.envelope.data),
          ),
      });
      res.json({ ok: true, data: result });
    },
  );

  return router;
}
