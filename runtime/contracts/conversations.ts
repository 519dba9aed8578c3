import { z } from "zod";
import type { MessagePayload } from "./messages.js";

/** Conversation states: open (someone should answer), pending (waiting), resolved. */
export const conversationStatuses = ["open", "pending", "resolved"] as const;
export type ConversationStatus = (typeof conversationStatuses)[number];

/** Query of `GET /api/conversations`. */
export const ConversationListQuerySchema = z
  .object({
    /** mine: assigned to me; unassigned: the shared queue; all: everything I may see. */
    view: z.enum(["mine", "unassigned", "all"]).default("all"),
    status: z.enum(conversationStatuses).optional(),
    /** Name, number or message text. */
    q: z
      .string()
      .trim()
      .max(100, "must be at most 100 characters")
      .refine((value) => !/\p{Cc}/u.test(value), "must not contain control characters")
      .optional(),
    /** Cursor from the previous page's `next`. */
    after: z
      .string()
      .max(200)
      .regex(/^[A-Za-z0-9_-]+$/, "must be a cursor returned by the previous page")
      .optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict();
export type ConversationListQuery = z.infer<typeof ConversationListQuerySchema>;

/** One row of the conversation list. */
export interface ConversationSummaryPayload {
  id: number;
  status: ConversationStatus;
  assignedUserId: number | null;
  unreadCount: number;
  contact: { id: number; name: string | null; waId: string | null };
  lastMessageAt: string | null;
  /** When the 24-hour customer service window closes; null when it never opened. */
  windowClosesAt: string | null;
  lastMessage: MessagePayload | null;
}

/** A page of the conversation list, most recent activity first. */
export interface ConversationPagePayload {
  conversations: ConversationSummaryPayload[];
  /** Pass as `after` for the next page; null on the last page. */
  next: string | null;
}

/** Query of `GET /api/conversations/:id/messages`. */
export const MessagePageQuerySchema = z
  .object({
    /** Older than this message id (scrolling back through history). */
    before: z.coerce.number().int().positive().optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type MessagePageQuery = z.infer<typeof MessagePageQuerySchema>;

/** A page of a thread, oldest first, and the cursor for older messages. */
export interface MessagePagePayload {
  messages: MessagePayload[];
  /** Pass as `before` for older messages; null when the start is reached. */
  before: number | null;
}
