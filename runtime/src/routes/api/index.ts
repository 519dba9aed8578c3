import express, { Router } from "express";
import type { Redis } from "ioredis";
import type { Knex } from "knex";
import type { LoginThrottle } from "../../auth/loginThrottle.js";
import type { SessionStore } from "../../auth/sessionStore.js";
import type { Env } from "../../env.js";
import type { WhatsappSettingsStore } from "../../integrations/whatsapp/WhatsappSettingsStore.js";
import { csrfGuard } from "../../middlewares/csrfGuard.js";
import { apiNotFound } from "../../middlewares/errorHandler.js";
import type { QueueRegistry } from "../../queues/index.js";
import type { AccessChangePublisher } from "../../sockets/accessChanges.js";
import type { TenantEventPublisher } from "../../sockets/tenantEvents.js";
import { agentsRouter } from "./agents/index.js";
import { auditRouter } from "./audit/index.js";
import { contactsRouter } from "./contacts/index.js";
import { conversationsRouter } from "./conversations/index.js";
import { conversationMediaRouter } from "./conversations/media.js";
import { meRouter } from "./me/index.js";
import { queuesRouter } from "./queues/index.js";
import { quickRepliesRouter } from "./quick-replies/index.js";
import { reportsRouter } from "./reports/index.js";
import { rolesRouter } from "./roles/index.js";
import { sessionRouter } from "./session/index.js";
import { whatsappSettingsRouter } from "./settings/whatsapp/index.js";
import { usersRouter } from "./users/index.js";
import { whatsappTemplatesRouter } from "./whatsapp/templates/index.js";

/** Everything under `/api`: JSON in, JSON out, CSRF-guarded. */
export function apiRouter(deps: {
  env: Env;
  db: Knex;
  sessions: SessionStore;
  throttle: LoginThrottle;
  disconnectSession: (sessionKey: string) => void;
  whatsappSettings: WhatsappSettingsStore;
  /** Broadcasts to the inbox (through Redis, relayed by the web role). */
  events: TenantEventPublisher;
  redis: Redis;
  /** Producers for jobs queued by requests (outbound WhatsApp messages). */
  queues: QueueRegistry;
  /** Tells every web process when users' access changed (their sockets move rooms). */
  access: AccessChangePublisher;
}): Router {
  const router = Router();
  // File uploads are not JSON: before the JSON CSRF guard, with a guard of their own.
  router.use("/conversations", conversationMediaRouter(deps));
  router.use(csrfGuard({ publicUrl: deps.env.PUBLIC_URL }));
  router.use(express.json({ limit: "100kb" }));
  router.use("/session", sessionRouter(deps));
  router.use("/me", meRouter(deps));
  router.use("/users", usersRouter(deps));
  router.use("/roles", rolesRouter(deps));
  router.use("/reports", reportsRouter(deps));
  router.use("/audit", auditRouter(deps));
  router.use("/contacts", contactsRouter(deps));
  router.use("/quick-replies", quickRepliesRouter(deps));
  router.use("/settings/whatsapp", whatsappSettingsRouter(deps));
  router.use("/whatsapp/templates", whatsappTemplatesRouter(deps));
  router.use("/conversations", conversationsRouter(deps));
  router.use("/agents", agentsRouter(deps));
  router.use("/queues", queuesRouter(deps));
  router.use(apiNotFound);
  return router;
}
