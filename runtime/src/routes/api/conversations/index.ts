import { type Request, Router } from "express";
import type { Redis } from "ioredis";
import type { Knex } from "knex";
import { z } from "zod";
import {
  ConversationListQuerySchema,
  MessagePageQuerySchema,
} from "../../../../contracts/conversations.js";
import {
  type SendMessageRequest,
  SendMessageSchema,
} from "../../../../contracts/outbound-messages.js";
import type { SessionStore } from "../../../auth/sessionStore.js";
import { listConversations, readThread } from "../../../commands/conversationReader.js";
import { whatsappMessageSender } from "../../../commands/whatsappMessageSender.js";
import { whatsappReadMarker } from "../../../commands/whatsappReadMarker.js";
import type { Env } from "../../../env.js";
import { validationError } from "../../../errors.js";
import type { WhatsappSettingsStore } from "../../../integrations/whatsapp/WhatsappSettingsStore.js";
import { authenticate, requireAuth } from "../../../middlewares/authenticate.js";
import { requirePermission } from "../../../middlewares/requirePermission.js";
import { parseQuery, validate } from "../../../middlewares/validate.js";
import type { QueueRegistry } from "../../../queues/index.js";
import { scheduleWhatsappSend } from "../../../queues/tasks/SendWhatsappMessageTask.js";
import type { TenantEventPublisher } from "../../../sockets/tenantEvents.js";

/** `:id` of a conversation route. */
export function conversationIdOf(req: Request): number {
  const parsed = z.coerce.number().int().positive().max(4_294_967_295).safeParse(req.params.id);
  if (!parsed.success) throw validationError("Invalid conversation id.", { field: "id" });
  return parsed.data;
}

/**
 * Conversations. Reading (`conversations.viewAssigned` or `.viewAll`): `GET /` the list (view,
 * status, search, keyset pages) and `GET /:id/messages` a thread page. Writing
 * (`messages.send`); per-conversation visibility goes through `assertMaySeeConversation`: `POST /:id/messages` (send; 201, or 200 when the `clientKey` was
 * seen before), `POST /:id/read` and `POST /:id/typing` (read receipt / typing indicator on
 * WhatsApp). Uploads (`POST /:id/media`) live in `media.ts`: they are not JSON.
 */
export function conversationsRouter(deps: {
  env: Env;
  db: Knex;
  redis: Redis;
  sessions: SessionStore;
  queues: QueueRegistry;
  events: TenantEventPublisher;
  whatsappSettings: WhatsappSettingsStore;
}): Router {
  const router = Router();
  router.use(authenticate(deps));
  const readers = requirePermission("conversations.viewAssigned", "conversations.viewAll");
  const writers = requirePermission("messages.send");

  router.get("/", readers, async (req, res) => {
    const query = parseQuery(ConversationListQuerySchema, req);
    const page = await listConversations(deps.db, requireAuth(req), query);
    res.setHeader("Cache-Control", "no-store");
    res.json({ ok: true, data: page });
  });

  router.get("/:id/messages", readers, async (req, res) => {
    const query = parseQuery(MessagePageQuerySchema, req);
    const page = await readThread(deps.db, requireAuth(req), conversationIdOf(req), query);
    res.setHeader("Cache-Control", "no-store");
    res.json({ ok: true, data: page });
  });

  router.post(
    "/:id/messages",
    writers,
    validate(SendMessageSchema),
    async (req: Request<{ id: string }, unknown, SendMessageRequest>, res) => {
      const result = await whatsappMessageSender({
        db: deps.db,
        settings: deps.whatsappSettings,
        auth: requireAuth(req),
        conversationId: conversationIdOf(req),
        input: req.body,
        schedule: (messageId) => scheduleWhatsappSend(deps.queues, messageId),
        announce: (message, contactId) =>
          deps.events.publish("message:created", { message, contactId }).catch(() => {}),
      });
      res.status(result.created ? 201 : 200).json({ ok: true, data: result.message });
    },
  );

  for (const action of ["read", "typing"] as const) {
    router.post(`/:id/${action}`, writers, async (req, res) => {
      const data = await whatsappReadMarker({
        db: deps.db,
        redis: deps.redis,
        redisPrefix: deps.env.REDIS_PREFIX,
        settings: deps.whatsappSettings,
        auth: requireAuth(req),
        conversationId: conversationIdOf(req),
        typing: action === "typing",
      });
      res.json({ ok: true, data });
    });
  }
  return router;
}
