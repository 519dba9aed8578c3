import type { QuickReplyPayload } from "../../contracts/contacts.js";
import type { MessagePagePayload } from "../../contracts/conversations.js";
import type { MediaKind, MessagePayload } from "../../contracts/messages.js";
import type { OutboundMessage } from "../../contracts/outbound-messages.js";
import { apiRequest } from "./client.js";

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

/** Sends an uploaded file (`uploadMedia`) as a media message. */
export function sendMedia(
  conversationId: number,
  media: { kind: MediaKind; uploadId: number; caption?: string; filename?: string },
  clientKey: string,
): Promise<MessagePayload> {
  const { kind, uploadId, caption, filename } = media;
  const message = {
    type: kind,
    uploadId,
    ...(caption === undefined || kind === "audio" || kind === "sticker" ? {} : { caption }),
    ...(filename === undefined || kind !== "document" ? {} : { filename }),
  } as OutboundMessage;
  return apiRequest<MessagePayload>("POST", `/api/conversations/${conversationId}/messages`, {
    clientKey,
    message,
  });
}

/** Sends an approved template with its variables filled (allowed with the window closed). */
export function sendTemplate(
  conversationId: number,
  template: Omit<Extract<OutboundMessage, { type: "template" }>, "type">,
  clientKey: string,
): Promise<MessagePayload> {
  return apiRequest<MessagePayload>("POST", `/api/conversations/${conversationId}/messages`, {
    clientKey,
    message: { type: "template", ...template },
  });
}

/** The tenant's quick replies (`/atalho` in the composer). */
export function fetchQuickReplies(): Promise<QuickReplyPayload[]> {
  return apiRequest<QuickReplyPayload[]>("GET", "/api/quick-replies");
}

/** Marks the conversation read (clears its unread count; blue ticks on the customer's phone). */
export async function markRead(conversationId: number): Promise<void> {
  await apiRequest("POST", `/api/conversations/${conversationId}/read`);
}
