import type { Knex } from "knex";
import type { TemplateStatusChanged } from "../../contracts/socket-events.js";
import type { TemplateSyncPayload } from "../../contracts/templates.js";
import { GraphApiError } from "../integrations/whatsapp/graphApi.js";
import {
  listRemoteTemplates,
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

/** Props of `whatsappTemplateSyncer`. */
export interface WhatsappTemplateSyncerProps {
  db: Knex;
  store: WhatsappSettingsStore;
  /** Announces status changes to admins and managers; omitted, nothing is announced. */
  events?: TenantEventPublisher | undefined;
  logger?: Logger | undefined;
  actorUserId: number | null;
  ip?: string | undefined;
  userAgent?: string | undefined;
}

/**
 * Pulls every template of the WABA (all pages) into `message_templates`: new ones inserted,
 * known ones updated (status, rejection reason, category, components), and local ones Meta no
 * longer lists removed. Nothing is removed unless the whole listing arrived.
 *
 * Status and webhooks race: a status webhook processed after the listing started is newer than
 * what the listing says, so the sync leaves that status alone; the status it writes is stamped
 * just before the listing's second, so a webhook from that second or later still applies
 * (`message_template_status_update` carries whole seconds).
 * @throws whatsapp_not_configured, whatsapp_request_failed
 */
export async function whatsappTemplateSyncer(
  props: WhatsappTemplateSyncerProps,
): Promise<TemplateSyncPayload> {
  const waba = await requireWabaTarget(props.store);
  const listedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
  const statusStamp = new Date(listedAt.getTime() - 1);
  let listing: Awaited<ReturnType<typeof listRemoteTemplates>>;
  try {
    listing = await listRemoteTemplates(waba);
  } catch (error) {
    if (error instanceof GraphApiError) throw templateRequestFailed(error, "list the templates");
    throw error;
  }
  if (listing.unreadable > 0) {
    props.logger?.warn(
      { unreadable: listing.unreadable },
      "templates in an unreadable shape skipped",
    );
  }

  const changes: Array<{ id: number; previousStatus: string | null }> = [];
  const result = await props.db.transaction(async (trx) => {
    const local = (await trx("message_templates").forUpdate().select()) as MessageTemplateRow[];
    const byRemoteId = new Map(local.map((row) => [row.whatsapp_template_id, row]));
    const seen = new Set<string>();
    let created = 0;
    let updated = 0;
    for (const remote of listing.templates) {
      if (seen.has(remote.id)) continue;
      seen.add(remote.id);
      const reason =
        remote.rejected_reason === undefined ||
        remote.rejected_reason === null ||
        remote.rejected_reason === "NONE"
          ? null
          : remote.rejected_reason;
      const content = {
        name: remote.name,
        language: remote.language,
        category: remote.category ?? null,
        components:
          remote.components === undefined || remote.components === null
            ? null
            : JSON.stringify(remote.components),
      };
      const existing = byRemoteId.get(remote.id);
      if (existing === undefined) {
        const [id] = await trx("message_templates").insert({
          whatsapp_template_id: remote.id,
          ...content,
          status: remote.status,
          reason,
          status_updated_at: statusStamp,
        });
        created += 1;
        if (id !== undefined) changes.push({ id, previousStatus: null });
        continue;
      }
      const webhookIsNewer =
        existing.status_updated_at !== null && existing.status_updated_at >= listedAt;
      const statusChanges =
        !webhookIsNewer && (existing.status !== remote.status || existing.reason !== reason);
      const contentChanges =
        existing.name !== content.name ||
        existing.language !== content.language ||
        existing.category !== content.category ||
        JSON.stringify(componentsOf(existing)) !== (content.components ?? "null");
      if (!statusChanges && !contentChanges) continue;
      await trx("message_templates")
        .where({ id: existing.id })
        .update({
          ...content,
          ...(statusChanges
            ? { status: remote.status, reason, status_updated_at: statusStamp }
            : {}),
        });
      updated += 1;
      if (statusChanges && existing.status !== remote.status) {
        changes.push({ id: existing.id, previousStatus: existing.status });
      }
    }
    const gone = local.filter((row) => !seen.has(row.whatsapp_template_id)).map((row) => row.id);
    if (gone.length > 0) await trx("message_templates").whereIn("id", gone).delete();
    await ActivityLogEntry.record(trx, {
      action: "whatsappTemplates.sync",
      actorUserId: props.actorUserId,
      ip: props.ip ?? null,
      userAgent: props.userAgent ?? null,
      data: { total: seen.size, created, updated, removed: gone.length },
    });
    return { total: seen.size, created, updated, removed: gone.length };
  });

  await announceTemplateChanges(props, changes);
  return result;
}

function componentsOf(row: MessageTemplateRow): unknown {
  if (typeof row.components !== "string") return row.components;
  try {
    return JSON.parse(row.components);
  } catch {
    return null;
  }
}

/**
 * Publishes `template:statusChanged` for each changed template, read back after the commit.
 * A lost announcement only delays the screen until its next load, so failures are logged.
 */
export async function announceTemplateChanges(
  props: { db: Knex; events?: TenantEventPublisher | undefined; logger?: Logger | undefined },
  changes: Array<{ id: number; previousStatus: string | null }>,
): Promise<void> {
  if (props.events === undefined || changes.length === 0) return;
  const rows = (await props
    .db("message_templates")
    .whereIn(
      "id",
      changes.map((change) => change.id),
    )
    .select()) as MessageTemplateRow[];
  for (const row of rows) {
    const previousStatus = changes.find((change) => change.id === row.id)?.previousStatus ?? null;
    const data: TemplateStatusChanged = { template: presentMessageTemplate(row), previousStatus };
    await props.events.publish("template:statusChanged", data).catch((error: unknown) => {
      props.logger?.warn({ err: error }, "template:statusChanged not published");
    });
  }
}
