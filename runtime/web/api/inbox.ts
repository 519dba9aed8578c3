import type {
  AgentDirectoryEntry,
  ConversationListQuery,
  ConversationNotePayload,
  ConversationPagePayload,
  ConversationStatus,
  ConversationSummaryPayload,
  QueuePayload,
} from "../../contracts/conversations.js";
import { apiRequest } from "./client.js";

/** Filters of the conversation list, as the inbox asks for them. */
export type ConversationListFilters = Partial<
  Pick<ConversationListQuery, "view" | "status" | "q" | "after" | "limit">
>;

/** One page of the conversation list for a view, status and search (keyset: pass `next` as `after`). */
export function listConversationPage(
  filters: ConversationListFilters = {},
): Promise<ConversationPagePayload> {
  const params = new URLSearchParams();
  if (filters.view !== undefined) params.set("view", filters.view);
  if (filters.status !== undefined) params.set("status", filters.status);
  const q = filters.q?.trim() ?? "";
  if (q !== "") params.set("q", q);
  if (filters.after !== undefined) params.set("after", filters.after);
  if (filters.limit !== undefined) params.set("limit", String(filters.limit));
  const query = params.toString();
  return apiRequest<ConversationPagePayload>(
    "GET",
    `/api/conversations${query === "" ? "" : `?${query}`}`,
  );
}

/** One conversation as the list shows it. */
export function readConversation(conversationId: number): Promise<ConversationSummaryPayload> {
  return apiRequest<ConversationSummaryPayload>("GET", `/api/conversations/${conversationId}`);
}

/**
 * Takes an unassigned conversation. Rejects with a 409 `conflict` whose `data` is
 * `ConversationTakenData` when another agent was first.
 */
export function claimConversation(conversationId: number): Promise<ConversationSummaryPayload> {
  return apiRequest<ConversationSummaryPayload>(
    "POST",
    `/api/conversations/${conversationId}/claim`,
    {},
  );
}

/** Gives the conversation to an agent, or back to a queue (`userId: null`). */
export function assignConversation(
  conversationId: number,
  change: {
    userId: number | null;
    queueId?: number | null;
    expectedAssignedUserId?: number | null;
  },
): Promise<ConversationSummaryPayload> {
  return apiRequest<ConversationSummaryPayload>(
    "POST",
    `/api/conversations/${conversationId}/assign`,
    change,
  );
}

/** Resolves, reopens or sets the conversation pending. */
export function changeConversationStatus(
  conversationId: number,
  status: ConversationStatus,
): Promise<ConversationSummaryPayload> {
  return apiRequest<ConversationSummaryPayload>(
    "POST",
    `/api/conversations/${conversationId}/status`,
    { status },
  );
}

/** The conversation's private notes, oldest first. */
export function listNotes(conversationId: number): Promise<ConversationNotePayload[]> {
  return apiRequest<ConversationNotePayload[]>("GET", `/api/conversations/${conversationId}/notes`);
}

/** Adds a private note (users only; never sent to the customer). */
export function addNote(conversationId: number, body: string): Promise<ConversationNotePayload> {
  return apiRequest<ConversationNotePayload>("POST", `/api/conversations/${conversationId}/notes`, {
    body,
  });
}

/** The queues (teams) conversations wait in. */
export function listQueues(): Promise<QueuePayload[]> {
  return apiRequest<QueuePayload[]>("GET", "/api/queues");
}

/** The agents a conversation can be given to, with their presence. */
export function listAgents(): Promise<AgentDirectoryEntry[]> {
  return apiRequest<AgentDirectoryEntry[]>("GET", "/api/agents");
}
