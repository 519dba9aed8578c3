import type { Knex } from "knex";
import type { ConversationNotePayload } from "../../contracts/conversations.js";
import type { AuthContext } from "../auth/resolveSession.js";
import {
  type ConversationNoteRow,
  NOTE_COLUMNS,
  presentConversationNote,
} from "../presenters/presentConversationNote.js";
import {
  assertMaySeeConversation,
  type ConversationViewer,
  loadConversation,
} from "./conversationAccess.js";

/**
 * A conversation's private notes, oldest first, `limit` at a time after note `after` (keyset).
 * @throws not_found for a conversation the viewer may not see
 */
export async function listConversationNotes(
  db: Knex,
  viewer: ConversationViewer,
  conversationId: number,
  page: { after?: number; limit: number },
): Promise<ConversationNotePayload[]> {
  const conversation = await loadConversation(db, conversationId);
  assertMaySeeConversation(viewer, conversation);
  const builder = db("conversation_notes as n")
    .leftJoin("users as u", "u.id", "n.author_user_id")
    .where("n.conversation_id", conversation.id)
    .orderBy("n.id", "asc")
    .limit(page.limit)
    .select(...NOTE_COLUMNS);
  if (page.after !== undefined) builder.where("n.id", ">", page.after);
  const rows = (await builder) as ConversationNoteRow[];
  return rows.map(presentConversationNote);
}

/**
 * Adds a private note to a conversation. Notes stay inside atende: nothing is sent to WhatsApp.
 * The body is stored as typed (HTML is text, shown as text).
 * @throws not_found for a conversation the user may not see
 */
export async function conversationNoteCreator(props: {
  db: Knex;
  auth: AuthContext;
  conversationId: number;
  body: string;
}): Promise<ConversationNotePayload> {
  const { db, auth } = props;
  const conversation = await loadConversation(db, props.conversationId);
  assertMaySeeConversation(auth, conversation);
  const createdAt = new Date();
  const [id] = await db("conversation_notes").insert({
    conversation_id: conversation.id,
    author_user_id: auth.user.id,
    body: props.body,
    created_at: createdAt,
  });
  if (id === undefined) throw new Error("note not stored");
  return presentConversationNote({
    id,
    conversation_id: conversation.id,
    author_user_id: auth.user.id,
    author_name: auth.user.name,
    body: props.body,
    created_at: createdAt,
  });
}
