/** Fired by `<at-conversation-list>` when the agent opens a conversation. */
export type AtConversationSelectEvent = CustomEvent<{ conversationId: number }>;

declare global {
  interface GlobalEventHandlersEventMap {
    "at-conversation-select": AtConversationSelectEvent;
  }
}
