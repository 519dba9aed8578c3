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

/** What every send takes besides the message: `replyToMessageId` quotes one of the thread's. */
export interface SendOptions {
  replyToMessageId?: number;
}

function postMessage(
  conversationId: number,
  clientKey: string,
  message: OutboundMessage,
  options: SendOptions,
): Promise<MessagePayload> {
  return apiRequest<MessagePayload>("POST", `/api/conversations/${conversationId}/messages`, {
    clientKey,
    ...(options.replyToMessageId === undefined
      ? {}
      : { replyToMessageId: options.replyToMessageId }),
    message,
  });
}

/** Sends a text message; `clientKey` makes a retry return the same message. */
export function sendText(
  conversationId: number,
  body: string,
  clientKey: string,
  options: SendOptions = {},
): Promise<MessagePayload> {
  return postMessage(conversationId, clientKey, { type: "text", body }, options);
}

/** Sends `emoji` as the business's reaction to message `messageId` ("" takes it back). */
export function sendReaction(
  conversationId: number,
  messageId: number,
  emoji: string,
  clientKey: string,
): Promise<MessagePayload> {
  return postMessage(conversationId, clientKey, { type: "reaction", messageId, emoji }, {});
}

/** Sends an uploaded file (`uploadMedia`) as a media message. */
export function sendMedia(
  conversationId: number,
  media: { kind: MediaKind; uploadId: number; caption?: string; filename?: string },
  clientKey: string,
  options: SendOptions = {},
): Promise<MessagePayload> {
  const { kind, uploadId, caption, filename } = media;
  const message = {
    type: kind,
    uploadId,
    ...(caption === undefined || kind === "audio" || kind === "sticker" ? {} : { caption }),
    ...(filename === undefined || kind !== "document" ? {} : { filename }),
  } as OutboundMessage;
  return postMessage(conversationId, clientKey, message, options);
}

/** Sends an approved template with its variables filled (allowed with the window closed). */
export function sendTemplate(
  conversationId: number,
  template: Omit<Extract<OutboundMessage, { type: "template" }>, "type">,
  clientKey: string,
): Promise<MessagePayload> {
  return postMessage(conversationId, clientKey, { type: "template", ...template }, {});
}

/** The tenant's quick replies (`/atalho` in the composer). */
export function fetchQuickReplies(): Promise<QuickReplyPayload[]> {
  return apiRequest<QuickReplyPayload[]>("GET", "/api/quick-replies");
}

/** Marks the conversation read (clears its unread count; blue ticks on the customer's phone). */
export async function markRead(conversationId: number): Promise<void> {
  await apiRequest("POST", `/api/conversations/${conversationId}/read`);
}
