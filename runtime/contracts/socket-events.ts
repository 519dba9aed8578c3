/**
 * The Socket.IO contract between the runtime server and the inbox in the browser. Both sides
 * import these maps, so an event renamed on one side fails to compile on the other.
 *
 * Naming (docs style §3): server broadcasts are past tense `entity:verbed`; client commands are
 * `entity:verb` and answer through an ack returning `{ data } | { error }`.
 */

import type {
  AgentRef,
  ConversationNotePayload,
  ConversationSummaryPayload,
} from "./conversations.js";
import type { DeliveryStatus, MessagePayload } from "./messages.js";
import type { Permission } from "./permissions.js";
import type { MessageTemplatePayload } from "./templates.js";
import type { FailureReason } from "./whatsapp-failures.js";

/** Every server → client payload travels in this envelope. */
export interface EventEnvelope<T> {
  /** The tenant the event belongs to (each runtime serves one tenant). */
  tenant: string;
  /**
   * Unique event id, so a client can drop duplicates after a reconnect. Events `events:since`
   * can replay (messages, statuses, conversation changes, notes, templates) carry the journal's
   * ordered id, `<ms>-<seq>`; presence and typing carry a random UUID and are never replayed.
   */
  id: string;
  /** ISO 8601 instant the event happened. */
  occurredAt: string;
  /** Version of `data`'s shape; bumped on breaking changes. */
  schemaVersion: 1;
  data: T;
}

/** An agent came online or went offline. */
export interface PresenceUpdated {
  userId: number;
  status: "online" | "offline";
}

/**
 * What the contact panel shows of a conversation's contact changed (their consent, LGPD: they
 * tapped a consent button or sent SAIR/VOLTAR): read `GET /api/contacts/:id` again.
 */
export interface ContactChanged {
  contactId: number;
  conversationId: number;
}

/** A message arrived (or was stored) in a conversation. */
export interface MessageCreated {
  message: MessagePayload;
  contactId: number;
}

/**
 * An outbound message's status moved forward: queued → sending → accepted (with its wamid) →
 * sent → delivered → read, or failed with a reason (locally or reported by Meta).
 */
export interface MessageStatusChanged {
  messageId: number;
  conversationId: number;
  wamid: string | null;
  status: DeliveryStatus;
  failureReason: FailureReason | null;
}

/**
 * An inbound message's media finished downloading (`ready`: its `/api/conversations/:id/messages/:messageId/media`
 * serves it now) or failed for good (`failed`, with the reason). Retries in between are not announced.
 */
export interface MessageMediaChanged {
  messageId: number;
  conversationId: number;
  media: NonNullable<MessagePayload["media"]>;
}

/**
 * A message template's review status changed (a sync, a webhook from Meta, a submission or a
 * deletion). Sent to admins and managers only.
 */
export interface TemplateStatusChanged {
  template: MessageTemplatePayload;
  /** The status before; null for a template seen for the first time. */
  previousStatus: string | null;
}

/**
 * A conversation was created, assigned, transferred, released to a queue, resolved, reopened or
 * set pending. Sent to everyone who may see it now, and to whoever could see it before (its
 * previous assignee), so a conversation transferred away leaves their list.
 */
export interface ConversationChanged {
  /** The conversation as the list shows it, after the change. */
  conversation: ConversationSummaryPayload;
  change: "created" | "assigned" | "released" | "status";
  /** Who made the change; null when atende did (a new customer message, an automatic rule). */
  by: AgentRef | null;
  /** The assignee before the change (for "assigned"/"released"). */
  previousAssignedUserId: number | null;
}

/** A private note was added to a conversation. */
export interface NoteCreated {
  note: ConversationNotePayload;
}

/** An agent is typing in a conversation (other agents viewing it see "Ana está digitando…"). */
export interface AgentTyping {
  conversationId: number;
  agent: AgentRef;
}

/** Payload of the `conversation:open` command: the conversation the agent is looking at. */
export interface ConversationOpen {
  /** Null when the agent closed the thread. */
  conversationId: number | null;
}

/** Payload of the `typing:start` command. */
export interface TypingStart {
  conversationId: number;
}

/**
 * Payload of the `events:since` command: the id of the last replayable event this client
 * applied (`<ms>-<seq>`, see `EventEnvelope.id`; not a presence or typing id).
 */
export interface EventsSince {
  lastEventId: string;
}

/**
 * Answer to `events:since`: the events the client may see that were published after
 * `lastEventId`, oldest first. `complete: false` means the server no longer holds that far back
 * (or never saw the id): reload the lists instead.
 */
export interface EventsReplay {
  events: NamedEvent[];
  complete: boolean;
}

/**
 * A server → client event that travels in an `EventEnvelope`: every one but `events:batch` and
 * `access:changed` (said to one socket, never published to the tenant).
 */
export type EnvelopedEventName = Exclude<
  keyof ServerToClientEvents,
  "events:batch" | "access:changed"
>;

/** One event with its name, as `events:since` and `events:batch` carry them. */
export type NamedEvent = {
  [E in EnvelopedEventName]: {
    name: E;
    envelope: Parameters<ServerToClientEvents[E]>[0];
  };
}[EnvelopedEventName];

/** Payload of `events:batch`. */
export interface EventsBatch {
  /** In the order they happened; never empty. */
  events: NamedEvent[];
}

/** Result of a client command, passed to its ack callback. */
export type AckResult<T> = { data: T } | { error: SocketErrorCode };

/** The only error strings the server sends to clients (in acks and `connect_error`). */
export type SocketErrorCode =
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "rate_limited"
  | "validation_error"
  | "internal_error";

/** Events the server emits to browsers. */
export interface ServerToClientEvents {
  "presence:updated": (event: EventEnvelope<PresenceUpdated>) => void;
  "message:created": (event: EventEnvelope<MessageCreated>) => void;
  "template:statusChanged": (event: EventEnvelope<TemplateStatusChanged>) => void;
  "message:statusChanged": (event: EventEnvelope<MessageStatusChanged>) => void;
  "message:mediaChanged": (event: EventEnvelope<MessageMediaChanged>) => void;
  "conversation:changed": (event: EventEnvelope<ConversationChanged>) => void;
  "note:created": (event: EventEnvelope<NoteCreated>) => void;
  "contact:changed": (event: EventEnvelope<ContactChanged>) => void;
  "agent:typing": (event: EventEnvelope<AgentTyping>) => void;
  /**
   * Several events in one frame, to be applied one by one, in order, exactly as if each had
   * arrived alone under its own name (same envelope, same id). The server sends this instead of
   * single frames when a conversation audience receives events in quick succession (under about
   * 10 ms apart); after a quiet moment an event always comes alone, under its own name.
   * Presence and typing never come batched.
   */
  "events:batch": (batch: EventsBatch) => void;
  /**
   * Your own access changed (role, its permissions, queues or name, changed by an
   * administrator): the socket already receives exactly what you may see now; read
   * `GET /api/session` again and reload what the page shows. Never journaled or replayed (a
   * reconnecting page reads the session anew anyway).
   */
  "access:changed": (change: AccessChanged) => void;
}

/** What `access:changed` says: nothing but that it happened (the session says what is now). */
export type AccessChanged = Record<string, never>;

/**
 * Commands browsers send to the server. Each takes a payload validated by the server and an ack
 * answering `{ data } | { error }`; the server checks the user's permissions and the
 * conversation's visibility on every one. Any command may also answer `validation_error` (the
 * payload is not exactly the documented shape), `rate_limited` (more than 30 commands in 10 s
 * on one socket), `unauthorized` (the session ended: the server then closes the socket; go to
 * the sign-in page) or `internal_error`.
 */
export interface ClientToServerEvents {
  /**
   * Joins the conversation's room (typing of other agents); leaves the previous one. Send it
   * again after every (re)connect: a new socket is in no conversation room. `not_found` for a
   * conversation the user may not see (never `forbidden`, which means no view permission).
   */
  "conversation:open": (payload: ConversationOpen, ack: (result: AckResult<null>) => void) => void;
  /**
   * The agent is typing: other agents who opened the conversation see it (`agent:typing`, never
   * the typist's own sockets); the customer sees WhatsApp's indicator. At most one per socket
   * every 2 s (`rate_limited` otherwise): send it on keystrokes, throttled, and show another
   * agent's indicator for a few seconds after each `agent:typing`. Needs `messages.send`.
   */
  "typing:start": (payload: TypingStart, ack: (result: AckResult<null>) => void) => void;
  /**
   * Catch-up after a reconnect: what happened since the last event applied, filtered by what the
   * user may see now, oldest first; apply them like live events (dropping ids already applied).
   * `complete: false` (the id is unknown or too old, or too much happened): reload the lists and
   * the open thread instead. A client that never received a replayable event reloads too.
   * Presence is not replayed: read `GET /api/agents` again after a reconnect.
   */
  "events:since": (payload: EventsSince, ack: (result: AckResult<EventsReplay>) => void) => void;
}

/** What the server keeps on each authenticated socket (`socket.data`). */
export interface SocketData {
  userId: number;
  /** sha256 of the session id, so logging out can disconnect that session's sockets. */
  sessionKey: string;
  /** The user's permissions (kept current by `accessChanges.ts`): permission rooms carry restricted events. */
  permissions: Permission[];
  /** The user's name, for typing indicators. */
  name: string;
  /** The user's role (kept current like the permissions). */
  role: string;
  /** Queues (teams) the user works (kept current like the permissions). */
  queueIds: number[];
  /** The conversation whose room the socket is in (`conversation:open`). */
  openConversationId: number | null;
}
