import type { Redis } from "ioredis";
import type { Knex } from "knex";
import { ActivityLogEntry } from "../models/ActivityLogEntry.js";
import type { AccountActor } from "./accountActor.js";

/** How long one user's look at one subject counts as the same viewing. */
export const VIEW_RECORD_WINDOW_SECONDS = 30 * 60;

/**
 * Records in the activity log that a user viewed a person's data — a conversation's messages
 * (`conversations.view`) or a contact's panel (`contacts.view`) — as LGPD asks of every use of
 * personal data. An agent pages and reopens the same thread all day: one entry per user, subject
 * and `VIEW_RECORD_WINDOW_SECONDS` is the useful trail, not one per request. The Redis key holds
 * ids only. Called after the read succeeded, so refused reads (404) record nothing.
 */
export async function recordPersonalDataView(
  deps: { db: Knex; redis: Redis; redisPrefix: string },
  props: { actor: AccountActor; subject: "conversation" | "contact"; id: number },
): Promise<void> {
  const key = `${deps.redisPrefix}:viewed:${props.subject}:${props.id}:${props.actor.userId}`;
  const first = await deps.redis.set(key, "1", "EX", VIEW_RECORD_WINDOW_SECONDS, "NX");
  if (first !== "OK") return;
  await ActivityLogEntry.record(deps.db, {
    action: props.subject === "conversation" ? "conversations.view" : "contacts.view",
    actor: props.actor,
    data: { [props.subject === "conversation" ? "conversationId" : "contactId"]: props.id },
  });
}
