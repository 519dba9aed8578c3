import type { Components } from "../../components.js";
import { WhatsappSettingsStore } from "../../integrations/whatsapp/WhatsappSettingsStore.js";
import { componentLogger } from "../../logger.js";
import type { TenantEventPublisher } from "../../sockets/tenantEvents.js";
import type { QueueRegistry } from "../index.js";
import type { AnyTask } from "./base/BaseTask.js";
import { DownloadWhatsappMediaTask } from "./DownloadWhatsappMediaTask.js";
import { ProcessWhatsappEventsTask } from "./ProcessWhatsappEventsTask.js";
import { RequeueWhatsappEventsTask } from "./RequeueWhatsappEventsTask.js";

/** What tasks need beyond the components: producers for follow-up jobs and broadcasts. */
export interface TaskDeps {
  queues: QueueRegistry;
  events: TenantEventPublisher;
  /** Overrides for tests (short retry delays). */
  mediaRetryDelayMs?: number;
}

/** The runtime's tasks, wired. */
export interface Tasks {
  processWhatsappEvents: ProcessWhatsappEventsTask;
  downloadWhatsappMedia: DownloadWhatsappMediaTask;
  requeueWhatsappEvents: RequeueWhatsappEventsTask;
}

/** Builds every task of the worker role. */
export function buildTasks(components: Components, deps: TaskDeps): Tasks {
  const logger = componentLogger(components.logger, "worker");
  const settings = new WhatsappSettingsStore({
    db: components.db,
    encryptionKey: components.env.ENCRYPTION_KEY,
  });
  const downloadWhatsappMedia = new DownloadWhatsappMediaTask({
    db: components.db,
    settings,
    mediaDir: components.env.MEDIA_DIR,
    logger,
    ...(deps.mediaRetryDelayMs === undefined ? {} : { retryDelayMs: deps.mediaRetryDelayMs }),
  });
  const processWhatsappEvents = new ProcessWhatsappEventsTask({
    db: components.db,
    reopenHours: components.env.CONVERSATION_REOPEN_HOURS,
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
  return { processWhatsappEvents, downloadWhatsappMedia, requeueWhatsappEvents };
}

/** The tasks the worker role runs. */
export function createTasks(components: Components, deps: TaskDeps): AnyTask[] {
  return Object.values(buildTasks(components, deps));
}
