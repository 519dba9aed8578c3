import type { Knex } from "knex";
import type {
  ConversationListQuery,
  ConversationPagePayload,
  ConversationStatus,
  ConversationSummaryPayload,
  MessagePagePayload,
  MessagePageQuery,
} from "../../contracts/conversations.js";
import type { PersonalData } from "../crypto/personalData.js";
import { notFound, validationError } from "../errors.js";
import { MESSAGE_COLUMNS, type MessageRow, presentMessage } from "../presenters/presentMessage.js";
import {
  assertMaySeeConversation,
  type ConversationViewer,
  loadConversation,
  whereVisibleTo,
} from "./conversationAccess.js";

/** The 24-hour customer service window (protocols.md A7). */
const WINDOW_MS = 24 * 3_600_000;

interface SummaryRow {
  id: number;
  status: ConversationStatus;
  assigned_user_id: number | null;
  assignee_name: string | null;
  queue_id: number | null;
  unread_count: number;
  contact_id: number;
  contact_name: string | null;
  wa_id_sealed: string | null;
  last_message_at: Date | null;
  last_inbound_at: Date | null;
  sort_at: Date;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

/**
 * The phone numbers a search means, when it is one: only digits and `+ - ( )` or spaces, with at
 * least 8 digits; a Brazilian number typed without its country code (10–11 digits) is tried with
 * `55` too. Numbers are stored sealed and found by keyed hash, so only a whole number matches:
 * searching part of a number is gone by design (a hash cannot match a fragment).
 */
export function phoneNumbersSearched(q: string): string[] {
  if (!/^[\d\s+\-()]+$/.test(q)) return [];
  const digits = q.replace(/\D/g, "");
  if (digits.length < 8) return [];
  return digits.length === 10 || digits.length === 11 ? [digits, `55${digits}`] : [digits];
}

/** Keyset cursor: the last row's sort time and id, opaque to clients. */
function encodeCursor(row: SummaryRow): string {
  return Buffer.from(JSON.stringify([new Date(row.sort_at).toISOString(), row.id])).toString(
    "base64url",
  );
}

function decodeCursor(cursor: string): { at: Date; id: number } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [
      string,
      number,
    ];
    const date = new Date(at);
    if (Number.isNaN(date.getTime()) || !Number.isInteger(id)) throw new Error("bad cursor");
    return { at: date, id };
  } catch {
    throw validationError("Invalid after: not a cursor returned by the previous page.", {
      field: "after",
    });
  }
}

/** The list's columns: the conversation, its contact and its assignee's name. */
function summaryQuery(db: Knex): Knex.QueryBuilder {
  return db("conversations as c")
    .join("contacts as ct", "ct.id", "c.contact_id")
    .leftJoin("users as u", "u.id", "c.assigned_user_id")
    .select(
      "c.id",
      "c.status",
      "c.assigned_user_id",
      "u.name as assignee_name",
      "c.queue_id",
      "c.unread_count",
      "c.contact_id",
      "ct.name as contact_name",
      "ct.wa_id_sealed",
      "c.last_message_at",
      "c.last_inbound_at",
      "c.sort_at",
    );
}

/**
 * The conversation list: what the viewer may see (`conversationAccess`), filtered by view,
 * status and a search over name, whole number (`phoneNumbersSearched`) and message text, most
 * recent activity first (the indexed `sort_at`), paged with a keyset cursor (stable while new
 * messages arrive), each with its assignee and last message.
 */
export async function listConversations(
  db: Knex,
  viewer: ConversationViewer,
  query: ConversationListQuery,
  personal: PersonalData,
): Promise<ConversationPagePayload> {
  const rows = (await conversationListQuery(db, viewer, query, personal)) as SummaryRow[];
  const page = rows.slice(0, query.limit);
  const lastMessages = await lastMessagesOf(
    db,
    page.map((row) => row.id),
  );
  const last = page.at(-1);
  return {
    conversations: page.map((row) => summary(row, lastMessages.get(row.id) ?? null, personal)),
    next: rows.length > query.limit && last !== undefined ? encodeCursor(last) : null,
  };
}

/** The list's query (one row more than a page, to know whether another follows). */
export function conversationListQuery(
  db: Knex,
  viewer: ConversationViewer,
  query: ConversationListQuery,
  personal: PersonalData,
): Knex.QueryBuilder {
  const builder = summaryQuery(db)
    .orderBy([
      { column: "c.sort_at", order: "desc" },
      { column: "c.id", order: "desc" },
    ])
    .limit(query.limit + 1);

  whereVisibleTo(builder, viewer);
  if (query.view === "mine") builder.where("c.assigned_user_id", viewer.user.id);
  if (query.view === "unassigned") builder.whereNull("c.assigned_user_id");
  if (query.status !== undefined) builder.where("c.status", query.status);
  if (query.q !== undefined && query.q !== "") {
    const pattern = `%${escapeLike(query.q)}%`;
    const numberHashes = phoneNumbersSearched(query.q).map((number) =>
      personal.lookupHash("phone", number),
    );
    builder.where((search) => {
      search.where("ct.name", "like", pattern);
      if (numberHashes.length > 0) search.orWhereIn("ct.wa_id_hash", numberHashes);
      search.orWhereExists(
        db("messages as m")
          .whereRaw("m.conversation_id = c.id")
          .andWhere("m.text", "like", pattern),
      );
    });
  }
  if (query.after !== undefined) {
    const cursor = decodeCursor(query.after);
    builder.where((older) =>
      older
        .where("c.sort_at", "<", cursor.at)
        .orWhere((same) => same.where("c.sort_at", cursor.at).andWhere("c.id", "<", cursor.id)),
    );
  }
  return builder;
}

/**
 * One conversation as the list shows it, without a visibility check (for broadcasts, which
 * the socket relay filters per recipient); undefined when it does not exist.
 */
export async function loadConversationSummary(
  db: Knex,
  conversationId: number,
  personal: PersonalData,
): Promise<ConversationSummaryPayload | undefined> {
  const row = (await summaryQuery(db).where("c.id", conversationId).first()) as
    | SummaryRow
    | undefined;
  if (row === undefined) return undefined;
  const lastMessages = await lastMessagesOf(db, [row.id]);
  return summary(row, lastMessages.get(row.id) ?? null, personal);
}

/**
 * One conversation as the list shows it (`GET /api/conversations/:id`).
 * @throws not_found for a conversation the viewer may not see
 */
export async function readConversation(
  db: Knex,
  viewer: ConversationViewer,
  conversationId: number,
  personal: PersonalData,
): Promise<ConversationSummaryPayload> {
  assertMaySeeConversation(viewer, await loadConversation(db, conversationId));
  const found = await loadConversationSummary(db, conversationId, personal);
  if (found === undefined) throw notFound("conversation");
  return found;
}

function summary(
  row: SummaryRow,
  lastMessage: ConversationSummaryPayload["lastMessage"],
  personal: PersonalData,
): ConversationSummaryPayload {
  return {
    id: row.id,
    status: row.status,
    assignedUserId: row.assigned_user_id,
    assignee:
      row.assigned_user_id === null
        ? null
        : { id: row.assigned_user_id, name: row.assignee_name ?? "" },
    queueId: row.queue_id,
    unreadCount: row.unread_count,
    contact: {
      id: row.contact_id,
      name: row.contact_name,
      waId: personal.open("contacts.wa_id", row.wa_id_sealed),
    },
    lastMessageAt:
      row.last_message_at === null ? null : new Date(row.last_message_at).toISOString(),
    windowClosesAt:
      row.last_inbound_at === null
        ? null
        : new Date(new Date(row.last_inbound_at).getTime() + WINDOW_MS).toISOString(),
    lastMessage,
  };
}

/** The newest message of each conversation, presented. */
async function lastMessagesOf(
  db: Knex,
  conversationIds: number[],
): Promise<Map<number, ReturnType<typeof presentMessage>>> {
  if (conversationIds.length === 0) return new Map();
  const newest = db("messages")
    .whereIn("conversation_id", conversationIds)
    .groupBy("conversation_id")
    .max({ id: "id" });
  const rows = (await db("messages as m")
    .leftJoin("message_media as mm", "mm.message_id", "m.id")
    .whereIn("m.id", newest)
    .select(...MESSAGE_COLUMNS)) as MessageRow[];
  return new Map(rows.map((row) => [row.conversation_id, presentMessage(row)]));
}

/**
 * One page of a conversation's messages, oldest first, for scrolling back through history.
 * @throws not_found for a conversation the viewer may not see
 */
export async function readThread(
  db: Knex,
  viewer: ConversationViewer,
  conversationId: number,
  query: MessagePageQuery,
): Promise<MessagePagePayload> {
  const conversation = await loadConversation(db, conversationId);
  assertMaySeeConversation(viewer, conversation);
  const builder = db("messages as m")
    .leftJoin("message_media as mm", "mm.message_id", "m.id")
    .where("m.conversation_id", conversation.id)
    .orderBy("m.id", "desc")
    .limit(query.limit + 1)
    .select(...MESSAGE_COLUMNS);
  if (query.before !== undefined) builder.where("m.id", "<", query.before);
  const rows = (await builder) as MessageRow[];
  const page = rows.slice(0, query.limit);
  const oldest = page.at(-1);
  return {
    messages: page.reverse().map(presentMessage),
    before: rows.length > query.limit && oldest !== undefined ? Number(oldest.id) : null,
  };
}
