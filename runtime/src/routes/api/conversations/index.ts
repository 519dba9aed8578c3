import { type Request, type Response, Router } from "express";
import type { Redis } from "ioredis";
import type { Knex } from "knex";
import { z } from "zod";
import {
  type ConversationAssignRequest,
  ConversationAssignSchema,
  ConversationListQuerySchema,
  type ConversationNoteCreateRequest,
  ConversationNoteCreateSchema,
  type ConversationStatusChangeRequest,
  ConversationStatusChangeSchema,
  MessagePageQuerySchema,
} from "../../../../contracts/conversations.js";
import {
  type SendMessageRequest,
  SendMessageSchema,
} from "../../../../contracts/outbound-messages.js";
import type { SessionStore } from "../../../auth/sessionStore.js";
import { conversationAssigner } from "../../../commands/conversationAssigner.js";
import {
  announceConversationChange,
  type ConversationChange,
} from "../../../commands/conversationChangeAnnouncer.js";
import { conversationClaimer } from "../../../commands/conversationClaimer.js";
import {
  conversationNoteCreator,
  listConversationNotes,
} from "../../../commands/conversationNotes.js";
import {
  listConversations,
  loadConversationSummary,
  readConversation,
  readThread,
} from "../../../commands/conversationReader.js";
import { conversationStatusChanger } from "../../../commands/conversationStatusChanger.js";
import { recordPersonalDataView } from "../../../commands/personalDataViewRecorder.js";
import { whatsappMessageSender } from "../../../commands/whatsappMessageSender.js";
import { whatsappReadMarker } from "../../../commands/whatsappReadMarker.js";
import { personalDataFor } from "../../../crypto/personalData.js";
import type { Env } from "../../../env.js";
import { notFound, validationError } from "../../../errors.js";
import type { WhatsappSettingsStore } from "../../../integrations/whatsapp/WhatsappSettingsStore.js";
import { actorOf, authenticate, requireAuth } from "../../../middlewares/authenticate.js";
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

/** Query of `GET /api/conversations/:id/notes`: oldest first, after a note id (keyset). */
const NotePageQuerySchema = z
  .object({
    after: z.coerce.number().int().positive().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(200),
  })
  .strict();

/**
 * Conversations. Reading (`conversations.viewAssigned` or `.viewAll`): `GET /` the list (view,
 * status, search, keyset pages), `GET /:id` one conversation, `GET /:id/messages` a thread page
 * and `GET /:id/notes` its private notes. Working on one (`messages.send`): `POST /:id/claim`
 * (take it; 409 naming who was first), `POST /:id/status` (resolve, reopen, pending) and
 * `POST /:id/notes`; `POST /:id/assign` transfers or releases it (`conversations.assign`, or the
 * agent holding it). Each change answers the conversation as the list shows it and publishes
 * `conversation:changed` (notes: `note:created`). Messages (`messages.send`): `POST /:id/messages`
 * (send; 201, or 200 when the `clientKey` was seen before), `POST /:id/read` and
 * `POST /:id/typing` (read receipt / typing indicator on WhatsApp). Per-conversation visibility
 * goes through `conversationAccess.ts` (404 for what the user may not see). Uploads
 * (`POST /:id/media`) live in `media.ts`: they are not JSON.
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
  const personalData = personalDataFor(deps.env.ENCRYPTION_KEY);
  const readers = requirePermission("conversations.viewAssigned", "conversations.viewAll");
  const writers = requirePermission("messages.send");

  router.get("/", readers, async (req, res) => {
    const query = parseQuery(ConversationListQuerySchema, req);
    const page = await listConversations(deps.db, requireAuth(req), query, personalData);
    res.setHeader("Cache-Control", "no-store");
    res.json({ ok: true, data: page });
  });

  router.get("/:id/messages", readers, async (req, res) => {
    const query = parseQuery(MessagePageQuerySchema, req);
    const conversationId = conversationIdOf(req);
    const page = await readThread(deps.db, requireAuth(req), conversationId, query);
    await recordPersonalDataView(
      { db: deps.db, redis: deps.redis, redisPrefix: deps.env.REDIS_PREFIX },
      { actor: actorOf(req), subject: "conversation", id: conversationId },
    );
    res.setHeader("Cache-Control", "no-store");
    res.json({ ok: true, data: page });
  });

  router.get("/:id", readers, async (req, res) => {
    const conversation = await readConversation(
      deps.db,
      requireAuth(req),
      conversationIdOf(req),
      personalData,
    );
    res.setHeader("Cache-Control", "no-store");
    res.json({ ok: true, data: conversation });
  });

  /** Publishes the change (when there was one) and answers the conversation as it is now. */
  const answerChange = async (
    req: Request,
    res: Response,
    conversationId: number,
    change: Omit<ConversationChange, "conversationId" | "by"> | undefined,
  ) => {
    const auth = requireAuth(req);
    const announced =
      change === undefined
        ? undefined
        : await announceConversationChange(
            { ...deps, personalData },
            {
              ...change,
              conversationId,
              by: { id: auth.user.id, name: auth.user.name },
            },
          );
    // Unchecked on purpose: a user who just transferred a conversation away no longer sees it,
    // yet must learn how it ended up.
    const conversation =
      announced ?? (await loadConversationSummary(deps.db, conversationId, personalData));
    if (conversation === undefined) throw notFound("conversation");
    res.json({ ok: true, data: conversation });
  };

  router.post("/:id/claim", writers, async (req, res) => {
    const conversationId = conversationIdOf(req);
    const claimed = await conversationClaimer({
      db: deps.db,
      auth: requireAuth(req),
      actor: actorOf(req),
      conversationId,
    });
    await answerChange(
      req,
      res,
      conversationId,
      claimed ? { change: "assigned", previousAssignedUserId: null } : undefined,
    );
  });

  router.post(
    "/:id/assign",
    requirePermission(
      "conversations.assign",
      "conversations.viewAssigned",
      "conversations.viewAll",
    ),
    validate(ConversationAssignSchema),
    async (req: Request<{ id: string }, unknown, ConversationAssignRequest>, res) => {
      const conversationId = conversationIdOf(req);
      const outcome = await conversationAssigner({
        db: deps.db,
        auth: requireAuth(req),
        actor: actorOf(req),
        conversationId,
        input: req.body,
      });
      const change =
        outcome.change === undefined
          ? undefined
          : { change: outcome.change, previousAssignedUserId: outcome.previousAssignedUserId };
      await answerChange(req, res, conversationId, change);
    },
  );

  router.post(
    "/:id/status",
    writers,
    validate(ConversationStatusChangeSchema),
    async (req: Request<{ id: string }, unknown, ConversationStatusChangeRequest>, res) => {
      const conversationId = conversationIdOf(req);
      const outcome = await conversationStatusChanger({
        db: deps.db,
        auth: requireAuth(req),
        actor: actorOf(req),
        conversationId,
        status: req.body.status,
      });
      await answerChange(
        req,
        res,
        conversationId,
        outcome.changed
          ? { change: "status", previousAssignedUserId: outcome.assignedUserId }
          : undefined,
      );
    },
  );

  router.get("/:id/notes", readers, async (req, res) => {
    const page = parseQuery(NotePageQuerySchema, req);
    const notes = await listConversationNotes(
      deps.db,
      requireAuth(req),
      conversationIdOf(req),
      page,
    );
    res.setHeader("Cache-Control", "no-store");
    res.json({ ok: true, data: notes });
  });

  router.post(
    "/:id/notes",
    writers,
    validate(ConversationNoteCreateSchema),
    async (req: Request<{ id: string }, unknown, ConversationNoteCreateRequest>, res) => {
      const note = await conversationNoteCreator({
        db: deps.db,
        auth: requireAuth(req),
        conversationId: conversationIdOf(req),
        body: req.body.body,
      });
      await deps.events.publish("note:created", { note }).catch(() => {});
      res.status(201).json({ ok: true, data: note });
    },
  );

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
        maskSensitiveNumbers: deps.env.MASK_SENSITIVE_NUMBERS,
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
