import type { JobsOptions } from "bullmq";
import type { Knex } from "knex";
import { z } from "zod";
import type { ConsentSettings } from "../../commands/consentRecorder.js";
import { announceConversationChange } from "../../commands/conversationChangeAnnouncer.js";
import {
  type ProcessedEvents,
  recordEventFailure,
  whatsappEventProcessor,
} from "../../commands/whatsappEventProcessor.js";
import { announceTemplateChanges } from "../../commands/whatsappTemplateSyncer.js";
import type { PersonalData } from "../../crypto/personalData.js";
import type { Logger } from "../../logger.js";
import type {
  TenantEventData,
  TenantEventName,
  TenantEventPublisher,
} from "../../sockets/tenantEvents.js";
import type { QueueRegistry } from "../index.js";
import { BaseTask } from "./base/BaseTask.js";
import type { DownloadWhatsappMediaTask } from "./DownloadWhatsappMediaTask.js";
import { scheduleWhatsappSend } from "./SendWhatsappMessageTask.js";

/** Job data: keys of stored webhook events (never payloads or secrets). */
const ProcessWhatsappEventsSchema = z.object({
  eventKeys: z.array(z.string().min(1).max(191)).min(1).max(1_000),
});

/** Props of `ProcessWhatsappEventsTask`. */
export type ProcessWhatsappEventsProps = z.infer<typeof ProcessWhatsappEventsSchema>;

const PROCESS_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: "exponential", delay: 2_000 },
};

/**
 * Queues processing of stored webhook events from the web role, which has no task instances:
 * the same job name, data and options as `ProcessWhatsappEventsTask.schedule`.
 */
export async function scheduleWhatsappEvents(
  queues: QueueRegistry,
  eventKeys: string[],
): Promise<void> {
  const queue = queues.get("whatsapp-inbound");
  for (let start = 0; start < eventKeys.length; start += 1_000) {
    const props = ProcessWhatsappEventsSchema.parse({
      eventKeys: eventKeys.slice(start, start + 1_000),
    });
    await queue.add(ProcessWhatsappEventsTask.name, props, PROCESS_JOB_OPTIONS);
  }
}

/**
 * Processes stored webhook events (one delivery's, or many gathered by the web role's
 * `EnqueueBatcher`; see `whatsappEventProcessor`), then broadcasts `message:created` (after
 * `conversation:changed` when a message created or reopened a conversation),
 * `message:statusChanged` and `template:statusChanged`, and queues media downloads. A failing
 * event is recorded on its inbox row and the job retries, skipping those already done.
 */
export class ProcessWhatsappEventsTask extends BaseTask<ProcessWhatsappEventsProps> {
  readonly queueName = "whatsapp-inbound" as const;
  readonly schema = ProcessWhatsappEventsSchema;
  private readonly deps: {
    db: Knex;
    reopenHours: number;
    /** Mask CPF, CNPJ and card numbers in stored text. */
    maskSensitiveNumbers?: boolean;
    /** How consent is asked (LGPD). */
    consent?: ConsentSettings;
    /** Contacts' identifiers at rest (sealed, found by keyed hash). */
    personalData: PersonalData;
    events: TenantEventPublisher;
    queues: QueueRegistry;
    mediaTask: Pick<DownloadWhatsappMediaTask, "schedule">;
    logger: Logger;
  };

  constructor(deps: ProcessWhatsappEventsTask["deps"]) {
    super();
    this.deps = deps;
  }

  override get options(): JobsOptions {
    return PROCESS_JOB_OPTIONS;
  }

  override async perform(props: ProcessWhatsappEventsProps): Promise<void> {
    const outcome = await this.processAndAnnounce(props.eventKeys);
    // The job retries; the events processed now are skipped then.
    if (outcome.failed.length > 0) throw outcome.failed[0]?.error;
  }

  /**
   * Processes the events and announces what they did; failures are recorded on their inbox
   * rows and returned (the job retries them; the web role's inline processing queues them).
   */
  async processAndAnnounce(eventKeys: readonly string[]): Promise<ProcessedEvents> {
    const { db, events, logger } = this.deps;
    const outcome = await whatsappEventProcessor({
      db,
      eventKeys,
      reopenHours: this.deps.reopenHours,
      personalData: this.deps.personalData,
      maskSensitiveNumbers: this.deps.maskSensitiveNumbers === true,
      ...(this.deps.consent === undefined ? {} : { consent: this.deps.consent }),
    });
    for (const { eventKey, error } of outcome.failed) {
      logger.warn({ err: error, eventKey }, "webhook event processing failed");
      await recordEventFailure(db, eventKey, error).catch(() => {});
    }

    // A conversation's change goes out before its messages (the list must know the row first).
    for (const { conversationChange } of outcome.processed) {
      if (conversationChange === undefined) continue;
      await announceConversationChange(this.deps, {
        ...conversationChange,
        by: null,
        previousAssignedUserId: null,
      });
    }
    // Not awaited one by one: commands on one Redis connection keep their order, and a batch of
    // hundreds should not wait for hundreds of round trips.
    const publish = <E extends TenantEventName>(event: E, data: TenantEventData<E>) =>
      events.publish(event, data).catch((error: unknown) => {
        logger.warn({ err: error }, `${event} not published`);
      });
    const sideEffects: Array<Promise<unknown>> = [];
    for (const result of outcome.processed) {
      if (result.createdMessage !== undefined) {
        sideEffects.push(publish("message:created", result.createdMessage));
      }
      for (const system of result.systemMessages ?? []) {
        sideEffects.push(publish("message:created", system));
        // If Redis is away now, RequeueWhatsappSendsTask picks the queued message up.
        sideEffects.push(
          scheduleWhatsappSend(this.deps.queues, system.message.id).catch((error: unknown) => {
            logger.warn({ err: error }, "system message not queued yet");
          }),
        );
      }
      if (result.statusChanged !== undefined) {
        sideEffects.push(publish("message:statusChanged", result.statusChanged));
      }
      if (result.contactChanged !== undefined) {
        sideEffects.push(publish("contact:changed", result.contactChanged));
      }
      if (result.mediaMessageId !== undefined) {
        sideEffects.push(
          this.deps.mediaTask.schedule(this.deps.queues, { messageId: result.mediaMessageId }),
        );
      }
    }
    const templateChanges = outcome.processed.flatMap((result) => result.templateChange ?? []);
    sideEffects.push(announceTemplateChanges({ db, events, logger }, templateChanges));
    await Promise.all(sideEffects);
    return outcome;
  }
}
