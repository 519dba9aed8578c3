import type { ConversationPagePayload, MessagePagePayload } from "../../contracts/conversations.js";
import type { MessagePayload } from "../../contracts/messages.js";
import { apiRequest } from "./client.js";

/** The first page of the conversation list (most recent activity first). */
export function listConversations(search = ""): Promise<ConversationPagePayload> {
  const query = search.trim() === "" ? "" : `?q=${encodeURIComponent(search.trim())}`;
  return apiRequest<ConversationPagePayload>("GET", `/api/conversations${query}`);
}

/** The newest page of a thread, or the page before message `before`. */
export function readThread(conversationId: number, before?: number): Promise<MessagePagePayload> {
  const query = before === undefined ? "" : `?before=${before}`;
  return apiRequest<MessagePagePayload>(
    "GET",
    `/api/conversations/${conversationId}/messages${query}`,
  );
}

/** Sends a text message; `clientKey` makes a retry return the same message. */
export function sendText(
  conversationId: number,
  body: string,
  clientKey: string,
): Promise<MessagePayload> {
  return apiRequest<MessagePayload>("POST", `/api/conversations/${conversationId}/messages`, {
    clientKey,
    message: { type: "text", body },
  });
}

/** Marks the conversation read (clears its unread count; blue ticks on the customer's phone). */
export async function markRead(conversationId: number): Promise<void> {
  await apiRequest("POST", `/api/conversations/${conversationId}/read`);
}

/** Shows the customer WhatsApp's typing indicator (the server sends it at most every 20 s). */
export async function sendTyping(conversationId: number): Promise<void> {
  await apiRequest("POST", `/api/conversations/${conversationId}/typing`);
}
