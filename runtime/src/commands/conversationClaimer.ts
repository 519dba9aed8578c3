import type { Knex } from "knex";
import type { AgentRef, ConversationTakenData } from "../../contracts/conversations.js";
import type { AuthContext } from "../auth/resolveSession.js";
import { type AppError, conflict } from "../errors.js";
import { ActivityLogEntry } from "../models/ActivityLogEntry.js";
import type { AccountActor } from "./accountActor.js";
import { assertMaySeeConversation, loadConversation } from "./conversationAccess.js";

/** Props of `conversationClaimer`. */
export interface ConversationClaimerProps {
  db: Knex;
  auth: AuthContext;
  actor: AccountActor;
  conversationId: number;
}

/** 409 `conflict` naming who took the conversation first (`ConversationTakenData`). */
export function conversationTaken(assignee: AgentRef): AppError {
  const data: ConversationTakenData = { reason: "conversation_taken", assignee };
  return conflict(`${assignee.name} already took this conversation.`, { ...data });
}

/** The id and name of a user, as other users see them. */
export async function agentRefOf(db: Knex, userId: number): Promise<AgentRef> {
  const row = (await db("users").where({ id: userId }).first("id", "name")) as AgentRef | undefined;
  return row ?? { id: userId, name: "" };
}

/**
 * An agent takes an unassigned conversation. One conditional UPDATE decides between agents
 * claiming at once: exactly one wins, the others get 409 `conflict` naming the winner. Claiming
 * a conversation one already holds changes nothing. Anyone who could see the conversation while
 * it waited (its queue) may claim it, so a late claimer learns who won instead of a 404.
 * @returns whether this call assigned it
 * @throws not_found when the user could not see the conversation while it waited
 */
export async function conversationClaimer(props: ConversationClaimerProps): Promise<boolean> {
  const { db, auth } = props;
  // A released conversation may be claimed again between our reads: retry a few times.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const conversation = await loadConversation(db, props.conversationId);
    assertMaySeeConversation(auth, { ...conversation, assignedUserId: null });
    if (conversation.assignedUserId === auth.user.id) return false;
    if (conversation.assignedUserId !== null) {
      throw conversationTaken(await agentRefOf(db, conversation.assignedUserId));
    }
    const claimed = await db.transaction(async (trx) => {
      const updated = await trx("conversations")
        .where({ id: conversation.id })
        .whereNull("assigned_user_id")
        .update({ assigned_user_id: auth.user.id, assigned_at: trx.fn.now(3) });
      if (updated !== 1) return false;
      await ActivityLogEntry.record(trx, {
        action: "conversations.claim",
        actor: props.actor,
        data: { conversationId: conversation.id },
      });
      return true;
    });
    if (claimed) return true;
  }
  throw conflict("The conversation changed hands several times meanwhile; reload it.");
}
