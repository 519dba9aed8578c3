/** Fired by `<at-message-thread>` while the agent types (at most every few seconds). */
export type AtTypingEvent = CustomEvent<undefined>;

declare global {
  interface GlobalEventHandlersEventMap {
    "at-typing": AtTypingEvent;
  }
}
