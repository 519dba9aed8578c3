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
  lastInboundAt: Date | null;
  /** The contact's phone number (wa_id), when known. */
  waId: string | null;
  /** The contact's business-scoped user id (BSUID), when known. */
  whatsappUserId: string | null;
}

/** A conversation with its contact; 404 `not_found` when there is none. */
export async function loadConversation(db: Knex, conversationId: number): Promise<ConversationRef> {
  const row = (await db("conversations as c")
    .join("contacts as ct", "ct.id", "c.contact_id")
    .where("c.id", conversationId)
    .first(
      "c.id",
      "c.contact_id",
      "c.status",
      "c.assigned_user_id",
      "c.last_inbound_at",
      "ct.wa_id",
      "ct.whatsapp_user_id",
    )) as
    | {
        id: number;
        contact_id: number;
        status: "open" | "pending" | "resolved";
        assigned_user_id: number | null;
        last_inbound_at: Date | null;
        wa_id: string | null;
        whatsapp_user_id: string | null;
      }
    | undefined;
  if (row === undefined) throw notFound("conversation");
  return {
    id: row.id,
    contactId: row.contact_id,
    status: row.status,
    assignedUserId: row.assigned_user_id,
    lastInboundAt: row.last_inbound_at,
    waId: row.wa_id,
    whatsappUserId: row.whatsapp_user_id,
  };
}

/** Who asks: the signed-in user and what their role allows. */
export interface ConversationViewer {
  user: { id: number };
  permissions: ReadonlySet<Permission>;
}

/**
 * The one place that decides whether a user may see (and write in) a conversation:
 * `conversations.viewAll` sees every one; `conversations.viewAssigned` those assigned to the
 * user and the unassigned ones (the shared queue; team queues come later). Throws 404 rather
 * than 403, so a user learns nothing about conversations they may not see.
 */
export function assertMaySeeConversation(
  viewer: ConversationViewer,
  conversation: Pick<ConversationRef, "assignedUserId">,
): void {
  if (!maySeeConversation(viewer, conversation)) throw notFound("conversation");
}

/** Whether `viewer` may see `conversation` (see `assertMaySeeConversation`). */
function maySeeConversation(
  viewer: ConversationViewer,
  conversation: Pick<ConversationRef, "assignedUserId">,
): boolean {
  if (viewer.permissions.has("conversations.viewAll")) return true;
  if (!viewer.permissions.has("conversations.viewAssigned")) return false;
  return conversation.assignedUserId === null || conversation.assignedUserId === viewer.user.id;
}

/**
 * The same rule as `assertMaySeeConversation`, as a condition on a query over `conversations`
 * aliased `alias`, for lists.
 */
export function whereVisibleTo(
  builder: Knex.QueryBuilder,
  viewer: ConversationViewer,
  alias = "c",
): Knex.QueryBuilder {
  if (viewer.permissions.has("conversations.viewAll")) return builder;
  if (!viewer.permissions.has("conversations.viewAssigned")) return builder.whereRaw("1 = 0");
  return builder.where((visible) =>
    visible
      .whereNull(`${alias}.assigned_user_id`)
      .orWhere(`${alias}.assigned_user_id`, viewer.user.id),
  );
}
