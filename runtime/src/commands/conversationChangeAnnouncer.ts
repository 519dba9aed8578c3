import type { Knex } from "knex";
import type { AgentRef, ConversationSummaryPayload } from "../../contracts/conversations.js";
import type { ConversationChanged } from "../../contracts/socket-events.js";
import type { PersonalData } from "../crypto/personalData.js";
import type { Logger } from "../logger.js";
import type { TenantEventPublisher } from "../sockets/tenantEvents.js";
import { loadConversationSummary } from "./conversationReader.js";

/** What changed, for `announceConversationChange`. */
export interface ConversationChange {
  conversationId: number;
  change: ConversationChanged["change"];
  /** Who made the change; null when atende did (a customer's message). */
  by: AgentRef | null;
  previousAssignedUserId: number | null;
}

/**
 * Publishes `conversation:changed` with the conversation as the list shows it after the change
 * (read after the commit). Best-effort like every live update: a lost event is repaired by the
 * inbox's reload on reconnect, so a Redis hiccup never fails the change itself.
 * @returns the conversation as announced; undefined when it is gone or could not be read
 */
export async function announceConversationChange(
  deps: { db: Knex; personalData: PersonalData; events: TenantEventPublisher; logger?: Logger },
  change: ConversationChange,
): Promise<ConversationSummaryPayload | undefined> {
  let conversation: ConversationSummaryPayload | undefined;
  try {
    conversation = await loadConversationSummary(deps.db, change.conversationId, deps.personalData);
    if (conversation === undefined) return undefined;
    await deps.events.publish("conversation:changed", {
      conversation,
      change: change.change,
      by: change.by,
      previousAssignedUserId: change.previousAssignedUserId,
    });
  } catch (error) {
    deps.logger?.warn(
      { err: error, conversationId: change.conversationId },
      "conversation:changed not published",
    );
  }
  return conversation;
}
