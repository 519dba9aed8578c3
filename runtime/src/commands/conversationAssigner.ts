import type { Knex } from "knex";
import type { ConversationAssignRequest } from "../../contracts/conversations.js";
import type { ConversationChanged } from "../../contracts/socket-events.js";
import type { AuthContext } from "../auth/resolveSession.js";
import { RoleCatalog } from "../auth/roleCatalog.js";
import { conflict, forbidden, validationError } from "../errors.js";
import { ActivityLogEntry } from "../models/ActivityLogEntry.js";
import { User } from "../models/User.js";
import type { AccountActor } from "./accountActor.js";
import { assertMaySeeConversation, loadConversation } from "./conversationAccess.js";

/** Props of `conversationAssigner`. */
export interface ConversationAssignerProps {
  db: Knex;
  auth: AuthContext;
  actor: AccountActor;
  conversationId: number;
  input: ConversationAssignRequest;
}

/** What an assignment did; `change` is undefined when nothing changed. */
export interface AssignmentOutcome {
  change: Extract<ConversationChanged["change"], "assigned" | "released"> | undefined;
  previousAssignedUserId: number | null;
}

/**
 * Gives a conversation to an agent, moves it to a queue, or releases it (`userId: null`).
 * With `conversations.assign` any conversation the user sees goes to any enabled user who may
 * work conversations; without it, only the agent holding a conversation may transfer or release
 * it. The UPDATE is conditional on the assignment read, so two concurrent changes cannot
 * interleave: the later one gets 409 `conflict`, as does a stale `expectedAssignedUserId`.
 * @throws not_found for a conversation the user may not see
 */
export async function conversationAssigner(
  props: ConversationAssignerProps,
): Promise<AssignmentOutcome> {
  const { db, auth, input } = props;
  const conversation = await loadConversation(db, props.conversationId);
  assertMaySeeConversation(auth, conversation);
  const previousAssignedUserId = conversation.assignedUserId;
  if (
    !auth.permissions.has("conversations.assign") &&
    conversation.assignedUserId !== auth.user.id
  ) {
    throw forbidden();
  }
  if (
    input.expectedAssignedUserId !== undefined &&
    input.expectedAssignedUserId !== conversation.assignedUserId
  ) {
    throw conflict("Somebody else changed this conversation's assignment meanwhile; reload it.");
  }
  if (input.userId !== null) await assertMayWorkConversations(db, input.userId);
  const queueId = input.queueId === undefined ? conversation.queueId : input.queueId;
  if (queueId !== null && queueId !== conversation.queueId) await assertQueueExists(db, queueId);
  if (input.userId === conversation.assignedUserId && queueId === conversation.queueId) {
    return { change: undefined, previousAssignedUserId };
  }

  await db.transaction(async (trx) => {
    const updated = await trx("conversations")
      .where({ id: conversation.id })
      .whereRaw("assigned_user_id <=> ?", [conversation.assignedUserId])
      .whereRaw("queue_id <=> ?", [conversation.queueId])
      .update({
        assigned_user_id: input.userId,
        queue_id: queueId,
        ...(input.userId === conversation.assignedUserId
          ? {}
          : { assigned_at: input.userId === null ? null : trx.fn.now(3) }),
      });
    if (updated !== 1) {
      throw conflict("Somebody else changed this conversation's assignment meanwhile; reload it.");
    }
    await ActivityLogEntry.record(trx, {
      action: input.userId === null ? "conversations.release" : "conversations.assign",
      actor: props.actor,
      data: {
        conversationId: conversation.id,
        from: conversation.assignedUserId,
        to: input.userId,
        ...(queueId === conversation.queueId
          ? {}
          : { queue: { from: conversation.queueId, to: queueId } }),
      },
    });
  });
  return { change: input.userId === null ? "released" : "assigned", previousAssignedUserId };
}

/** A 400 naming `userId` unless the user exists, is enabled and may work conversations. */
async function assertMayWorkConversations(db: Knex, userId: number): Promise<void> {
  const user = await User.query(db).findById(userId);
  const permissions =
    user === undefined || !user.isActive
      ? undefined
      : await RoleCatalog.for(db).permissionsOf(user.role);
  if (
    permissions === undefined ||
    !(permissions.has("conversations.viewAssigned") || permissions.has("conversations.viewAll"))
  ) {
    throw validationError("Invalid userId: not an enabled user who works conversations.", {
      field: "userId",
    });
  }
}

/** A 400 naming `queueId` unless the queue exists. */
async function assertQueueExists(db: Knex, queueId: number): Promise<void> {
  if ((await db("queues").where({ id: queueId }).first("id")) === undefined) {
    throw validationError("Invalid queueId: there is no such queue.", { field: "queueId" });
  }
}
