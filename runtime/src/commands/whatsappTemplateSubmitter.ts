import type { Knex } from "knex";
import type { MessageTemplatePayload, TemplateCreateRequest } from "../../contracts/templates.js";
import { validationError } from "../errors.js";
import { GraphApiError } from "../integrations/whatsapp/graphApi.js";
import {
  createRemoteTemplate,
  graphDetails,
  requireWabaTarget,
  templateRequestFailed,
} from "../integrations/whatsapp/templates/templateGraph.js";
import type { WhatsappSettingsStore } from "../integrations/whatsapp/WhatsappSettingsStore.js";
import type { Logger } from "../logger.js";
import { ActivityLogEntry } from "../models/ActivityLogEntry.js";
import {
  type MessageTemplateRow,
  presentMessageTemplate,
} from "../presenters/presentMessageTemplate.js";
import type { TenantEventPublisher } from "../sockets/tenantEvents.js";
import { announceTemplateChanges } from "./whatsappTemplateSyncer.js";

/** Props of `whatsappTemplateSubmitter`. */
export interface WhatsappTemplateSubmitterProps {
  db: Knex;
  store: WhatsappSettingsStore;
  /** Already checked against Meta's rules (`parseTemplateCreate`). */
  template: TemplateCreateRequest;
  events?: TenantEventPublisher | undefined;
  logger?: Logger | undefined;
  actorUserId: number | null;
  ip?: string | undefined;
  userAgent?: string | undefined;
}

// Meta's subcodes for a name that is taken in this language or still being deleted.
const NAME_TAKEN_SUBCODES = new Set([2388023, 2388024]);

/**
 * Submits a new template to Meta for review and stores it (normally PENDING) with its components.
 * A status webhook may beat the answer here; its status then stands and only the content is
 * added. Meta's refusals of the content come back as `validation_error` (the name when it is
 * taken), anything else as `whatsapp_request_failed`.
 */
export async function whatsappTemplateSubmitter(
  props: WhatsappTemplateSubmitterProps,
): Promise<MessageTemplatePayload> {
  const waba = await requireWabaTarget(props.store);
  const { template } = props;
  let created: Awaited<ReturnType<typeof createRemoteTemplate>>;
  try {
    created = await createRemoteTemplate(waba, template);
  } catch (error) {
    if (!(error instanceof GraphApiError)) throw error;
    if (
      error.code === 100 &&
      error.subcode !== undefined &&
      NAME_TAKEN_SUBCODES.has(error.subcode)
    ) {
      const message = `A template named ${template.name} already exists in ${template.language} or is being deleted: ${graphDetails(error)}`;
      throw validationError(message, {
        field: "name",
        errors: [{ field: "name", rule: "template_exists", message }],
      });
    }
    if (error.code === 100 || error.reason === "template_invalid") {
      const message = `WhatsApp refused the template: ${graphDetails(error)}`;
      throw validationError(message, {
        field: "components",
        errors: [{ field: "components", rule: "invalid", message }],
      });
    }
    throw templateRequestFailed(error, "create the template");
  }

  const content = {
    name: template.name,
    language: template.language,
    category: created.category ?? template.category,
    components: JSON.stringify(template.components),
  };
  const { id, previousStatus } = await props.db.transaction(async (trx) => {
    const existing = (await trx("message_templates")
      .where({ whatsapp_template_id: created.id })
      .forUpdate()
      .first("id", "status")) as Pick<MessageTemplateRow, "id" | "status"> | undefined;
    if (existing !== undefined) {
      await trx("message_templates").where({ id: existing.id }).update(content);
    }
    const [insertedId] =
      existing === undefined
        ? await trx("message_templates").insert({
            whatsapp_template_id: created.id,
            ...content,
            status: created.status ?? "PENDING",
            reason: null,
            status_updated_at: null,
          })
        : [existing.id];
    await ActivityLogEntry.record(trx, {
      action: "whatsappTemplates.create",
      actorUserId: props.actorUserId,
      ip: props.ip ?? null,
      userAgent: props.userAgent ?? null,
      data: {
        name: template.name,
        language: template.language,
        category: template.category,
        whatsappTemplateId: created.id,
      },
    });
    if (insertedId === undefined) throw new Error("template row not stored");
    return { id: insertedId, previousStatus: existing?.status ?? null };
  });

  const row = (await props.db("message_templates").where({ id }).first()) as MessageTemplateRow;
  if (previousStatus === null) await announceTemplateChanges(props, [{ id, previousStatus }]);
  return presentMessageTemplate(row);
}
