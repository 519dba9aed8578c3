import type { JobsOptions } from "bullmq";
import type { Knex } from "knex";
import { z } from "zod";
import type { ConsentSettings } from "../../commands/consentRecorder.js";
import { announceConversationChange } from "../../commands/conversationChangeAnnouncer.js";
import {
  recordEventFailure,
  whatsappEventProcessor,
} from "../../commands/whatsappEventProcessor.js";
import { announceTemplateChanges } from "../../commands/whatsappTemplateSyncer.js";
import type { PersonalData } from "../../crypto/personalData.js";
import type { Logger } from "../../logger.js";
import type { TenantEventPublisher } from "../../sockets/tenantEvents.js";
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
 * Processes the events one webhook delivery stored (see `whatsappEventProcessor`), then
 * broadcasts `message:created` (with `conversation:changed` when a message created or reopened a
 * conversation, and `template:statusChanged`) and queues media downloads. Each event commits on its own; a
 * failing one is recorded on its inbox row and the job retries, skipping those already done.
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
    mediaTask: DownloadWhatsappMediaTask;
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
    let firstError: unknown;
    for (const eventKey of props.eventKeys) {
      try {
        const result = await whatsappEventProcessor({
          db: this.deps.db,
          eventKey,
          reopenHours: this.deps.reopenHours,
          personalData: this.deps.personalData,
          maskSensitiveNumbers: this.deps.maskSensitiveNumbers === true,
          ...(this.deps.consent === undefined ? {} : { consent: this.deps.consent }),
        });
        if (result.conversationChange !== undefined) {
          await announceConversationChange(this.deps, {
            ...result.conversationChange,
            by: null,
            previousAssignedUserId: null,
          });
        }
        if (result.createdMessage !== undefined) {
          await this.deps.events
            .publish("message:created", result.createdMessage)
            .catch((error: unknown) => {
              this.deps.logger.warn({ err: error }, "message:created not published");
            });
        }
        for (const system of result.systemMessages ?? []) {
          await this.deps.events.publish("message:created", system).catch((error: unknown) => {
            this.deps.logger.warn({ err: error }, "message:created not published");
          });
          // If Redis is away now, RequeueWhatsappSendsTask picks the queued message up.
          await scheduleWhatsappSend(this.deps.queues, system.message.id).catch(
            (error: unknown) => {
              this.deps.logger.warn({ err: error }, "system message not queued yet");
            },
          );
        }
        if (result.templateChange !== undefined) {
          await announceTemplateChanges(
            { db: this.deps.db, events: this.deps.events, logger: this.deps.logger },
            [result.templateChange],
          );
        }
        if (result.statusChanged !== undefined) {
          await this.deps.events
            .publish("message:statusChanged", result.statusChanged)
            .catch((error: unknown) => {
              this.deps.logger.warn({ err: error }, "message:statusChanged not published");
            });
        }
        if (result.mediaMessageId !== undefined) {
          await this.deps.mediaTask.schedule(this.deps.queues, {
            messageId: result.mediaMessageId,
          });
        }
      } catch (error) {
        firstError ??= error;
        this.deps.logger.warn({ err: error, eventKey }, "webhook event processing failed");
        await recordEventFailure(this.deps.db, eventKey, error).catch(() => {});
      }
    }
    if (firstError !== undefined) throw firstError;
  }
}
