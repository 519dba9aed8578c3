/** Fired by `<at-message-thread>` when the agent sends a text. */
export type AtMessageSendEvent = CustomEvent<{ body: string }>;

declare global {
  interface GlobalEventHandlersEventMap {
    "at-message-send": AtMessageSendEvent;
  }
}
