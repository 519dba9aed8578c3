import { unlink } from "node:fs/promises";
import path from "node:path";
import type { Knex } from "knex";
import { z } from "zod";
import { activityLogPruner } from "../../commands/activityLogPruner.js";
import { IDENTIFIERS_ERASED } from "../../commands/contactPrivacy.js";
import type { Logger } from "../../logger.js";
import { BaseTask } from "./base/BaseTask.js";

/** What the tenant keeps of an old conversation: nothing (`delete`) or anonymous counts. */
export type RetentionMode = "delete" | "anonymise";

/** Shown in place of anonymised content (the inbox is in Portuguese). */
export const RETENTION_PLACEHOLDER = "Conteúdo removido pela política de retenção";

/** Conversations handled per batch; each batch is a few short statements, never one transaction. */
const CONVERSATION_BATCH = 100;
/** Rows per UPDATE/DELETE statement. */
const ROW_CHUNK = 500;

/** What one run did, for the log line (counts only, never content). */
export interface RetentionCounts {
  conversations: number;
  messages: number;
  mediaFiles: number;
  contacts: number;
  inboxEvents: number;
}

interface MediaFileRow {
  path: string | null;
}

/**
 * Applies the tenant's data retention (issue 5 §5): conversations whose last message is older
 * than `RETENTION_MONTHS` are deleted (messages, statuses, media files, and contacts left without
 * conversations) or anonymised (content replaced by a placeholder, media files removed, contacts
 * stripped of names and numbers; dates, direction and type stay for counts). Processed webhook
 * events older than the cut-off go in both modes: they hold the raw content.
 *
 * Batched and idempotent: files are removed before the rows that point at them, so a crash half
 * way leaves work the next run finishes, never an orphaned file. Runs daily and once at worker
 * start; without `RETENTION_MONTHS` it does nothing.
 */
export class ApplyRetentionTask extends BaseTask<Record<string, never>> {
  readonly queueName = "housekeeping" as const;
  readonly schema = z.object({}).strict() as unknown as z.ZodType<Record<string, never>>;
  private readonly deps: {
    db: Knex;
    mediaDir: string;
    logger: Logger;
    months: number | undefined;
    mode: RetentionMode;
    /** Audit-trail retention in days (runs whatever `months` is). */
    auditDays: number;
    /** The clock (tests pass a fixed one). */
    now?: () => Date;
  };

  constructor(deps: ApplyRetentionTask["deps"]) {
    super();
    this.deps = deps;
  }

  override async perform(): Promise<void> {
    await this.apply();
    const now = this.deps.now?.() ?? new Date();
    const auditEntries = await activityLogPruner({
      db: this.deps.db,
      days: this.deps.auditDays,
      now,
    });
    if (auditEntries > 0) {
      this.deps.logger.info({ auditEntries, days: this.deps.auditDays }, "old activity log pruned");
    }
  }

  /** One full pass; resolves with what it did (undefined when retention is off). */
  async apply(): Promise<RetentionCounts | undefined> {
    const { months, mode, logger } = this.deps;
    if (months === undefined) return undefined;
    const cutoff = monthsBefore(this.deps.now?.() ?? new Date(), months);
    const schema = await this.optionalSchema();
    const counts: RetentionCounts = {
      conversations: 0,
      messages: 0,
      mediaFiles: 0,
      contacts: 0,
      inboxEvents: 0,
    };
    let afterId = 0;
    for (;;) {
      const ids = await this.oldConversations(cutoff, afterId);
      if (ids.length === 0) break;
      afterId = ids[ids.length - 1] ?? afterId;
      if (mode === "delete") await this.deleteConversations(ids, cutoff, schema, counts);
      else await this.anonymiseConversations(ids, cutoff, schema, counts);
    }
    if (mode === "anonymise") await this.anonymiseContacts(cutoff, counts);
    counts.inboxEvents = await this.deleteInboxEvents(cutoff);
    logger.info({ mode, months, cutoff: cutoff.toISOString(), ...counts }, "retention applied");
    return counts;
  }

  /** Ids of conversations with no message (and no opening) at or after the cut-off, in id order. */
  private async oldConversations(cutoff: Date, afterId: number): Promise<number[]> {
    const { db } = this.deps;
    const query = db("conversations as c")
      .where("c.id", ">", afterId)
      .andWhereRaw("COALESCE(c.last_message_at, c.opened_at) < ?", [cutoff])
      .whereNotExists(
        db("messages as m")
          .whereRaw("m.conversation_id = c.id")
          .andWhere("m.sent_at", ">=", cutoff),
      )
      .orderBy("c.id")
      .limit(CONVERSATION_BATCH)
      .select("c.id");
    if (this.deps.mode === "anonymise") {
      // Already anonymised conversations are skipped, so a daily run stays cheap.
      query.where((pending) => {
        pending
          .whereExists(
            db("messages as m")
              .whereRaw("m.conversation_id = c.id")
              .andWhere((open) => {
                open.whereNull("m.text").orWhere("m.text", "<>", RETENTION_PLACEHOLDER);
              }),
          )
          .orWhereExists(
            db("messages as m")
              .join("message_media as mm", "mm.message_id", "m.id")
              .whereRaw("m.conversation_id = c.id")
              .andWhere((media) => {
                media.whereNotNull("mm.path").orWhere("mm.status", "pending");
              }),
          );
      });
    }
    return ((await query) as Array<{ id: number }>).map((row) => row.id);
  }

  private async deleteConversations(
    ids: number[],
    cutoff: Date,
    schema: OptionalSchema,
    counts: RetentionCounts,
  ): Promise<void> {
    const { db } = this.deps;
    const contactIds = (
      (await db("conversations").whereIn("id", ids).distinct("contact_id")) as Array<{
        contact_id: number;
      }>
    ).map((row) => row.contact_id);
    counts.mediaFiles += await this.removeFiles(
      db("message_media as mm")
        .join("messages as m", "m.id", "mm.message_id")
        .whereIn("m.conversation_id", ids)
        .andWhere("m.sent_at", "<", cutoff)
        .whereNotNull("mm.path")
        .select("mm.path"),
    );
    if (schema.outboundMedia) {
      counts.mediaFiles += await this.removeFiles(
        db("outbound_media")
          .whereIn("conversation_id", ids)
          .andWhere("created_at", "<", cutoff)
          .select("path"),
      );
    }
    for (;;) {
      const messages = (await db("messages")
        .whereIn("conversation_id", ids)
        .andWhere("sent_at", "<", cutoff)
        .orderBy("id")
        .limit(ROW_CHUNK)
        .select("id", "wamid")) as Array<{ id: number; wamid: string | null }>;
      if (messages.length === 0) break;
      const wamids = messages.flatMap((message) => (message.wamid ? [message.wamid] : []));
      if (wamids.length > 0) await db("message_statuses").whereIn("wamid", wamids).delete();
      // message_media rows go with their message (ON DELETE CASCADE).
      counts.messages += await db("messages")
        .whereIn(
          "id",
          messages.map((message) => message.id),
        )
        .delete();
    }
    // A customer may have written meanwhile: such a conversation (and that message) stays.
    const deletable = db("conversations")
      .whereIn("id", ids)
      .whereNotIn("id", db("messages").whereIn("conversation_id", ids).distinct("conversation_id"));
    if (schema.outboundMedia) {
      // A file an agent is attaching right now keeps its conversation.
      deletable.whereNotIn(
        "id",
        db("outbound_media").where("created_at", ">=", cutoff).select("conversation_id"),
      );
    }
    counts.conversations += await deletable.delete();
    if (contactIds.length > 0) {
      const stillUsed = new Set(
        (
          (await db("conversations")
            .whereIn("contact_id", contactIds)
            .distinct("contact_id")) as Array<{
            contact_id: number;
          }>
        ).map((row) => row.contact_id),
      );
      const unused = contactIds.filter((id) => !stillUsed.has(id));
      if (unused.length > 0) counts.contacts += await db("contacts").whereIn("id", unused).delete();
    }
  }

  private async anonymiseConversations(
    ids: number[],
    cutoff: Date,
    schema: OptionalSchema,
    counts: RetentionCounts,
  ): Promise<void> {
    const { db } = this.deps;
    counts.mediaFiles += await this.removeFiles(
      db("message_media as mm")
        .join("messages as m", "m.id", "mm.message_id")
        .whereIn("m.conversation_id", ids)
        .andWhere("m.sent_at", "<", cutoff)
        .whereNotNull("mm.path")
        .select("mm.path"),
    );
    // Pending downloads are cancelled too: nothing may be fetched for an anonymised message.
    await db("message_media")
      .whereIn(
        "message_id",
        db("messages")
          .whereIn("conversation_id", ids)
          .andWhere("sent_at", "<", cutoff)
          .select("id"),
      )
      .andWhere((media) => {
        media.whereNotNull("path").orWhere("status", "pending").orWhereNotNull("filename");
      })
      .update({
        path: null,
        filename: null,
        sha256: null,
        status: "failed",
        error: RETENTION_PLACEHOLDER,
      });
    if (schema.outboundMedia) {
      counts.mediaFiles += await this.removeFiles(
        db("outbound_media")
          .whereIn("conversation_id", ids)
          .andWhere("created_at", "<", cutoff)
          .select("path"),
      );
      await db("outbound_media")
        .whereIn("conversation_id", ids)
        .andWhere("created_at", "<", cutoff)
        .delete();
    }
    let afterId = 0;
    for (;;) {
      const messages = (await db("messages")
        .whereIn("conversation_id", ids)
        .andWhere("sent_at", "<", cutoff)
        .andWhere("id", ">", afterId)
        .andWhere((open) => {
          open.whereNull("text").orWhere("text", "<>", RETENTION_PLACEHOLDER);
        })
        .orderBy("id")
        .limit(ROW_CHUNK)
        .select("id", "type")) as Array<{ id: number; type: string }>;
      if (messages.length === 0) break;
      afterId = messages[messages.length - 1]?.id ?? afterId;
      // One statement per type keeps the original type in the placeholder content.
      const byType = new Map<string, number[]>();
      for (const message of messages) {
        byType.set(message.type, [...(byType.get(message.type) ?? []), message.id]);
      }
      for (const [type, messageIds] of byType) {
        counts.messages += await db("messages")
          .whereIn("id", messageIds)
          .update({
            text: RETENTION_PLACEHOLDER,
            content: JSON.stringify(placeholderContent(type)),
            error_details: null,
            ...(schema.outboundRequest ? { outbound_request: null } : {}),
          });
      }
    }
    counts.conversations += ids.length;
  }

  /**
   * Strips names and numbers from contacts whose every conversation is past the cut-off (a
   * contact with a recent conversation keeps them: that conversation is still served).
   */
  private async anonymiseContacts(cutoff: Date, counts: RetentionCounts): Promise<void> {
    const { db } = this.deps;
    let afterId = 0;
    for (;;) {
      const ids = (
        (await db("contacts as ct")
          .where("ct.id", ">", afterId)
          .andWhere((identified) => {
            identified
              .whereNotNull("ct.wa_id_hash")
              .orWhereNotNull("ct.wa_id_sealed")
              .orWhereNotNull("ct.whatsapp_user_id_hash")
              .orWhereNotNull("ct.whatsapp_user_id_sealed")
              .orWhereNotNull("ct.name")
              .orWhereNotNull("ct.username_sealed");
          })
          .whereExists(db("conversations as c").whereRaw("c.contact_id = ct.id"))
          .whereNotExists(
            db("conversations as c")
              .whereRaw("c.contact_id = ct.id")
              .andWhere((recent) => {
                recent
                  .whereRaw("COALESCE(c.last_message_at, c.opened_at) >= ?", [cutoff])
                  .orWhereExists(
                    db("messages as m")
                      .whereRaw("m.conversation_id = c.id")
                      .andWhere("m.sent_at", ">=", cutoff),
                  );
              }),
          )
          .orderBy("ct.id")
          .limit(ROW_CHUNK)
          .select("ct.id")) as Array<{ id: number }>
      ).map((row) => row.id);
      if (ids.length === 0) break;
      afterId = ids[ids.length - 1] ?? afterId;
      counts.contacts += await db("contacts").whereIn("id", ids).update(IDENTIFIERS_ERASED);
    }
  }

  /** Processed webhook events past the cut-off (unprocessed ones wait: they are not stored yet). */
  private async deleteInboxEvents(cutoff: Date): Promise<number> {
    const { db } = this.deps;
    let deleted = 0;
    for (;;) {
      const removed = await db("whatsapp_inbox_events")
        .whereNotNull("processed_at")
        .andWhere("received_at", "<", cutoff)
        .limit(ROW_CHUNK * 2)
        .delete();
      deleted += removed;
      if (removed < ROW_CHUNK * 2) return deleted;
    }
  }

  /** Unlinks each file the query names (relative to MEDIA_DIR); a missing file counts as gone. */
  private async removeFiles(query: Knex.QueryBuilder): Promise<number> {
    const rows = (await query) as MediaFileRow[];
    let removed = 0;
    const root = path.resolve(this.deps.mediaDir);
    for (const row of rows) {
      if (row.path === null) continue;
      const file = path.resolve(root, row.path);
      // A path that escapes the media volume is never followed.
      if (!file.startsWith(`${root}${path.sep}`)) {
        this.deps.logger.warn("retention skipped a media path outside MEDIA_DIR");
        continue;
      }
      try {
        await unlink(file);
        removed += 1;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
    }
    return removed;
  }

  private async optionalSchema(): Promise<OptionalSchema> {
    const { db } = this.deps;
    const [outboundMedia, outboundRequest] = await Promise.all([
      db.schema.hasTable("outbound_media"),
      db.schema.hasColumn("messages", "outbound_request"),
    ]);
    return { outboundMedia, outboundRequest };
  }
}

/** Tables and columns later migrations add; retention covers them when they exist. */
interface OptionalSchema {
  outboundMedia: boolean;
  outboundRequest: boolean;
}

/** Render-ready content of an anonymised message: its type survives, nothing it said does. */
export function placeholderContent(type: string) {
  return {
    type: "unsupported" as const,
    originalType: type,
    errorCode: null,
    errorTitle: RETENTION_PLACEHOLDER,
    errorDetails: null,
    body: null,
  };
}

/** The same instant `months` calendar months earlier (UTC; the 31st becomes the month's last day). */
export function monthsBefore(now: Date, months: number): Date {
  const result = new Date(now);
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() - months);
  const lastDay = new Date(
    Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0),
  ).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}
