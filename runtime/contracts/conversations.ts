import { z } from "zod";
import { type ConversationStatus, conversationStatuses } from "./conversation-status.js";
import type { MessagePayload } from "./messages.js";
import { multilineText } from "./text-fields.js";

export { type ConversationStatus, conversationStatuses };

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

/** A user as other users see them in the inbox (assignee, note author, who is typing). */
export interface AgentRef {
  id: number;
  name: string;
}

/** One row of the conversation list. */
export interface ConversationSummaryPayload {
  id: number;
  status: ConversationStatus;
  assignedUserId: number | null;
  /** The assigned agent's name, so the list can say who has it; null while unassigned. */
  assignee: AgentRef | null;
  /** The queue (team) it waits in; null for the general queue. */
  queueId: number | null;
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

/**
 * Body of `POST /api/conversations/:id/assign`: give the conversation to an agent (`userId`),
 * or back to a queue (`userId: null`, optionally moving it to `queueId`). Needs
 * `conversations.assign`, except that the agent who holds a conversation may transfer or release
 * it. `expectedAssignedUserId`, when given, makes the change conditional (409 `conflict` when
 * somebody changed the assignment meanwhile).
 */
export const ConversationAssignSchema = z
  .object({
    userId: z.number().int().positive().nullable(),
    queueId: z.number().int().positive().nullable().optional(),
    expectedAssignedUserId: z.number().int().positive().nullable().optional(),
  })
  .strict();
export type ConversationAssignRequest = z.infer<typeof ConversationAssignSchema>;

/** Body of `POST /api/conversations/:id/status`: resolve, reopen, or set pending. */
export const ConversationStatusChangeSchema = z
  .object({ status: z.enum(conversationStatuses) })
  .strict();
export type ConversationStatusChangeRequest = z.infer<typeof ConversationStatusChangeSchema>;

/**
 * `data` of the 409 `conflict` answering `POST /api/conversations/:id/claim` when another agent
 * took the conversation first.
 */
export interface ConversationTakenData {
  reason: "conversation_taken";
  assignee: AgentRef;
}

/** Body of `POST /api/conversations/:id/notes`: a private note only users see. */
export const ConversationNoteCreateSchema = z.object({ body: multilineText(4_000) }).strict();
export type ConversationNoteCreateRequest = z.infer<typeof ConversationNoteCreateSchema>;

/** A private note on a conversation (never sent to the customer). */
export interface ConversationNotePayload {
  id: number;
  conversationId: number;
  /** Null when the author's account was deleted. */
  author: AgentRef | null;
  body: string;
  createdAt: string;
}

/** A queue (team) conversations wait in, and who works it. */
export interface QueuePayload {
  id: number;
  name: string;
  memberUserIds: number[];
}

/** Body of `POST /api/queues` and `PATCH /api/queues/:id` (permission `users.manage`). */
export const QueueWriteSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, "is required")
      .max(80, "must be at most 80 characters")
      .refine((value) => !/\p{Cc}/u.test(value), "must not contain control characters"),
    memberUserIds: z.array(z.number().int().positive()).max(1_000).optional(),
  })
  .strict();
export type QueueWriteRequest = z.infer<typeof QueueWriteSchema>;

/** `GET /api/agents`: the users a conversation can be given to, with their presence. */
export interface AgentDirectoryEntry extends AgentRef {
  role: string;
  online: boolean;
  queueIds: number[];
}
