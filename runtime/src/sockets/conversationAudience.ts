import type { Knex } from "knex";
import type { Permission } from "../../contracts/permissions.js";
import { maySeeConversation, queueIdsOf } from "../commands/conversationAccess.js";

/** Who a conversation belongs to right now: what decides who may see its events. */
export interface ConversationScope {
  assignedUserId: number | null;
  /** The queue it waits in; null for the general queue. */
  queueId: number | null;
}

/** A socket's user as far as conversation visibility goes. */
export interface ConversationViewerScope {
  userId: number;
  permissions: readonly Permission[] | ReadonlySet<Permission>;
  /** Queues the user is a member of. */
  queueIds: readonly number[];
}

/**
 * The visibility rule of `conversationAccess.ts` (`maySeeConversation`), for sockets, whose
 * permissions may come as the handshake's array: `conversations.viewAll` sees every
 * conversation; `conversations.viewAssigned` those assigned to the user, and unassigned ones in
 * the general queue or in a queue the user is a member of. The relay's rooms
 * (`conversationRooms` in `tenantEvents.ts`) implement the same rule for live events.
 */
export function maySeeConversationScope(
  viewer: ConversationViewerScope,
  conversation: ConversationScope,
): boolean {
  return maySeeConversation(
    {
      user: { id: viewer.userId },
      permissions:
        viewer.permissions instanceof Set
          ? viewer.permissions
          : new Set(viewer.permissions as readonly Permission[]),
      queueIds: viewer.queueIds,
    },
    conversation,
  );
}

/** The queues a user is a member of (their rooms are joined at connection time). */
export { queueIdsOf };

/**
 * Assignee and queue of several conversations in one primary-key read (the relay asks once per
 * batch of events). Conversations that no longer exist are absent from the map.
 */
export async function conversationScopes(
  db: Knex,
  conversationIds: Iterable<number>,
): Promise<Map<number, ConversationScope>> {
  const ids = [...new Set(conversationIds)];
  const scopes = new Map<number, ConversationScope>();
  if (ids.length === 0) return scopes;
  const rows = (await db("conversations")
    .whereIn("id", ids)
    .select("id", "assigned_user_id", "queue_id")) as Array<{
    id: number;
    assigned_user_id: number | null;
    queue_id: number | null;
  }>;
  for (const row of rows) {
    scopes.set(Number(row.id), {
      assignedUserId: row.assigned_user_id === null ? null : Number(row.assigned_user_id),
      queueId: row.queue_id === null ? null : Number(row.queue_id),
    });
  }
  return scopes;
}
