import { type Request, Router } from "express";
import type { Knex } from "knex";
import type { SessionStore } from "../../../../auth/sessionStore.js";
import { whatsappConnectionTester } from "../../../../commands/whatsappConnectionTester.js";
import { whatsappSettingsUpdater } from "../../../../commands/whatsappSettingsUpdater.js";
import type { Env } from "../../../../env.js";
import type { WhatsappSettingsStore } from "../../../../integrations/whatsapp/WhatsappSettingsStore.js";
import { authenticate, requireAuth } from "../../../../middlewares/authenticate.js";
import { requirePermission } from "../../../../middlewares/requirePermission.js";
import { validate } from "../../../../middlewares/validate.js";
import { presentWhatsappSettings } from "../../../../presenters/presentWhatsappSettings.js";
import { type WhatsappSettingsUpdateRequest, WhatsappSettingsUpdateSchema } from "./schema.js";

/**
 * `GET /api/settings/whatsapp`, `PUT /api/settings/whatsapp` and
 * `POST /api/settings/whatsapp/test`, for admins only. Secrets go in and never come back in clear.
 */
export function whatsappSettingsRouter(deps: {
  env: Env;
  db: Knex;
  sessions: SessionStore;
  whatsappSettings: WhatsappSettingsStore;
}): Router {
  const router = Router();
  router.use(authenticate(deps), requirePermission("settings.whatsapp"));

  router.get("/", async (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    const settings = await deps.whatsappSettings.load();
    res.json({ ok: true, data: presentWhatsappSettings(settings, deps.env.PUBLIC_URL) });
  });

  router.put(
    "/",
    validate(WhatsappSettingsUpdateSchema),
    async (req: Request<Record<string, string>, unknown, WhatsappSettingsUpdateRequest>, res) => {
      const settings = await whatsappSettingsUpdater({
        db: deps.db,
        store: deps.whatsappSettings,
        input: req.body,
        actorUserId: requireAuth(req).user.id,
        ip: req.ip,
        userAgent: req.get("user-agent"),
      });
      res.setHeader("Cache-Control", "no-store");
      res.json({ ok: true, data: presentWhatsappSettings(settings, deps.env.PUBLIC_URL) });
    },
  );
  // "Test connection": 200 whatever Graph says; the result says whether it worked and why not.
  router.post("/test", async (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.json({ ok: true, data: await whatsappConnectionTester({ store: deps.whatsappSettings }) });
  });
  return router;
}
