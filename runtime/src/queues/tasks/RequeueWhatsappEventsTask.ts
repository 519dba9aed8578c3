import type { Knex } from "knex";
import { z } from "zod";
import type { QueueRegistry } from "../index.js";
import { BaseTask } from "./base/BaseTask.js";
import type { ProcessWhatsappEventsTask } from "./ProcessWhatsappEventsTask.js";

/** Events older than this and still unprocessed are queued again. */
const STALE_AFTER_MS = 60_000;
/** Events that failed this many times wait for an operator (`last_error` says why). */
const MAX_ATTEMPTS = 20;
const BATCH = 500;

/**
 * The safety net of the ack-after-commit design: webhook events are committed before the 200,
 * but queueing them can fail (Redis away, a crash in between). Every minute this finds stored,
 * unprocessed events and queues them again; processing is idempotent, so overlap is harmless.
 */
export class RequeueWhatsappEventsTask extends BaseTask<Record<string, never>> {
  readonly queueName = "housekeeping" as const;
  readonly schema = z.object({}).strict() as unknown as z.ZodType<Record<string, never>>;
  private readonly deps: {
    db: Knex;
    queues: QueueRegistry;
    processTask: ProcessWhatsappEventsTask;
  };

  constructor(deps: RequeueWhatsappEventsTask["deps"]) {
    super();
    this.deps = deps;
  }

  override async perform(): Promise<void> {
    const rows = (await this.deps
      .db("whatsapp_inbox_events")
      .whereNull("processed_at")
      .andWhere("received_at", "<", new Date(Date.now() - STALE_AFTER_MS))
      .andWhere("attempts", "<", MAX_ATTEMPTS)
      .orderBy("id")
      .limit(BATCH)
      .select("event_key")) as Array<{ event_key: string }>;
    for (let start = 0; start < rows.length; start += 100) {
      const eventKeys = rows.slice(start, start + 100).map((row) => row.event_key);
      await this.deps.processTask.schedule(this.deps.queues, { eventKeys });
    }
  }
}
