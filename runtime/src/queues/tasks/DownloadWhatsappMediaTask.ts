import { type JobsOptions, UnrecoverableError } from "bullmq";
import type { Knex } from "knex";
import { z } from "zod";
import type { MediaKind, MediaStatus } from "../../../contracts/messages.js";
import { downloadMedia, MediaDownloadError } from "../../integrations/whatsapp/mediaDownloader.js";
import type { WhatsappSettingsStore } from "../../integrations/whatsapp/WhatsappSettingsStore.js";
import type { Logger } from "../../logger.js";
import type { TenantEventPublisher } from "../../sockets/tenantEvents.js";
import { BaseTask } from "./base/BaseTask.js";

const DownloadWhatsappMediaSchema = z.object({ messageId: z.number().int().positive() });

/** Props of `DownloadWhatsappMediaTask`. */
export type DownloadWhatsappMediaProps = z.infer<typeof DownloadWhatsappMediaSchema>;

interface MediaRow {
  message_id: number;
  whatsapp_media_id: string;
  kind: MediaKind;
  status: "pending" | "ready" | "failed";
}

/**
 * Downloads an inbound message's media into MEDIA_DIR (the tenant's media volume). Transient
 * failures (network, 5xx, an expired URL) retry with backoff, each asking Graph for a fresh URL;
 * refusals (too large, wrong type, unknown media, revoked token) fail at once. Either way the
 * final state is visible on `message_media`: `ready` with the file, or `failed` with a reason,
 * and announced as `message:mediaChanged` so open threads show the file without asking again.
 */
export class DownloadWhatsappMediaTask extends BaseTask<DownloadWhatsappMediaProps> {
  readonly queueName = "whatsapp-media" as const;
  readonly schema = DownloadWhatsappMediaSchema;
  private readonly deps: {
    db: Knex;
    settings: WhatsappSettingsStore;
    mediaDir: string;
    events: TenantEventPublisher;
    logger: Logger;
    /** First retry delay; doubles each attempt. */
    retryDelayMs?: number;
  };

  constructor(deps: DownloadWhatsappMediaTask["deps"]) {
    super();
    this.deps = deps;
  }

  override get options(): JobsOptions {
    return {
      attempts: 4,
      backoff: { type: "exponential", delay: this.deps.retryDelayMs ?? 5_000 },
    };
  }

  override async perform(props: DownloadWhatsappMediaProps): Promise<void> {
    const { db } = this.deps;
    const media = (await db("message_media").where({ message_id: props.messageId }).first()) as
      | MediaRow
      | undefined;
    if (media === undefined || media.status !== "pending") return;
    const settings = await this.deps.settings.load();
    if (settings?.accessToken == null) {
      throw new UnrecoverableError("WhatsApp access token is not configured");
    }
    try {
      const file = await downloadMedia({
        graphApiBaseUrl: settings.graphApiBaseUrl,
        graphApiVersion: settings.graphApiVersion,
        accessToken: settings.accessToken,
        phoneNumberId: settings.phoneNumberId,
        mediaId: media.whatsapp_media_id,
        kind: media.kind,
        mediaDir: this.deps.mediaDir,
        name: String(props.messageId),
      });
      await db("message_media")
        .where({ message_id: props.messageId })
        .update({
          status: "ready",
          path: file.path,
          mime_type: file.mimeType,
          size_bytes: file.sizeBytes,
          error: null,
          attempts: db.raw("attempts + 1"),
        });
      await this.announce(props.messageId);
    } catch (error) {
      const reason = error instanceof Error ? error.message : "media download failed";
      await db("message_media")
        .where({ message_id: props.messageId })
        .update({ error: reason.slice(0, 500), attempts: db.raw("attempts + 1") });
      if (error instanceof MediaDownloadError && !error.retryable)
        throw new UnrecoverableError(reason);
      throw error;
    }
  }

  override async onFailed(props: DownloadWhatsappMediaProps, error: Error): Promise<void> {
    const changed = await this.deps
      .db("message_media")
      .where({ message_id: props.messageId, status: "pending" })
      .update({ status: "failed", error: error.message.slice(0, 500) });
    this.deps.logger.warn(
      { messageId: props.messageId, reason: error.message },
      "media download failed",
    );
    if (changed > 0) await this.announce(props.messageId);
  }

  /** Publishes the media's settled state; a lost broadcast only delays the file until a reload. */
  private async announce(messageId: number): Promise<void> {
    try {
      const row = (await this.deps
        .db("message_media as mm")
        .join("messages as m", "m.id", "mm.message_id")
        .where("mm.message_id", messageId)
        .first("m.conversation_id", "mm.status", "mm.mime_type", "mm.size_bytes", "mm.error")) as
        | {
            conversation_id: number;
            status: MediaStatus;
            mime_type: string | null;
            size_bytes: number | string | null;
            error: string | null;
          }
        | undefined;
      if (row === undefined) return;
      await this.deps.events.publish("message:mediaChanged", {
        messageId,
        conversationId: row.conversation_id,
        media: {
          status: row.status,
          mimeType: row.mime_type,
          sizeBytes: row.size_bytes === null ? null : Number(row.size_bytes),
          error: row.error,
        },
      });
    } catch (error) {
      this.deps.logger.warn({ err: error, messageId }, "message:mediaChanged not published");
    }
  }
}
