/** Fired by `<at-conversation-actions>` when the agent takes an unassigned conversation. */
export type AtConversationClaimEvent = CustomEvent<{ conversationId: number }>;

declare global {
  interface GlobalEventHandlersEventMap {
    "at-conversation-claim": AtConversationClaimEvent;
  }
}
