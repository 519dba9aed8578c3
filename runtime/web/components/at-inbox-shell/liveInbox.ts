import type { Socket } from "socket.io-client";
import type {
  ClientToServerEvents,
  EventEnvelope,
  EventsReplay,
  ServerToClientEvents,
} from "../../../contracts/socket-events.js";

type InboxSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The events the inbox applies, each with what the shell does with its data. */
type InboxEventName =
  | "message:created"
  | "message:statusChanged"
  | "message:mediaChanged"
  | "conversation:changed"
  | "note:created"
  | "contact:changed"
  | "agent:typing"
  | "presence:updated";

type DataOf<E extends InboxEventName> = Parameters<ServerToClientEvents[E]>[0]["data"];

/**
 * What `connectInbox` uses of the inbox shell (`AtInboxShell`), spelled out so this glue does not
 * depend on the component (and can be exercised against a real server without a DOM).
 */
export interface LiveInboxShell {
  readonly openConversationId: number | null;
  realtime?: {
    openConversation(conversationId: number | null): void;
    typing(conversationId: number): void;
  };
  refresh(): Promise<void>;
  refreshDirectory(): Promise<void>;
  applyAccessChanged(): Promise<void>;
  applyMessageCreated(data: DataOf<"message:created">): void;
  applyStatusChanged(data: DataOf<"message:statusChanged">): void;
  applyMediaChanged(data: DataOf<"message:mediaChanged">): void;
  applyConversationChanged(data: DataOf<"conversation:changed">): void;
  applyNoteCreated(data: DataOf<"note:created">): void;
  applyContactChanged(data: DataOf<"contact:changed">): void;
  applyAgentTyping(data: DataOf<"agent:typing">): void;
  applyPresenceUpdated(data: DataOf<"presence:updated">): void;
}

/** How many recent event ids are remembered to drop duplicates (a replay overlapping live events). */
const REMEMBERED_IDS = 5_000;
const CATCH_UP_TIMEOUT_MS = 10_000;

/**
 * Feeds the socket's events to the inbox shell and gives the shell its socket commands. Each
 * event is applied once, in arrival order (duplicate envelope ids are dropped). After a
 * reconnect it asks the server for what happened since the last event applied
 * (`events:since`), holding live events until the replay is applied; when the server cannot
 * replay that far back, the shell reloads everything instead.
 */
export function connectInbox(
  shell: LiveInboxShell,
  socket: InboxSocket,
): {
  /** Call on every (re)connection; the first one only announces the open conversation. */
  connected(): void;
} {
  const handlers: { [E in InboxEventName]: (data: DataOf<E>) => void } = {
    "message:created": (data) => shell.applyMessageCreated(data),
    "message:statusChanged": (data) => shell.applyStatusChanged(data),
    "message:mediaChanged": (data) => shell.applyMediaChanged(data),
    "conversation:changed": (data) => shell.applyConversationChanged(data),
    "note:created": (data) => shell.applyNoteCreated(data),
    "contact:changed": (data) => shell.applyContactChanged(data),
    "agent:typing": (data) => shell.applyAgentTyping(data),
    "presence:updated": (data) => shell.applyPresenceUpdated(data),
  };
  const seen = new Set<string>();
  const order: string[] = [];
  let lastEventId: string | undefined;
  let catchingUp = false;
  let held: EventsReplay["events"] = [];
  let connectedBefore = false;

  const apply = (name: string, envelope: EventEnvelope<unknown>): void => {
    if (!Object.hasOwn(handlers, name) || seen.has(envelope.id)) return;
    seen.add(envelope.id);
    order.push(envelope.id);
    if (order.length > REMEMBERED_IDS) seen.delete(order.shift() ?? "");
    // Presence and typing are not kept for replay: their ids mean nothing to `events:since`.
    if (name !== "presence:updated" && name !== "agent:typing") lastEventId = envelope.id;
    (handlers[name as InboxEventName] as (data: unknown) => void)(envelope.data);
  };

  const receive = (event: EventsReplay["events"][number]): void => {
    if (catchingUp) held.push(event);
    else apply(event.name, event.envelope);
  };
  for (const name of Object.keys(handlers) as InboxEventName[]) {
    // One listener per name; the cast only satisfies socket.io's overloads (same envelope shape).
    socket.on(name as "message:created", (envelope) => {
      receive({ name, envelope } as EventsReplay["events"][number]);
    });
  }
  // Events in quick succession share a frame; each goes the way it would have gone alone.
  socket.on("events:batch", (batch) => {
    for (const event of batch.events) receive(event);
  });
  // Not an event of the tenant's (no envelope, never replayed): said to this socket alone.
  socket.on("access:changed", () => {
    void shell.applyAccessChanged();
  });
  const finishCatchUp = (): void => {
    catchingUp = false;
    const waiting = held;
    held = [];
    for (const event of waiting) apply(event.name, event.envelope);
  };

  const catchUp = (): void => {
    if (lastEventId === undefined) {
      void shell.refresh();
      return;
    }
    catchingUp = true;
    void shell.refreshDirectory();
    socket
      .timeout(CATCH_UP_TIMEOUT_MS)
      .emit("events:since", { lastEventId }, (error: Error | null, result) => {
        if (error !== null || "error" in result || !result.data.complete) {
          void shell.refresh();
        } else {
          for (const event of result.data.events) apply(event.name, event.envelope);
        }
        finishCatchUp();
      });
  };

  shell.realtime = {
    openConversation: (conversationId) => {
      socket.emit("conversation:open", { conversationId }, () => {});
    },
    typing: (conversationId) => {
      // A typing signal is worth nothing later: never queue it while offline.
      if (socket.connected) socket.emit("typing:start", { conversationId }, () => {});
    },
  };

  return {
    connected(): void {
      // A new connection is in no conversation room yet.
      const open = shell.openConversationId;
      if (open !== null) shell.realtime?.openConversation(open);
      if (connectedBefore) catchUp();
      connectedBefore = true;
    },
  };
}
