/**
 * The Socket.IO contract between the runtime server and the inbox in the browser. Both sides
 * import these maps, so an event renamed on one side fails to compile on the other.
 *
 * Naming (docs style §3): server broadcasts are past tense `entity:verbed`; client commands are
 * `entity:verb` and answer through an ack returning `{ data } | { error }`.
 */

import type { DeliveryStatus, MessagePayload } from "./messages.js";
import type { Permission } from "./permissions.js";
import type { MessageTemplatePayload } from "./templates.js";
import type { FailureReason } from "./whatsapp-failures.js";

/** Every server → client payload travels in this envelope. */
export interface EventEnvelope<T> {
  /** The tenant the event belongs to (each runtime serves one tenant). */
  tenant: string;
  /** Unique event id, so a client can drop duplicates after a reconnect. */
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
 * A message template's review status changed (a sync, a webhook from Meta, a submission or a
 * deletion). Sent to admins and managers only.
 */
export interface TemplateStatusChanged {
  template: MessageTemplatePayload;
  /** The status before; null for a template seen for the first time. */
  previousStatus: string | null;
}

/** Result of a client command, passed to its ack callback. */
export type AckResult<T> = { data: T } | { error: SocketErrorCode };

/** The only error strings the server sends to clients (in acks and `connect_error`). */
export type SocketErrorCode = "unauthorized" | "validation_error" | "internal_error";

/** Events the server emits to browsers. */
export interface ServerToClientEvents {
  "presence:updated": (event: EventEnvelope<PresenceUpdated>) => void;
  "message:created": (event: EventEnvelope<MessageCreated>) => void;
  "template:statusChanged": (event: EventEnvelope<TemplateStatusChanged>) => void;
  "message:statusChanged": (event: EventEnvelope<MessageStatusChanged>) => void;
}

/**
 * Commands browsers send to the server. None yet: the inbox only listens so far. New commands
 * take a payload and an ack, e.g. `"message:send": (p: MessageSend, ack: (r: AckResult<…>) => void) => void`.
 */
export type ClientToServerEvents = Record<never, never>;

/** What the server keeps on each authenticated socket (`socket.data`). */
export interface SocketData {
  userId: number;
  /** sha256 of the session id, so logging out can disconnect that session's sockets. */
  sessionKey: string;
  /** The user's permissions at connection time: permission rooms carry restricted events. */
  permissions: Permission[];
}
