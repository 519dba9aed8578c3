import type { Knex } from "knex";
import { z } from "zod";
import type { QueueRegistry } from "../index.js";
import { BaseTask } from "./base/BaseTask.js";
import { scheduleWhatsappSend } from "./SendWhatsappMessageTask.js";

/** Messages still queued this long after they were stored get their job queued again. */
const STALE_AFTER_MS = 60_000;
/** Older ones are left alone (their window has closed; an agent resends them). */
const HORIZON_MS = 24 * 3_600_000;
const BATCH = 500;

/**
 * The safety net of "store, announce, then queue": a message is committed before its send job
 * is queued, and queueing can fail (Redis away, a crash in between). Every minute this queues
 * the job again for outbound messages still `queued`; the job id is the message id, so a job
 * that exists already (waiting, delayed, running) is not duplicated, and the job itself never
 * sends a message twice.
 */
export class RequeueWhatsappSendsTask extends BaseTask<Record<string, never>> {
  readonly queueName = "housekeeping" as const;
  readonly schema = z.object({}).strict() as unknown as z.ZodType<Record<string, never>>;
  private readonly deps: { db: Knex; queues: QueueRegistry };

  constructor(deps: RequeueWhatsappSendsTask["deps"]) {
    super();
    this.deps = deps;
  }

  override async perform(): Promise<void> {
    const now = Date.now();
    const rows = (await this.deps
      .db("messages")
      .where({ direction: "outbound", status: "queued" })
      .whereNull("wamid")
      .andWhere("created_at", "<", new Date(now - STALE_AFTER_MS))
      .andWhere("created_at", ">", new Date(now - HORIZON_MS))
      .orderBy("id")
      .limit(BATCH)
      .select("id")) as Array<{ id: number }>;
    for (const row of rows) await scheduleWhatsappSend(this.deps.queues, Number(row.id));
  }
}
