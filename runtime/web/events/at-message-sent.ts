import type { MessagePayload } from "../../contracts/messages.js";

/**
 * Fired by `<at-message-thread>` (from its composer) after it sent a message itself — a file or
 * a template — and the server stored it. The same message also arrives as `message:created`;
 * merge by id.
 */
export type AtMessageSentEvent = CustomEvent<{ message: MessagePayload }>;

declare global {
  interface GlobalEventHandlersEventMap {
    "at-message-sent": AtMessageSentEvent;
  }
}
