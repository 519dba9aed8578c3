import { type Request, Router } from "express";
import type { Knex } from "knex";
import type { z } from "zod";
import type { SessionStore } from "../../../../auth/sessionStore.js";
import { whatsappTemplateDeleter } from "../../../../commands/whatsappTemplateDeleter.js";
import { whatsappTemplateSubmitter } from "../../../../commands/whatsappTemplateSubmitter.js";
import { whatsappTemplateSyncer } from "../../../../commands/whatsappTemplateSyncer.js";
import { validationError } from "../../../../errors.js";
import type { WhatsappSettingsStore } from "../../../../integrations/whatsapp/WhatsappSettingsStore.js";
import { authenticate, requireAuth } from "../../../../middlewares/authenticate.js";
import { requirePermission } from "../../../../middlewares/requirePermission.js";
import {
  type MessageTemplateRow,
  presentMessageTemplate,
} from "../../../../presenters/presentMessageTemplate.js";
import type { TenantEventPublisher } from "../../../../sockets/tenantEvents.js";
import {
  parseTemplateCreate,
  TemplateDeleteQuerySchema,
  TemplateListQuerySchema,
  TemplateNameParamsSchema,
} from "./schema.js";

/** Parses a query or route parameters, answering 400 `validation_error` naming the field. */
function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join(".") ?? "";
  throw validationError(`Invalid ${field || "request"}: ${issue?.message}`, { field });
}

/** Who did it, for the audit trail. */
function actor(req: Request) {
  return { actorUserId: requireAuth(req).user.id, ip: req.ip, userAgent: req.get("user-agent") };
}

/**
 * `/api/whatsapp/templates`: `templates.view` lists APPROVED templates (the composer's picker);
 * `templates.manage` (admins and managers by default) sees every status and reason, syncs from
 * Meta, creates and submits, and deletes.
 */
export function whatsappTemplatesRouter(deps: {
  db: Knex;
  sessions: SessionStore;
  whatsappSettings: WhatsappSettingsStore;
  events: TenantEventPublisher;
}): Router {
  const router = Router();
  const managers = requirePermission("templates.manage");
  const commandDeps = { db: deps.db, store: deps.whatsappSettings, events: deps.events };
  router.use(authenticate(deps), requirePermission("templates.view", "templates.manage"));

  router.get("/", async (req, res) => {
    const { status } = parse(TemplateListQuerySchema, req.query);
    const query = deps
      .db("message_templates")
      .orderBy([{ column: "name" }, { column: "language" }]);
    // Review states are for those who manage templates; everyone else picks from approved ones.
    if (!requireAuth(req).permissions.has("templates.manage")) query.where({ status: "APPROVED" });
    else if (status !== undefined) query.where({ status });
    const rows = (await query.select()) as MessageTemplateRow[];
    res.json({ ok: true, data: rows.map(presentMessageTemplate) });
  });

  router.post("/sync", managers, async (req, res) => {
    res.json({ ok: true, data: await whatsappTemplateSyncer({ ...commandDeps, ...actor(req) }) });
  });

  router.post("/", managers, async (req, res) => {
    const parsed = parseTemplateCreate(req.body);
    if (!parsed.ok) {
      const [first] = parsed.errors;
      throw validationError(first?.message ?? "Invalid template.", {
        field: first?.field ?? "",
        errors: parsed.errors,
      });
    }
    const template = await whatsappTemplateSubmitter({
      ...commandDeps,
      template: parsed.value,
      ...actor(req),
    });
    res.status(201).json({ ok: true, data: template });
  });

  router.delete("/:name", managers, async (req, res) => {
    const { name } = parse(TemplateNameParamsSchema, req.params);
    const { language, id } = parse(TemplateDeleteQuerySchema, req.query);
    const result = await whatsappTemplateDeleter({
      ...commandDeps,
      name,
      language,
      whatsappTemplateId: id,
      ...actor(req),
    });
    res.json({ ok: true, data: result });
  });
  return router;
}
