import { type Request, Router } from "express";
import type { Knex } from "knex";
import { z } from "zod";
import { type ContactEraseRequest, ContactEraseSchema } from "../../../../contracts/privacy.js";
import type { SessionStore } from "../../../auth/sessionStore.js";
import { contactEraser, contactExporter } from "../../../commands/contactPrivacy.js";
import type { Env } from "../../../env.js";
import { actorOf, authenticate } from "../../../middlewares/authenticate.js";
import { requirePermission } from "../../../middlewares/requirePermission.js";
import { validate } from "../../../middlewares/validate.js";

const IdParamsSchema = z.object({ id: z.coerce.number().int().positive() });
type IdRequest<Body = unknown> = Request<{ id: string }, unknown, Body>;

/**
 * A data subject's rights (LGPD): `GET /api/contacts/:id/export` (permission `contacts.export`)
 * downloads everything held about the person as JSON; `POST /api/contacts/:id/erase`
 * (permission `contacts.erase`, the id repeated as confirmation) erases them irreversibly.
 */
export function contactsRouter(deps: { env: Env; db: Knex; sessions: SessionStore }): Router {
  const router = Router();
  router.use(authenticate(deps));

  router.get(
    "/:id/export",
    requirePermission("contacts.export"),
    validate(IdParamsSchema, "params"),
    async (req: IdRequest, res) => {
      const contactId = Number(req.params.id);
      const document = await contactExporter({ db: deps.db, actor: actorOf(req), contactId });
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
        mediaDir: deps.env.MEDIA_DIR,
        actor: actorOf(req),
        contactId: Number(req.params.id),
        input: req.body,
      });
      res.json({ ok: true, data: result });
    },
  );

  return router;
}
