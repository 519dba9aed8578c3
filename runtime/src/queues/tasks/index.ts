import { consentSettingsFrom } from "../../commands/consentRecorder.js";
import type { Components } from "../../components.js";
import { personalDataFor } from "../../crypto/personalData.js";
import { SendPacer } from "../../integrations/whatsapp/sendPacer.js";
import { WhatsappSettingsStore } from "../../integrations/whatsapp/WhatsappSettingsStore.js";
import { componentLogger } from "../../logger.js";
import type { TenantEventPublisher } from "../../sockets/tenantEvents.js";
import type { QueueRegistry } from "../index.js";
import { ApplyRetentionTask } from "./ApplyRetentionTask.js";
import type { AnyTask } from "./base/BaseTask.js";
import { DownloadWhatsappMediaTask } from "./DownloadWhatsappMediaTask.js";
import { ProcessWhatsappEventsTask } from "./ProcessWhatsappEventsTask.js";
import { RequeueWhatsappEventsTask } from "./RequeueWhatsappEventsTask.js";
import { RequeueWhatsappSendsTask } from "./RequeueWhatsappSendsTask.js";
import { SendWhatsappMessageTask } from "./SendWhatsappMessageTask.js";

/** What tasks need beyond the components: producers for follow-up jobs and broadcasts. */
export interface TaskDeps {
  queues: QueueRegistry;
  events: TenantEventPublisher;
  /** Overrides for tests (short retry delays). */
  mediaRetryDelayMs?: number;
  sendRetryDelayMs?: number;
}

/** The runtime's tasks, wired. */
export interface Tasks {
  processWhatsappEvents: ProcessWhatsappEventsTask;
  downloadWhatsappMedia: DownloadWhatsappMediaTask;
  requeueWhatsappEvents: RequeueWhatsappEventsTask;
  applyRetention: ApplyRetentionTask;
  sendWhatsappMessage: SendWhatsappMessageTask;
  requeueWhatsappSends: RequeueWhatsappSendsTask;
}

/** Builds every task of the worker role. */
export function buildTasks(components: Components, deps: TaskDeps): Tasks {
  const logger = componentLogger(components.logger, "worker");
  const personalData = personalDataFor(components.env.ENCRYPTION_KEY);
  const settings = new WhatsappSettingsStore({
    db: components.db,
    encryptionKey: components.env.ENCRYPTION_KEY,
  });
  const downloadWhatsappMedia = new DownloadWhatsappMediaTask({
    db: components.db,
    settings,
    mediaDir: components.env.MEDIA_DIR,
    events: deps.events,
    logger,
    ...(deps.mediaRetryDelayMs === undefined ? {} : { retryDelayMs: deps.mediaRetryDelayMs }),
  });
  const processWhatsappEvents = new ProcessWhatsappEventsTask({
    db: components.db,
    reopenHours: components.env.CONVERSATION_REOPEN_HOURS,
    maskSensitiveNumbers: components.env.MASK_SENSITIVE_NUMBERS,
    consent: consentSettingsFrom(components.env),
    personalData,
    events: deps.events,
    queues: deps.queues,
    mediaTask: downloadWhatsappMedia,
    logger,
  });
  const requeueWhatsappEvents = new RequeueWhatsappEventsTask({
    db: components.db,
    queues: deps.queues,
    processTask: processWhatsappEvents,
  });
  const { env } = components;
  const sendWhatsappMessage = new SendWhatsappMessageTask({
    db: components.db,
    redis: components.redis,
    redisPrefix: env.REDIS_PREFIX,
    settings,
    personalData,
    events: deps.events,
    pacer: new SendPacer({ redis: components.redis, prefix: env.REDIS_PREFIX }),
    recipientPacing: {
      burst: env.WHATSAPP_RECIPIENT_BURST,
      intervalMs: env.WHATSAPP_RECIPIENT_INTERVAL_MS,
    },
    mediaDir: env.MEDIA_DIR,
    ratePerSecond: env.WHATSAPP_SEND_RATE_PER_SECOND,
    logger,
    ...(deps.sendRetryDelayMs === undefined ? {} : { retryDelayMs: deps.sendRetryDelayMs }),
  });
  const applyRetention = new ApplyRetentionTask({
    db: components.db,
    mediaDir: components.env.MEDIA_DIR,
    logger,
    months: components.env.RETENTION_MONTHS,
    mode: components.env.RETENTION_MODE,
    auditDays: components.env.AUDIT_RETENTION_DAYS,
  });
  return {
    processWhatsappEvents,
    downloadWhatsappMedia,
    requeueWhatsappEvents,
    applyRetention,
    sendWhatsappMessage,
    requeueWhatsappSends: new RequeueWhatsappSendsTask({ db: components.db, queues: deps.queues }),
  };
}

/** The tasks the worker role runs. */
export function createTasks(components: Components, deps: TaskDeps): AnyTask[] {
  return Object.values(buildTasks(components, deps));
}
