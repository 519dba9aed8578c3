import express, { Router } from "express";
import type { Knex } from "knex";
import type { SessionStore } from "../../auth/sessionStore.js";
import type { Env } from "../../env.js";
import type { WhatsappSettingsStore } from "../../integrations/whatsapp/WhatsappSettingsStore.js";
import { csrfGuard } from "../../middlewares/csrfGuard.js";
import { apiNotFound } from "../../middlewares/errorHandler.js";
import { meRouter } from "./me/index.js";
import { sessionRouter } from "./session/index.js";
import { whatsappSettingsRouter } from "./settings/whatsapp/index.js";

/** Everything under `/api`: JSON in, JSON out, CSRF-guarded. */
export function apiRouter(deps: {
  env: Env;
  db: Knex;
  sessions: SessionStore;
  disconnectSession: (sessionKey: string) => void;
  whatsappSettings: WhatsappSettingsStore;
}): Router {
  const router = Router();
  router.use(csrfGuard({ publicUrl: deps.env.PUBLIC_URL }));
  router.use(express.json({ limit: "100kb" }));
  router.use("/session", sessionRouter(deps));
  router.use("/me", meRouter(deps));
  router.use("/settings/whatsapp", whatsappSettingsRouter(deps));
  router.use(apiNotFound);
  return router;
}
