/** Fired by `<at-conversation-list>` when its end scrolls into view and more pages exist. */
export type AtConversationListEndEvent = CustomEvent<undefined>;

declare global {
  interface GlobalEventHandlersEventMap {
    "at-conversation-list-end": AtConversationListEndEvent;
  }
}
