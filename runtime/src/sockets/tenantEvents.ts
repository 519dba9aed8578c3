import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { Knex } from "knex";
import type { Permission } from "../../contracts/permissions.js";
import type {
  EnvelopedEventName,
  EventEnvelope,
  ServerToClientEvents,
} from "../../contracts/socket-events.js";
import type { Env } from "../env.js";
import type { Logger } from "../logger.js";
import { dropSlowSockets, type WriteBufferLimits } from "./backpressure.js";
import {
  type ConversationScope,
  type ConversationViewerScope,
  conversationScopes,
  maySeeConversationScope,
} from "./conversationAudience.js";
import type { SocketServer } from "./createSocketServer.js";
import { EventJournal } from "./eventJournal.js";
import { FrameCoalescer, type OutgoingEvent } from "./frameCoalescer.js";
import {
  assigneeRoom,
  conversationRoom,
  permissionRoom,
  queueRoom,
  tenantRoom,
  userRoom,
} from "./rooms.js";

/** A server → client event name (`events:batch` only wraps these). */
export type TenantEventName = EnvelopedEventName;

/** The `data` of an event's envelope. */
export type TenantEventData<E extends TenantEventName> =
  Parameters<ServerToClientEvents[E]>[0] extends EventEnvelope<infer T> ? T : never;

/** Redis channel carrying tenant-wide broadcasts from any process to the web role. */
export function tenantEventsChannel(env: Pick<Env, "REDIS_PREFIX">): string {
  return `${env.REDIS_PREFIX}:tenant-events`;
}

/**
 * Who receives one event:
 * - `everyone`: every signed-in socket of the tenant;
 * - `permissions`: sockets whose user holds one of `anyOf` (they sit in those permissions' rooms);
 * - `conversation`: whoever may see the conversation now (`conversations.viewAll`, its
 *   assignee, or while unassigned the members of its queue, or everyone with
 *   `conversations.viewAssigned` for the general queue), plus whoever could see it before
 *   (`formerScopeOf`: a transferred conversation must leave the former assignee's list, a claimed
 *   one the lists of the queue it waited in). `scopeOf` reads the assignee and queue from the event
 *   itself; without it the relay reads them from the database when it relays;
 * - `openConversation`: the sockets that opened the conversation, except the user who caused it.
 */
export type EventAudience<E extends TenantEventName> =
  | { kind: "everyone" }
  | { kind: "permissions"; anyOf: readonly Permission[] }
  | {
      kind: "conversation";
      conversationOf: (data: TenantEventData<E>) => number;
      scopeOf?: (data: TenantEventData<E>) => ConversationScope;
      formerScopeOf?: (data: TenantEventData<E>) => ConversationScope;
    }
  | {
      kind: "openConversation";
      conversationOf: (data: TenantEventData<E>) => number;
      exceptUserOf: (data: TenantEventData<E>) => number;
    };

/** How one event travels: its audience, and whether `events:since` can replay it. */
export interface EventRoute<E extends TenantEventName> {
  audience: EventAudience<E>;
  /**
   * Kept in the journal and given an ordered id. Presence and typing are not: they are only
   * true at the moment (after a reconnect the inbox reads presence from `GET /api/agents`).
   */
  journal: boolean;
}

/**
 * Who receives each server → client event. Every event must be listed, so a new one cannot leak
 * by default.
 */
export const eventAudience: { [E in TenantEventName]: EventRoute<E> } = {
  "presence:updated": { audience: { kind: "everyone" }, journal: false },
  "message:created": {
    audience: { kind: "conversation", conversationOf: (data) => data.message.conversationId },
    journal: true,
  },
  "message:statusChanged": {
    audience: { kind: "conversation", conversationOf: (data) => data.conversationId },
    journal: true,
  },
  "message:mediaChanged": {
    audience: { kind: "conversation", conversationOf: (data) => data.conversationId },
    journal: true,
  },
  "conversation:changed": {
    audience: {
      kind: "conversation",
      conversationOf: (data) => data.conversation.id,
      scopeOf: (data) => ({
        assignedUserId: data.conversation.assignedUserId,
        queueId: data.conversation.queueId,
      }),
      // A queue change does not say the former queue; the former assignee is what matters.
      formerScopeOf: (data) => ({
        assignedUserId: data.previousAssignedUserId,
        queueId: data.conversation.queueId,
      }),
    },
    journal: true,
  },
  "note:created": {
    audience: { kind: "conversation", conversationOf: (data) => data.note.conversationId },
    journal: true,
  },
  "contact:changed": {
    audience: { kind: "conversation", conversationOf: (data) => data.conversationId },
    journal: true,
  },
  "template:statusChanged": {
    audience: { kind: "permissions", anyOf: ["templates.manage"] },
    journal: true,
  },
  "agent:typing": {
    audience: {
      kind: "openConversation",
      conversationOf: (data) => data.conversationId,
      exceptUserOf: (data) => data.agent.id,
    },
    journal: false,
  },
};

/** The route of an event name received from Redis or a client; undefined when unknown. */
function routeOf(event: string): EventRoute<TenantEventName> | undefined {
  return Object.hasOwn(eventAudience, event)
    ? (eventAudience[event as TenantEventName] as unknown as EventRoute<TenantEventName>)
    : undefined;
}

/**
 * Publishes tenant broadcasts (`message:created`, …) from wherever they happen (usually a BullMQ
 * worker, possibly in another process) to the web role, which relays them to their audience
 * (`eventAudience`). Journaled events are appended to the tenant's `EventJournal` in the same
 * Redis round trip and take its ordered entry id as envelope id; the others get a random id.
 * An event published while no web process listens is not relayed live, but a reconnecting
 * browser finds the journaled ones through `events:since`.
 */
export class TenantEventPublisher {
  private readonly redis: Redis;
  private readonly env: Pick<Env, "REDIS_PREFIX" | "TENANT_ID">;
  private readonly journal: EventJournal;

  constructor(options: { redis: Redis; env: Pick<Env, "REDIS_PREFIX" | "TENANT_ID"> }) {
    this.redis = options.redis;
    this.env = options.env;
    this.journal = new EventJournal(options);
  }

  /** Wraps `data` in the event envelope and publishes it. */
  async publish<E extends TenantEventName>(event: E, data: TenantEventData<E>): Promise<void> {
    const rest: Omit<EventEnvelope<TenantEventData<E>>, "id"> = {
      tenant: this.env.TENANT_ID,
      occurredAt: new Date().toISOString(),
      schemaVersion: 1,
      data,
    };
    // `{"event":…,"envelope":{"id":"` + id + `","tenant":…}}`: the id is known only once journaled.
    const head = `{"event":${JSON.stringify(event)},"envelope":{"id":"`;
    const tail = `",${JSON.stringify(rest).slice(1)}}`;
    const channel = tenantEventsChannel(this.env);
    if (eventAudience[event].journal) {
      await this.journal.appendAndPublish(channel, head, tail);
    } else {
      await this.redis.publish(channel, `${head}${randomUUID()}${tail}`);
    }
  }
}

/** The rooms of everyone who may see a conversation in `scope` (the visibility rule as rooms). */
export function conversationRooms(tenant: string, scope: ConversationScope | undefined): string[] {
  const rooms = [permissionRoom(tenant, "conversations.viewAll")];
  if (scope === undefined) return rooms;
  if (scope.assignedUserId !== null) rooms.push(assigneeRoom(tenant, scope.assignedUserId));
  else if (scope.queueId !== null) rooms.push(queueRoom(tenant, scope.queueId));
  else rooms.push(permissionRoom(tenant, "conversations.viewAssigned"));
  return rooms;
}

/**
 * Whether a viewer may receive one journaled event now (the replay's filter; the same rule as
 * the rooms the relay uses). `scopes` holds the current scope of the events' conversations.
 */
export function mayReceive(
  viewer: ConversationViewerScope & { permissions: ReadonlySet<Permission> },
  event: string,
  data: unknown,
  scopes: ReadonlyMap<number, ConversationScope>,
): boolean {
  const route = routeOf(event);
  if (route === undefined) return false;
  const { audience } = route;
  switch (audience.kind) {
    case "everyone":
      return true;
    case "permissions":
      return audience.anyOf.some((permission) => viewer.permissions.has(permission));
    case "openConversation":
      return false;
    case "conversation": {
      const typed = data as TenantEventData<TenantEventName>;
      const formerScope = audience.formerScopeOf?.(typed);
      if (formerScope !== undefined && maySeeConversationScope(viewer, formerScope)) return true;
      const scope = scopes.get(audience.conversationOf(typed));
      if (scope === undefined) return viewer.permissions.has("conversations.viewAll");
      return maySeeConversationScope(viewer, scope);
    }
  }
}

/** The conversation ids whose current scope `mayReceive` needs for these events. */
export function conversationIdsOf(
  events: ReadonlyArray<{ event: string; data: unknown }>,
): number[] {
  const ids: number[] = [];
  for (const { event, data } of events) {
    const audience = routeOf(event)?.audience;
    if (audience?.kind !== "conversation") continue;
    try {
      ids.push(audience.conversationOf(data as TenantEventData<TenantEventName>));
    } catch {
      // A malformed event is dropped by `mayReceive` callers; it has no conversation to read.
    }
  }
  return ids.filter((id) => Number.isSafeInteger(id));
}

/** The conversation an event is about, for conversation events; undefined otherwise. */
export function conversationOfEvent(event: string, data: unknown): number | undefined {
  return conversationIdsOf([{ event, data }])[0];
}

/** Events relayed in one go: one database read for all their conversations. */
const MAX_BATCH = 500;

/** Default gathering window of conversation events into `events:batch` frames (ms). */
export const DEFAULT_FRAME_WINDOW_MS = 10;

/**
 * Subscribes `subscriber` (a dedicated connection: subscribed connections can do nothing else)
 * to the tenant's channel and emits each event to its audience (`eventAudience`); a socket in
 * several of the rooms gets it once. Events arriving together are relayed together, in order,
 * with one primary-key read of their conversations' assignee and queue (the hot path: webhook
 * → socket frame). Conversation events in quick succession to the same rooms leave together as
 * `events:batch` frames (`FrameCoalescer`, `frameWindowMs`); sockets that stop reading are
 * dropped (`dropSlowSockets`).
 * @returns a function that unsubscribes (and sends what is still held)
 */
export async function relayTenantEvents(options: {
  io: SocketServer;
  subscriber: Redis;
  db: Knex;
  env: Pick<Env, "REDIS_PREFIX" | "TENANT_ID">;
  logger: Logger;
  /** Gathering window of `events:batch` frames (ms; 0: every event in its own frame). */
  frameWindowMs?: number;
  /** When a socket that does not read is dropped. */
  writeBufferLimits?: WriteBufferLimits;
}): Promise<() => Promise<void>> {
  const channel = tenantEventsChannel(options.env);
  const tenant = options.env.TENANT_ID;
  const pending: Array<{ event: string; envelope: { data: unknown } }> = [];
  let draining = false;

  const emit = (
    rooms: string | string[],
    except: string | undefined,
    event: string,
    envelope: unknown,
  ) => {
    const target =
      except === undefined ? options.io.to(rooms) : options.io.to(rooms).except(except);
    // The names are checked against `eventAudience`; the payload was built by TenantEventPublisher.
    (target.emit as (name: string, payload: unknown) => boolean)(event, envelope);
  };
  const frames = new FrameCoalescer({
    windowMs: options.frameWindowMs ?? DEFAULT_FRAME_WINDOW_MS,
    send: (rooms, events: OutgoingEvent[]) => {
      if (events.length === 1) {
        const [only] = events as [OutgoingEvent];
        emit(rooms, undefined, only.name, only.envelope);
      } else {
        emit(rooms, undefined, "events:batch", { events });
      }
    },
    onError: (error) => options.logger.warn({ err: error }, "tenant events not relayed"),
  });
  const stopDroppingSlowSockets = dropSlowSockets({
    io: options.io,
    logger: options.logger,
    limits: options.writeBufferLimits,
  });

  // A conversation transferred away from someone who has it open stops showing them its typing.
  const leaveIfNoLongerVisible = (conversationId: number, scope: ConversationScope) => {
    const room = conversationRoom(tenant, conversationId);
    for (const socketId of options.io.sockets.adapter.rooms.get(room) ?? []) {
      const socket = options.io.sockets.sockets.get(socketId);
      if (socket === undefined || maySeeConversationScope(socket.data, scope)) continue;
      void socket.leave(room);
      socket.data.openConversationId = null;
    }
  };

  const relay = (
    event: string,
    envelope: { data: unknown },
    scopes: ReadonlyMap<number, ConversationScope>,
  ) => {
    const route = routeOf(event);
    if (route === undefined) return;
    const { audience } = route;
    // A journaled event must not overtake the ones held before it (see `FrameCoalescer`).
    if (route.journal && audience.kind !== "conversation") frames.flush();
    const data = envelope.data as TenantEventData<TenantEventName>;
    switch (audience.kind) {
      case "everyone":
        return emit(tenantRoom(tenant), undefined, event, envelope);
      case "permissions":
        return emit(
          audience.anyOf.map((permission) => permissionRoom(tenant, permission)),
          undefined,
          event,
          envelope,
        );
      case "openConversation":
        return emit(
          conversationRoom(tenant, audience.conversationOf(data)),
          userRoom(tenant, audience.exceptUserOf(data)),
          event,
          envelope,
        );
      case "conversation": {
        const scope = audience.scopeOf?.(data) ?? scopes.get(audience.conversationOf(data));
        const rooms = conversationRooms(tenant, scope);
        const formerScope = audience.formerScopeOf?.(data);
        if (formerScope !== undefined) rooms.push(...conversationRooms(tenant, formerScope));
        frames.push(rooms, { name: event, envelope });
        if (audience.scopeOf !== undefined && scope !== undefined) {
          leaveIfNoLongerVisible(audience.conversationOf(data), scope);
        }
        return;
      }
    }
  };

  const drain = async () => {
    draining = true;
    try {
      while (pending.length > 0) {
        const batch = pending.splice(0, MAX_BATCH);
        const lookups = batch.filter(({ event }) => {
          const audience = routeOf(event)?.audience;
          return audience?.kind === "conversation" && audience.scopeOf === undefined;
        });
        let scopes = new Map<number, ConversationScope>();
        try {
          scopes = await conversationScopes(
            options.db,
            conversationIdsOf(
              lookups.map(({ event, envelope }) => ({ event, data: envelope.data })),
            ),
          );
        } catch (error) {
          // Fails closed: without the assignee, only users who see everything get the events.
          options.logger.warn({ err: error }, "conversation audience not read");
        }
        for (const { event, envelope } of batch) {
          try {
            relay(event, envelope, scopes);
          } catch (error) {
            options.logger.warn({ err: error, event }, "tenant event not relayed");
          }
        }
      }
    } finally {
      draining = false;
    }
  };

  const onMessage = (received: string, text: string) => {
    if (received !== channel) return;
    try {
      const parsed = JSON.parse(text) as { event: string; envelope: { data: unknown } };
      if (routeOf(parsed.event) === undefined) return;
      pending.push(parsed);
      if (!draining) {
        drain().catch((error: unknown) => {
          options.logger.warn({ err: error }, "tenant events not relayed");
        });
      }
    } catch (error) {
      options.logger.warn({ err: error }, "tenant event not relayed");
    }
  };
  options.subscriber.on("message", onMessage);
  await options.subscriber.subscribe(channel);
  return async () => {
    options.subscriber.off("message", onMessage);
    stopDroppingSlowSockets();
    frames.flush();
    if (options.subscriber.status === "ready") await options.subscriber.unsubscribe(channel);
  };
}
