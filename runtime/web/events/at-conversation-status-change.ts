import type { ConversationStatus } from "../../contracts/conversations.js";

/** Fired by `<at-conversation-actions>` when the user resolves, reopens or sets pending. */
export type AtConversationStatusChangeEvent = CustomEvent<{
  conversationId: number;
  status: ConversationStatus;
}>;

declare global {
  interface GlobalEventHandlersEventMap {
    "at-conversation-status-change": AtConversationStatusChangeEvent;
  }
}
