import type { Knex } from "knex";
import type { ConversationStatus } from "../../contracts/conversations.js";
import type { AuthContext } from "../auth/resolveSession.js";
import { conflict } from "../errors.js";
import { ActivityLogEntry } from "../models/ActivityLogEntry.js";
import type { AccountActor } from "./accountActor.js";
import { assertMaySeeConversation, loadConversation } from "./conversationAccess.js";

/** Props of `conversationStatusChanger`. */
export interface ConversationStatusChangerProps {
  db: Knex;
  auth: AuthContext;
  actor: AccountActor;
  conversationId: number;
  status: ConversationStatus;
}

/**
 * Resolves a conversation (stamping `resolved_at`, which the reopen rule measures from), reopens
 * it or sets it pending. Asking for the status it already has changes nothing. The UPDATE is
 * conditional on the status read, so the activity log's `from` is always true.
 * @returns whether the status changed, and the assignee (unchanged by a status change)
 * @throws not_found for a conversation the user may not see
 */
export async function conversationStatusChanger(
  props: ConversationStatusChangerProps,
): Promise<{ changed: boolean; assignedUserId: number | null }> {
  const { db, status } = props;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const conversation = await loadConversation(db, props.conversationId);
    assertMaySeeConversation(props.auth, conversation);
    const outcome = { assignedUserId: conversation.assignedUserId };
    if (conversation.status === status) return { ...outcome, changed: false };
    const changed = await db.transaction(async (trx) => {
      const updated = await trx("conversations")
        .where({ id: conversation.id, status: conversation.status })
        .update({ status, resolved_at: status === "resolved" ? trx.fn.now(3) : null });
      if (updated !== 1) return false;
      await ActivityLogEntry.record(trx, {
        action: "conversations.changeStatus",
        actor: props.actor,
        data: { conversationId: conversation.id, from: conversation.status, to: status },
      });
      return true;
    });
    if (changed) return { ...outcome, changed: true };
  }
  throw conflict("The conversation's status changed several times meanwhile; reload it.");
}
