import type { Redis } from "ioredis";
import type { Knex } from "knex";
import { z } from "zod";
import type { SocketData } from "../../contracts/socket-events.js";
import { RoleCatalog } from "../auth/roleCatalog.js";
import type { Env } from "../env.js";
import type { Logger } from "../logger.js";
import { User } from "../models/User.js";
import { conversationScopes, maySeeConversationScope, queueIdsOf } from "./conversationAudience.js";
import type { ServerSocket, SocketServer } from "./createSocketServer.js";
import { accessRooms, conversationRoom, isAccessRoom, sessionRoom } from "./rooms.js";

/**
 * What changed about who may receive what, told to every web process of the tenant (each holds
 * its own sockets). Internal: never relayed to browsers.
 * - `users`: these users' role, permissions, queues or status changed (null: possibly everyone's,
 *   as when a role's permissions change);
 * - `sessions`: these sessions ended (logout, password change): their sockets close.
 */
const AccessChangeSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("users"),
    userIds: z.array(z.number().int().positive()).max(10_000).nullable(),
  }),
  z.object({
    kind: z.literal("sessions"),
    sessionKeys: z
      .array(z.string().regex(/^[0-9a-f]{64}$/))
      .min(1)
      .max(1_000),
  }),
]);
type AccessChange = z.infer<typeof AccessChangeSchema>;

/** Redis channel of `AccessChange` messages (one per tenant). */
export function accessChangesChannel(env: Pick<Env, "REDIS_PREFIX">): string {
  return `${env.REDIS_PREFIX}:access-changes`;
}

/** Tells every web process of the tenant that access changed (best effort, logged on failure). */
export class AccessChangePublisher {
  private readonly redis: Redis;
  private readonly channel: string;
  private readonly logger: Logger;

  constructor(options: { redis: Redis; env: Pick<Env, "REDIS_PREFIX">; logger: Logger }) {
    this.redis = options.redis;
    this.channel = accessChangesChannel(options.env);
    this.logger = options.logger;
  }

  /** These users' access changed; null when it may be anyone's (a role was edited). */
  async usersChanged(userIds: readonly number[] | null): Promise<void> {
    await this.publish({ kind: "users", userIds: userIds === null ? null : [...userIds] });
  }

  /** These sessions ended: their sockets, wherever they are, must close. */
  async sessionsEnded(sessionKeys: readonly string[]): Promise<void> {
    if (sessionKeys.length === 0) return;
    await this.publish({ kind: "sessions", sessionKeys: [...sessionKeys] });
  }

  private async publish(change: AccessChange): Promise<void> {
    try {
      await this.redis.publish(this.channel, JSON.stringify(change));
    } catch (error) {
      // The change itself is committed; open sockets catch up at their next connection.
      this.logger.warn({ err: error, kind: change.kind }, "access change not published");
    }
  }
}

/**
 * Applies access changes to this process's sockets: sockets of an ended session close; sockets
 * of a changed user re-read the user (disabled: closed), the role's permissions and the queues,
 * leave the rooms they no longer deserve, join the new ones and leave an open conversation they
 * may no longer see. Without this, a demoted user would keep receiving what they may no longer
 * see until they reconnect.
 * @returns a function that stops listening
 */
export async function applyAccessChanges(options: {
  io: SocketServer;
  subscriber: Redis;
  db: Knex;
  env: Pick<Env, "REDIS_PREFIX" | "TENANT_ID">;
  logger: Logger;
}): Promise<() => Promise<void>> {
  const channel = accessChangesChannel(options.env);
  const tenant = options.env.TENANT_ID;
  // One change at a time, in order: a later change must not be overtaken by an earlier one.
  let applying = Promise.resolve();

  const refreshUsers = async (userIds: readonly number[] | null) => {
    RoleCatalog.for(options.db).invalidate();
    const wanted = userIds === null ? undefined : new Set(userIds);
    const sockets = [...options.io.of("/").sockets.values()].filter(
      (socket) => wanted === undefined || wanted.has(socket.data.userId),
    );
    const byUser = new Map<number, ServerSocket[]>();
    for (const socket of sockets) {
      byUser.set(socket.data.userId, [...(byUser.get(socket.data.userId) ?? []), socket]);
    }
    for (const [userId, userSockets] of byUser) {
      try {
        await refreshUser(userId, userSockets);
      } catch (error) {
        // Fails closed: a socket whose access could not be read again reconnects and is
        // authorised from scratch.
        options.logger.warn({ err: error, userId }, "socket access not refreshed; disconnected");
        for (const socket of userSockets) socket.disconnect(true);
      }
    }
  };

  const refreshUser = async (userId: number, sockets: ServerSocket[]) => {
    const user = await User.query(options.db).findById(userId);
    if (user === undefined || !user.isActive) {
      for (const socket of sockets) socket.disconnect(true);
      return;
    }
    const permissions = [...(await RoleCatalog.for(options.db).permissionsOf(user.role))];
    const queueIds = await queueIdsOf(options.db, userId);
    for (const socket of sockets) {
      const now = { permissions, queueIds, name: user.name, role: user.role };
      const changed = accessDiffers(socket.data, now);
      Object.assign(socket.data, now);
      const rooms = accessRooms(tenant, socket.data);
      const keep = new Set(rooms);
      for (const room of socket.rooms) {
        if (isAccessRoom(tenant, room) && !keep.has(room)) void socket.leave(room);
      }
      void socket.join(rooms);
      const open = socket.data.openConversationId;
      if (open !== null) {
        const scope = (await conversationScopes(options.db, [open])).get(open);
        if (scope === undefined || !maySeeConversationScope(socket.data, scope)) {
          void socket.leave(conversationRoom(tenant, open));
          socket.data.openConversationId = null;
        }
      }
      // After the rooms moved: what the page reloads then matches what the socket receives.
      if (changed) socket.emit("access:changed", {});
    }
  };

  const apply = async (change: AccessChange) => {
    if (change.kind === "sessions") {
      for (const key of change.sessionKeys) {
        options.io.in(sessionRoom(tenant, key)).disconnectSockets(true);
      }
      return;
    }
    await refreshUsers(change.userIds);
  };

  const onMessage = (received: string, text: string) => {
    if (received !== channel) return;
    let change: AccessChange;
    try {
      change = AccessChangeSchema.parse(JSON.parse(text));
    } catch (error) {
      options.logger.warn({ err: error }, "malformed access change ignored");
      return;
    }
    applying = applying
      .then(() => apply(change))
      .catch((error: unknown) => {
        options.logger.error({ err: error, kind: change.kind }, "access change not applied");
      });
  };
  options.subscriber.on("message", onMessage);
  await options.subscriber.subscribe(channel);
  return async () => {
    options.subscriber.off("message", onMessage);
    if (options.subscriber.status === "ready") await options.subscriber.unsubscribe(channel);
  };
}

/** What a socket was authorised with, as far as the page shows it. */
type SocketAccess = Pick<SocketData, "permissions" | "queueIds" | "name" | "role">;

/** Whether what a socket was authorised with differs from the user's access now. */
function accessDiffers(before: SocketAccess, now: SocketAccess): boolean {
  const sameSet = <T>(a: readonly T[], b: readonly T[]) =>
    a.length === b.length && new Set([...a, ...b]).size === a.length;
  return (
    before.name !== now.name ||
    before.role !== now.role ||
    !sameSet(before.permissions, now.permissions) ||
    !sameSet(before.queueIds, now.queueIds)
  );
}
