/**
 * Conversation states: open (someone should answer), pending (waiting), resolved. Apart from the
 * zod schemas (`conversations.ts`) so the browser can import it without bundling zod.
 */
export const conversationStatuses = ["open", "pending", "resolved"] as const;
export type ConversationStatus = (typeof conversationStatuses)[number];
