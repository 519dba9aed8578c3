/**
 * Fired by `<at-message-bubble>` when the agent chooses to reply to its message (a quote); the
 * thread shows the quote in its composer, which sends the next message as a reply to it.
 */
export type AtMessageReplyEvent = CustomEvent<{ messageId: number }>;

declare global {
  interface GlobalEventHandlersEventMap {
    "at-message-reply": AtMessageReplyEvent;
  }
}
