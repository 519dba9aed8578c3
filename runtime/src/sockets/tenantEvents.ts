import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { Permission } from "../../contracts/permissions.js";
import type { EventEnvelope, ServerToClientEvents } from "../../contracts/socket-events.js";
import type { Env } from "../env.js";
import type { Logger } from "../logger.js";
import type { SocketServer } from "./createSocketServer.js";
import { permissionRoom, tenantRoom } from "./rooms.js";

/** A server → client event name. */
export type TenantEventName = keyof ServerToClientEvents;

/** The `data` of an event's envelope. */
export type TenantEventData<E extends TenantEventName> =
  Parameters<ServerToClientEvents[E]>[0] extends EventEnvelope<infer T> ? T : never;

/** Redis channel carrying tenant-wide broadcasts from any process to the web role. */
export function tenantEventsChannel(env: Pick<Env, "REDIS_PREFIX">): string {
  return `${env.REDIS_PREFIX}:tenant-events`;
}

/**
 * Publishes tenant-wide broadcasts (`message:created`, …) from wherever they happen (usually a
 * BullMQ worker, possibly in another process) to the web role, which relays them to the
 * `tenant:{t}` room. Redis pub/sub: an event published while no web process listens is lost,
 * which is fine for live updates (the inbox reloads state on reconnect).
 */
export class TenantEventPublisher {
  private readonly redis: Redis;
  private readonly env: Pick<Env, "REDIS_PREFIX" | "TENANT_ID">;

  constructor(options: { redis: Redis; env: Pick<Env, "REDIS_PREFIX" | "TENANT_ID"> }) {
    this.redis = options.redis;
    this.env = options.env;
  }

  /** Wraps `data` in the event envelope and publishes it. */
  async publish<E extends TenantEventName>(event: E, data: TenantEventData<E>): Promise<void> {
    const envelope: EventEnvelope<TenantEventData<E>> = {
      tenant: this.env.TENANT_ID,
      id: randomUUID(),
      occurredAt: new Date().toISOString(),
      schemaVersion: 1,
      data,
    };
    await this.redis.publish(tenantEventsChannel(this.env), JSON.stringify({ event, envelope }));
  }
}

/**
 * Who receives each server → client event: every signed-in socket of the tenant, or only sockets
 * whose user holds one of the listed permissions (they sit in those permissions' rooms). Every
 * event must be listed, so a new one cannot leak by default.
 */
export const eventAudience: Record<TenantEventName, "everyone" | readonly Permission[]> = {
  "presence:updated": "everyone",
  // Per-conversation visibility (assigned agents) comes with assignment; until then every user
  // who may work on conversations receives their messages.
  "message:created": ["conversations.viewAssigned", "conversations.viewAll"],
  "message:statusChanged": ["conversations.viewAssigned", "conversations.viewAll"],
  "template:statusChanged": ["templates.manage"],
};

/**
 * Subscribes `subscriber` (a dedicated connection: subscribed connections can do nothing else)
 * to the tenant's channel and emits each event to its audience (`eventAudience`): the tenant
 * room, or the rooms of the permissions it needs (a socket in several gets it once).
 * @returns a function that unsubscribes
 */
export async function relayTenantEvents(options: {
  io: SocketServer;
  subscriber: Redis;
  env: Pick<Env, "REDIS_PREFIX" | "TENANT_ID">;
  logger: Logger;
}): Promise<() => Promise<void>> {
  const channel = tenantEventsChannel(options.env);
  const room = tenantRoom(options.env.TENANT_ID);
  const onMessage = (received: string, text: string) => {
    if (received !== channel) return;
    try {
      const { event, envelope } = JSON.parse(text) as { event: string; envelope: unknown };
      const audience = Object.hasOwn(eventAudience, event)
        ? eventAudience[event as TenantEventName]
        : undefined;
      if (audience === undefined) return;
      const target = options.io.to(
        audience === "everyone"
          ? room
          : audience.map((permission) => permissionRoom(options.env.TENANT_ID, permission)),
      );
      // The names are checked above; the payload was built by TenantEventPublisher.
      (target.emit as (name: string, payload: unknown) => boolean)(event, envelope);
    } catch (error) {
      options.logger.warn({ err: error }, "tenant event not relayed");
    }
  };
  options.subscriber.on("message", onMessage);
  await options.subscriber.subscribe(channel);
  return async () => {
    options.subscriber.off("message", onMessage);
    if (options.subscriber.status === "ready") await options.subscriber.unsubscribe(channel);
  };
}
