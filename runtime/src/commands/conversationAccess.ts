import type { Knex } from "knex";
import type { Permission } from "../../contracts/permissions.js";
import { notFound } from "../errors.js";

/** What commands need to know about a conversation and its contact. */
export interface ConversationRef {
  id: number;
  contactId: number;
  status: "open" | "pending" | "resolved";
  /** The agent it is assigned to; null while unassigned. */
  assignedUserId: number | null;
  /** The queue (team) it waits in; null for the general queue. */
  queueId: number | null;
  /** Who works its queue (empty for the general queue). */
  queueMemberUserIds: readonly number[];
  lastInboundAt: Date | null;
}

/**
 * A conversation and its contact's id; 404 `not_found` when there is none. The contact's
 * identifiers are sealed at rest (crypto/personalData.ts): the send task opens them itself.
 */
export async function loadConversation(db: Knex, conversationId: number): Promise<ConversationRef> {
  const row = (await db("conversations as c")
    .where("c.id", conversationId)
    .first(
      "c.id",
      "c.contact_id",
      "c.status",
      "c.assigned_user_id",
      "c.queue_id",
      "c.last_inbound_at",
    )) as
    | {
        id: number;
        contact_id: number;
        status: "open" | "pending" | "resolved";
        assigned_user_id: number | null;
        queue_id: number | null;
        last_inbound_at: Date | null;
      }
    | undefined;
  if (row === undefined) throw notFound("conversation");
  const queueMemberUserIds =
    row.queue_id !== null
      ? ((await db("queue_members").where("queue_id", row.queue_id).pluck("user_id")) as number[])
      : [];
  return {
    id: row.id,
    contactId: row.contact_id,
    status: row.status,
    assignedUserId: row.assigned_user_id,
    queueId: row.queue_id,
    queueMemberUserIds,
    lastInboundAt: row.last_inbound_at,
  };
}

/** The queues (teams) a user works, for visibility checks made outside a request (sockets). */
export async function queueIdsOf(db: Knex, userId: number): Promise<number[]> {
  return (await db("queue_members")
    .where("user_id", userId)
    .orderBy("queue_id")
    .pluck("queue_id")) as number[];
}

/** Who asks: the signed-in user and what their role allows. */
export interface ConversationViewer {
  user: { id: number };
  permissions: ReadonlySet<Permission>;
  /**
   * The queues the user works, when the caller already holds them (a socket keeps them from
   * its handshake). Without them, the conversation's `queueMemberUserIds` decide.
   */
  queueIds?: readonly number[];
}

/** What visibility depends on: the assignee and the queue (with its members, when loaded). */
export type VisibilityFacts = Pick<ConversationRef, "assignedUserId" | "queueId"> &
  Partial<Pick<ConversationRef, "queueMemberUserIds">>;

/**
 * The one place that decides whether a user may see (and write in) a conversation:
 * `conversations.viewAll` sees every one; `conversations.viewAssigned` those assigned to the
 * user, and the unassigned ones waiting in the general queue (`queue_id` null) or in a queue the
 * user is a member of. Throws 404 rather than 403, so a user learns nothing about conversations
 * they may not see.
 */
export function assertMaySeeConversation(
  viewer: ConversationViewer,
  conversation: VisibilityFacts,
): void {
  if (!maySeeConversation(viewer, conversation)) throw notFound("conversation");
}

/** Whether `viewer` may see `conversation` (see `assertMaySeeConversation`). */
export function maySeeConversation(
  viewer: ConversationViewer,
  conversation: VisibilityFacts,
): boolean {
  if (viewer.permissions.has("conversations.viewAll")) return true;
  if (!viewer.permissions.has("conversations.viewAssigned")) return false;
  if (conversation.assignedUserId !== null) return conversation.assignedUserId === viewer.user.id;
  if (conversation.queueId === null) return true;
  if (viewer.queueIds !== undefined) return viewer.queueIds.includes(conversation.queueId);
  return conversation.queueMemberUserIds?.includes(viewer.user.id) ?? false;
}

/**
 * The same rule as `assertMaySeeConversation`, as a condition on a query over `conversations`
 * aliased `alias`, for lists. Queue membership is a subquery on `queue_members` (primary key
 * lookups), unless the viewer carries its queue ids.
 */
export function whereVisibleTo(
  builder: Knex.QueryBuilder,
  viewer: ConversationViewer,
  alias = "c",
): Knex.QueryBuilder {
  if (viewer.permissions.has("conversations.viewAll")) return builder;
  if (!viewer.permissions.has("conversations.viewAssigned")) return builder.whereRaw("1 = 0");
  const userId = viewer.user.id;
  return builder.where((visible) =>
    visible.where(`${alias}.assigned_user_id`, userId).orWhere((waiting) =>
      waiting.whereNull(`${alias}.assigned_user_id`).andWhere((queue) => {
        queue.whereNull(`${alias}.queue_id`);
        if (viewer.queueIds !== undefined) {
          if (viewer.queueIds.length > 0) queue.orWhereIn(`${alias}.queue_id`, viewer.queueIds);
        } else {
          queue.orWhereIn(`${alias}.queue_id`, function memberOf(this: Knex.QueryBuilder) {
            this.select("queue_id").from("queue_members").where("user_id", userId);
          });
        }
      }),
    ),
  );
}
