/**
 * Fired by `<at-conversation-actions>` when the user transfers the conversation to an agent, or
 * releases it to a queue (`userId: null`).
 */
export type AtConversationAssignEvent = CustomEvent<{
  conversationId: number;
  userId: number | null;
  queueId?: number | null;
  /** Who held it when the user chose, so a change made meanwhile is refused. */
  expectedAssignedUserId: number | null;
}>;

declare global {
  interface GlobalEventHandlersEventMap {
    "at-conversation-assign": AtConversationAssignEvent;
  }
}
