import type { ConversationNotePayload } from "../../contracts/conversations.js";

/** A `conversation_notes` row joined with its author's name (`author_name`). */
export interface ConversationNoteRow {
  id: number | string;
  conversation_id: number;
  author_user_id: number | null;
  author_name: string | null;
  body: string;
  created_at: Date;
}

/** The columns `presentConversationNote` reads, from `conversation_notes as n` and `users as u`. */
export const NOTE_COLUMNS = [
  "n.id",
  "n.conversation_id",
  "n.author_user_id",
  "u.name as author_name",
  "n.body",
  "n.created_at",
] as const;

/** A private note as the inbox shows it. The body is plain text; the browser never renders it as HTML. */
export function presentConversationNote(row: ConversationNoteRow): ConversationNotePayload {
  return {
    id: Number(row.id),
    conversationId: row.conversation_id,
    author:
      row.author_user_id === null ? null : { id: row.author_user_id, name: row.author_name ?? "" },
    body: row.body,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
