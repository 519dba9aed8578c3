import type { ConversationStatus } from "../../contracts/conversations.js";

/** Which conversations the list shows: whose, in which state, matching what. */
export interface ConversationFilters {
  view: "mine" | "unassigned" | "all";
  /** Undefined: every state. */
  status: ConversationStatus | undefined;
  /** Name, number or message text; empty for no search. */
  q: string;
}

/** Fired by `<at-conversation-filters>` when the agent changes the view, status or search. */
export type AtConversationFilterChangeEvent = CustomEvent<ConversationFilters>;

declare global {
  interface GlobalEventHandlersEventMap {
    "at-conversation-filter-change": AtConversationFilterChangeEvent;
  }
}
