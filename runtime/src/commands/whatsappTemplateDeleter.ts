import type { Knex } from "knex";
import type { TemplateDeletePayload } from "../../contracts/templates.js";
import { notFound, validationError } from "../errors.js";
import { GraphApiError } from "../integrations/whatsapp/graphApi.js";
import {
  deleteRemoteTemplate,
  requireWabaTarget,
  templateRequestFailed,
} from "../integrations/whatsapp/templates/templateGraph.js";
import type { WhatsappSettingsStore } from "../integrations/whatsapp/WhatsappSettingsStore.js";
import type { Logger } from "../logger.js";
import { ActivityLogEntry } from "../models/ActivityLogEntry.js";
import type { MessageTemplateRow } from "../presenters/presentMessageTemplate.js";
import type { TenantEventPublisher } from "../sockets/tenantEvents.js";
import { announceTemplateChanges } from "./whatsappTemplateSyncer.js";

/** Props of `whatsappTemplateDeleter`. */
export interface WhatsappTemplateDeleterProps {
  db: Knex;
  store: WhatsappSettingsStore;
  name: string;
  /** Only this language's template (found locally by name and language). */
  language?: string | undefined;
  /** Only this template (Meta's id). */
  whatsappTemplateId?: string | undefined;
  events?: TenantEventPublisher | undefined;
  logger?: Logger | undefined;
  actorUserId: number | null;
  ip?: string | undefined;
  userAgent?: string | undefined;
}

// Meta's subcode for "no template with this name".
const NOT_FOUND_SUBCODE = 2593002;

/**
 * Deletes a template at Meta: every language of the name, or one (by language or id, sent as
 * `hsm_id`). Meta keeps listing deleted templates as PENDING_DELETION for a while (the name
 * cannot be reused meanwhile), so the local rows take that status rather than vanishing; a
 * later sync removes them when Meta stops listing them.
 * @throws not_found when no such template is known here or at Meta
 */
export async function whatsappTemplateDeleter(
  props: WhatsappTemplateDeleterProps,
): Promise<TemplateDeletePayload> {
  const waba = await requireWabaTarget(props.store);
  const query = props.db("message_templates").where({ name: props.name });
  if (props.language !== undefined) query.andWhere({ language: props.language });
  if (props.whatsappTemplateId !== undefined) {
    query.andWhere({ whatsapp_template_id: props.whatsappTemplateId });
  }
  const rows = (await query.select("id", "whatsapp_template_id", "status")) as Array<
    Pick<MessageTemplateRow, "id" | "whatsapp_template_id" | "status">
  >;
  const oneTemplate = props.language !== undefined || props.whatsappTemplateId !== undefined;
  if (oneTemplate && rows.length === 0) throw notFound("template");
  if (oneTemplate && rows.length > 1) {
    throw validationError("Several templates match; give the template id.", { field: "id" });
  }
  const hsmId = oneTemplate ? rows[0]?.whatsapp_template_id : undefined;

  try {
    await deleteRemoteTemplate(waba, props.name, hsmId);
  } catch (error) {
    if (!(error instanceof GraphApiError)) throw error;
    if (error.subcode === NOT_FOUND_SUBCODE) throw notFound("template");
    throw templateRequestFailed(error, "delete the template");
  }

  const changed = rows.filter((row) => row.status !== "PENDING_DELETION");
  await props.db.transaction(async (trx) => {
    if (changed.length > 0) {
      await trx("message_templates")
        .whereIn(
          "id",
          changed.map((row) => row.id),
        )
        .update({ status: "PENDING_DELETION", reason: null, status_updated_at: trx.fn.now(3) });
    }
    await ActivityLogEntry.record(trx, {
      action: "whatsappTemplates.delete",
      actorUserId: props.actorUserId,
      ip: props.ip ?? null,
      userAgent: props.userAgent ?? null,
      data: {
        name: props.name,
        language: props.language ?? null,
        whatsappTemplateId: hsmId ?? null,
        deleted: changed.length,
      },
    });
  });
  await announceTemplateChanges(
    props,
    changed.map((row) => ({ id: row.id, previousStatus: row.status })),
  );
  return { deleted: changed.length };
}
