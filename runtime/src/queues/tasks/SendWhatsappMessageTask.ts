import { readFile } from "node:fs/promises";
import path from "node:path";
import { DelayedError, type Job, type JobsOptions, UnrecoverableError } from "bullmq";
import type { Redis } from "ioredis";
import type { Knex } from "knex";
import { z } from "zod";
import { type DeliveryStatus, STATUS_RANK } from "../../../contracts/messages.js";
import type { FailureReason } from "../../../contracts/whatsapp-failures.js";
import { assertConsentAllowsSend } from "../../commands/consentRecorder.js";
import { windowOpen } from "../../commands/whatsappMessageSender.js";
import type { PersonalData } from "../../crypto/personalData.js";
import { AppError } from "../../errors.js";
import {
  classifyGraphFailure,
  GraphApiError,
  type GraphTarget,
  graphRequest,
} from "../../integrations/whatsapp/graphApi.js";
import {
  graphMessageBody,
  type StoredOutboundRequest,
  sendCallbackData,
} from "../../integrations/whatsapp/outboundMessage.js";
import type { PacingRule, SendPacer } from "../../integrations/whatsapp/sendPacer.js";
import type { WhatsappSettingsStore } from "../../integrations/whatsapp/WhatsappSettingsStore.js";
import type { Logger } from "../../logger.js";
import type { TenantEventPublisher } from "../../sockets/tenantEvents.js";
import type { QueueRegistry } from "../index.js";
import { BaseTask } from "./base/BaseTask.js";

/** Job data: the message id only (the text, recipient and token stay in the database). */
const SendWhatsappMessageSchema = z.object({ messageId: z.number().int().positive() });

/** Props of `SendWhatsappMessageTask`. */
export type SendWhatsappMessageProps = z.infer<typeof SendWhatsappMessageSchema>;

/** Attempts per message: the first plus five retries (retryable failures only). */
export const SEND_ATTEMPTS = 6;

function jobOptions(messageId: number): JobsOptions {
  return {
    // One job per message: a re-queue (idempotent replay) while one exists is a no-op.
    jobId: `send-${messageId}`,
    attempts: SEND_ATTEMPTS,
    backoff: { type: "whatsappSend" },
  };
}

/**
 * Queues a send from the web role, which has no task instances: the same job name, data and
 * options as `SendWhatsappMessageTask.schedule`.
 */
export async function scheduleWhatsappSend(
  queues: QueueRegistry,
  messageId: number,
): Promise<void> {
  const props = SendWhatsappMessageSchema.parse({ messageId });
  await queues
    .get("whatsapp-outbound")
    .add(SendWhatsappMessageTask.name, props, jobOptions(messageId));
}

interface SendRow {
  id: number;
  conversation_id: number;
  direction: "inbound" | "outbound";
  wamid: string | null;
  type: string;
  status: string | null;
  origin: "agent" | "automatic" | "system" | null;
  outbound_request: StoredOutboundRequest | string | null;
  last_inbound_at: Date | null;
  contact_id: number;
  wa_id_sealed: string | null;
  whatsapp_user_id_sealed: string | null;
  media_path: string | null;
  media_whatsapp_id: string | null;
  media_mime_type: string | null;
  media_filename: string | null;
}

/** How long an earlier unsent message of the same conversation holds later ones back. */
const ORDERING_HORIZON_MS = 10 * 60_000;
/** How long a send whose outcome is unknown (the worker died mid-call) blocks a resend. */
const IN_FLIGHT_MS = 60_000;

/**
 * Sends one stored outbound message to Meta (protocols.md A4) and records the outcome:
 * - never twice: skipped once the message has a wamid (stored as soon as Meta answers); a send
 *   whose outcome is unknown (worker died mid-call) waits for Meta's status, which names the row
 *   through `biz_opaque_callback_data`, before trying again;
 * - in order: waits while an earlier message of the same conversation is unsent;
 * - the 24-hour window is checked again (it may have closed while queued) → failed
 *   `window_closed`, never sent;
 * - paced per recipient (Meta's pair rate) by postponing itself without spending an attempt,
 *   and per number (`WHATSAPP_SEND_RATE_PER_SECOND`, evenly spaced just before each call);
 * - uploaded files go to `/{phone-number-id}/media` first, their Meta id kept for retries;
 * - retryable Graph failures (rate limits, 5xx, network) retry with exponential backoff;
 *   others fail at once with a reason; either way the browser hears `message:statusChanged`.
 */
export class SendWhatsappMessageTask extends BaseTask<SendWhatsappMessageProps> {
  readonly queueName = "whatsapp-outbound" as const;
  readonly schema = SendWhatsappMessageSchema;
  private readonly deps: {
    db: Knex;
    redis: Redis;
    redisPrefix: string;
    settings: WhatsappSettingsStore;
    /** Opens the recipient's sealed number or BSUID. */
    personalData: PersonalData;
    events: TenantEventPublisher;
    pacer: SendPacer;
    /** Meta's pair rate to one customer (env WHATSAPP_RECIPIENT_*). */
    recipientPacing: PacingRule;
    mediaDir: string;
    /** Sends per second for the number (env WHATSAPP_SEND_RATE_PER_SECOND). */
    ratePerSecond: number;
    logger: Logger;
    /** First retry delay; doubles each attempt (tests shorten it). */
    retryDelayMs?: number;
  };

  constructor(deps: SendWhatsappMessageTask["deps"]) {
    super();
    this.deps = deps;
  }

  override async schedule(queues: QueueRegistry, props: SendWhatsappMessageProps): Promise<void> {
    await scheduleWhatsappSend(queues, props.messageId);
  }

  override get workerOptions() {
    const base = this.deps.retryDelayMs ?? 2_000;
    return {
      // Enough parallel Graph calls to reach the rate limit at ~250 ms per call.
      concurrency: Math.min(50, Math.max(5, Math.ceil(this.deps.ratePerSecond / 4))),
      settings: {
        backoffStrategy: (attemptsMade: number, _type?: string, error?: Error) => {
          // Meta asks for at least 6 s after a pair-rate refusal (131056).
          const floor = error instanceof GraphApiError && error.code === 131056 ? 3 * base : 0;
          return Math.max(floor, base * 2 ** Math.max(0, attemptsMade - 1));
        },
      },
    };
  }

  override async perform(
    props: SendWhatsappMessageProps,
    running?: { job: Job; token: string | undefined },
  ): Promise<void> {
    const { db } = this.deps;
    const row = await this.load(props.messageId);
    if (row === undefined || row.direction !== "outbound") return;
    // Meta has it already (or it failed for good): never send twice.
    if (row.wamid !== null || (row.status !== "queued" && row.status !== "sending")) return;
    const request =
      typeof row.outbound_request === "string"
        ? (JSON.parse(row.outbound_request) as StoredOutboundRequest)
        : row.outbound_request;
    if (request === null) {
      await this.fail(row, "unknown", null, "no outbound request stored");
      return;
    }

    const earlier = await db("messages")
      .where({ conversation_id: row.conversation_id, direction: "outbound" })
      .whereIn("status", ["queued", "sending"])
      .where("id", "<", row.id)
      .where("created_at", ">", new Date(Date.now() - ORDERING_HORIZON_MS))
      .first("id");
    if (earlier !== undefined) return this.postpone(running, 250);

    if (request.message.type !== "template" && !windowOpen(row.last_inbound_at)) {
      await this.fail(row, "window_closed", null, "the 24-hour window closed while queued");
      return;
    }
    // Consent may have been withdrawn (SAIR) while the message waited in the queue.
    try {
      await assertConsentAllowsSend(db, {
        contactId: row.contact_id,
        conversationId: row.conversation_id,
        messageType: request.message.type,
        origin: row.origin ?? "agent",
      });
    } catch (error) {
      if (!(error instanceof AppError) || error.id !== "consent_revoked") throw error;
      await this.fail(row, "consent_revoked", null, "consent withdrawn while queued");
      return;
    }
    const settings = await this.deps.settings.get();
    if (settings === undefined || settings.accessToken === null) {
      await this.fail(row, "token_invalid", null, "WhatsApp is not configured");
      return;
    }
    const inFlightKey = `${this.deps.redisPrefix}:send-in-flight:${row.id}`;
    const inFlightMs = await this.deps.redis.pttl(inFlightKey);
    if (inFlightMs > 0) return this.postpone(running, inFlightMs + 100);

    // Keyed by contact id: a phone number in a Redis key would outlive an erasure (LGPD).
    const wait = await this.deps.pacer.reserve(
      `recipient:contact-${row.contact_id}`,
      this.deps.recipientPacing,
    );
    if (wait > 0) return this.postpone(running, wait);
    // The number's throughput, right before the call (job start times would not do: the work
    // before the call varies). Evenly spaced, so no sliding second holds more than the rate.
    await this.deps.pacer.take(`number:${settings.phoneNumberId}`, {
      burst: 1,
      // 10 % under the limit: Meta counts on arrival, and arrival times jitter.
      intervalMs: 1_100 / this.deps.ratePerSecond,
    });

    await db("messages")
      .where({ id: row.id })
      .whereNull("wamid")
      .update({ status: "sending", send_attempts: db.raw("send_attempts + 1") });
    if (row.status === "queued") await this.announce(row, "sending", null, null);

    const target: GraphTarget = {
      graphApiBaseUrl: settings.graphApiBaseUrl,
      graphApiVersion: settings.graphApiVersion,
      accessToken: settings.accessToken,
    };
    const phonePath = `/${encodeURIComponent(settings.phoneNumberId)}`;
    try {
      const mediaId = await this.uploadIfNeeded(row, target, phonePath);
      const body = graphMessageBody(
        request,
        {
          waId: this.deps.personalData.open("contacts.wa_id", row.wa_id_sealed),
          userId: this.deps.personalData.open(
            "contacts.whatsapp_user_id",
            row.whatsapp_user_id_sealed,
          ),
        },
        { mediaId, callbackData: sendCallbackData(row.id) },
      );
      await this.deps.redis.set(inFlightKey, "1", "PX", IN_FLIGHT_MS);
      let answer: { messages?: Array<{ id?: unknown }> };
      try {
        answer = await graphRequest(target, "POST", `${phonePath}/messages`, body);
      } catch (error) {
        // Meta answered (or never got it): the outcome is known, a retry may go. After a
        // timeout Meta may have accepted it: the marker stays, so the retry waits for a status.
        if (!(error instanceof GraphApiError && error.reason === "timeout")) {
          await this.deps.redis.del(inFlightKey);
        }
        throw error;
      }
      const wamid = answer.messages?.[0]?.id;
      if (typeof wamid !== "string" || wamid === "") {
        await this.deps.redis.del(inFlightKey);
        await this.fail(row, "unknown", null, "Meta accepted the message without a message id");
        return;
      }
      await this.accepted(row, wamid);
      await this.deps.redis.del(inFlightKey);
    } catch (error) {
      if (!(error instanceof GraphApiError)) throw error;
      const attemptsMade = running?.job.attemptsMade ?? 0;
      const last = !error.retryable || attemptsMade + 1 >= (running?.job.opts.attempts ?? 1);
      if (last) {
        await this.fail(row, error.reason, error.code ?? null, error.message);
        throw new UnrecoverableError(error.message);
      }
      await db("messages")
        .where({ id: row.id })
        .whereNull("wamid")
        .update({ error_code: error.code ?? null, error_details: error.message.slice(0, 1000) });
      throw error;
    }
  }

  override async onFailed(props: SendWhatsappMessageProps, error: Error): Promise<void> {
    // Failures other than Graph's (database, Redis, a bug): still tell the agent.
    const row = await this.load(props.messageId);
    if (row === undefined || row.wamid !== null) return;
    if (row.status !== "queued" && row.status !== "sending") return;
    await this.fail(row, "unknown", null, error.message);
  }

  private async load(messageId: number): Promise<SendRow | undefined> {
    return (await this.deps
      .db("messages as m")
      .join("conversations as c", "c.id", "m.conversation_id")
      .join("contacts as ct", "ct.id", "c.contact_id")
      .leftJoin("message_media as mm", "mm.message_id", "m.id")
      .where("m.id", messageId)
      .first(
        "m.id",
        "m.conversation_id",
        "m.direction",
        "m.wamid",
        "m.type",
        "m.status",
        "m.origin",
        "m.outbound_request",
        "c.last_inbound_at",
        "c.contact_id",
        "ct.wa_id_sealed",
        "ct.whatsapp_user_id_sealed",
        "mm.path as media_path",
        "mm.whatsapp_media_id as media_whatsapp_id",
        "mm.mime_type as media_mime_type",
        "mm.filename as media_filename",
      )) as SendRow | undefined;
  }

  /** Moves the job back to the delayed set without spending an attempt. */
  private async postpone(
    running: { job: Job; token: string | undefined } | undefined,
    delayMs: number,
  ): Promise<void> {
    if (running === undefined) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return;
    }
    await running.job.moveToDelayed(Date.now() + Math.max(1, Math.ceil(delayMs)), running.token);
    throw new DelayedError();
  }

  /** Uploads an agent's file to Meta once; its media id is kept for retries (30-day life). */
  private async uploadIfNeeded(
    row: SendRow,
    target: GraphTarget,
    phonePath: string,
  ): Promise<string | null> {
    if (row.media_path === null) return null;
    if (row.media_whatsapp_id !== null) return row.media_whatsapp_id;
    const bytes = await readFile(path.join(this.deps.mediaDir, row.media_path));
    const mimeType = row.media_mime_type ?? "application/octet-stream";
    const form = new FormData();
    form.set("messaging_product", "whatsapp");
    form.set("type", mimeType);
    form.set(
      "file",
      new Blob([bytes], { type: mimeType }),
      row.media_filename ?? path.basename(row.media_path),
    );
    const answer = await graphRequest<{ id?: unknown }>(
      target,
      "POST",
      `${phonePath}/media`,
      form,
      {
        timeoutMs: 120_000,
      },
    );
    if (typeof answer.id !== "string" || answer.id === "") {
      throw new GraphApiError({
        message: "Graph media upload answered without an id",
        status: 200,
        reason: "media_unavailable",
        retryable: false,
      });
    }
    await this.deps
      .db("message_media")
      .where({ message_id: row.id })
      .update({ whatsapp_media_id: answer.id });
    return answer.id;
  }

  /**
   * Stores the wamid at once (never sent twice from here on) as `accepted`, then applies any
   * status Meta reported before this answer (A3.3: statuses may beat the POST's response).
   */
  private async accepted(row: SendRow, wamid: string): Promise<void> {
    const { db } = this.deps;
    await db("messages").where({ id: row.id }).whereNull("wamid").update({
      wamid,
      status: "accepted",
      status_rank: STATUS_RANK.accepted,
      failure_reason: null,
      error_code: null,
      error_details: null,
      // Meta has it: the request (the text as typed, unmasked) is not needed for a resend.
      outbound_request: null,
    });
    const early = (await db("message_statuses").where({ wamid }).first()) as
      | {
          status: DeliveryStatus;
          status_rank: number;
          error_code: number | null;
          error_title: string | null;
          error_details: string | null;
        }
      | undefined;
    if (early !== undefined && early.status_rank > STATUS_RANK.accepted) {
      const reason =
        early.status === "failed"
          ? classifyGraphFailure(400, early.error_code ?? undefined).reason
          : null;
      await db("messages")
        .where({ id: row.id })
        .where("status_rank", "<", early.status_rank)
        .update({
          status: early.status,
          status_rank: early.status_rank,
          failure_reason: reason,
          ...(early.status === "failed"
            ? {
                error_code: early.error_code,
                error_title: early.error_title,
                error_details: early.error_details,
              }
            : {}),
        });
    }
    // Announce what is stored: a status webhook may have moved the row further meanwhile.
    const stored = (await db("messages")
      .where({ id: row.id })
      .first("wamid", "status", "failure_reason")) as {
      wamid: string | null;
      status: DeliveryStatus;
      failure_reason: FailureReason | null;
    };
    await this.announce(row, stored.status, stored.failure_reason, stored.wamid ?? wamid);
  }

  /** Marks the message failed (never sent) with a reason and tells the browser. */
  private async fail(
    row: SendRow,
    reason: FailureReason,
    code: number | null,
    details: string,
  ): Promise<void> {
    const changed = await this.deps
      .db("messages")
      .where({ id: row.id })
      .whereNull("wamid")
      .whereIn("status", ["queued", "sending"])
      .update({
        status: "failed",
        status_rank: STATUS_RANK.failed,
        failure_reason: reason,
        error_code: code,
        error_details: details.slice(0, 1000),
      });
    if (changed === 0) return;
    this.deps.logger.warn({ messageId: row.id, reason, code }, "whatsapp message not sent");
    await this.announce(row, "failed", reason, null);
  }

  private async announce(
    row: SendRow,
    status: DeliveryStatus,
    failureReason: FailureReason | null,
    wamid: string | null,
  ): Promise<void> {
    await this.deps.events
      .publish("message:statusChanged", {
        messageId: row.id,
        conversationId: row.conversation_id,
        wamid,
        status,
        failureReason,
      })
      .catch((error: unknown) => {
        this.deps.logger.warn({ err: error }, "message:statusChanged not published");
      });
  }
}
