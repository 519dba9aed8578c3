/**
 * Fired by `<at-message-bubble>` when the agent picks an emoji for the customer's message; an
 * empty `emoji` takes the business's reaction back. The thread's composer sends it at once.
 */
export type AtMessageReactEvent = CustomEvent<{ messageId: number; emoji: string }>;

declare global {
  interface GlobalEventHandlersEventMap {
    "at-message-react": AtMessageReactEvent;
  }
}
