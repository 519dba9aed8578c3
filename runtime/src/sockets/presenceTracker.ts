import type { Redis } from "ioredis";
import type { Env } from "../env.js";

/** How long a socket counts as connected without a heartbeat (a crashed process's leftovers). */
export const PRESENCE_TTL_MS = 90_000;

/** How often each web process refreshes its sockets' entries (well within the TTL). */
export const PRESENCE_HEARTBEAT_MS = 30_000;

/** Drops expired sockets, adds this one; answers how many live sockets the user had before. */
const CONNECT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local before = redis.call('ZCARD', KEYS[1])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return before
`;

/** Removes this socket; answers 1 when it was the user's last live one. */
const DISCONNECT = `
local removed = redis.call('ZREM', KEYS[1], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if removed == 1 and redis.call('ZCARD', KEYS[1]) == 0 then return 1 end
return 0
`;

/**
 * Which users have a socket open, in Redis so every web process of the tenant agrees: one
 * sorted set per user (`<prefix>:presence:<userId>`) of socket ids scored by when they expire.
 * Each process refreshes its own sockets (`refresh`) every `PRESENCE_HEARTBEAT_MS`; the entries of
 * a process that died expire after `PRESENCE_TTL_MS`, so nobody stays online forever.
 */
export class PresenceTracker {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(options: { redis: Redis; env: Pick<Env, "REDIS_PREFIX"> }) {
    this.redis = options.redis;
    this.prefix = `${options.env.REDIS_PREFIX}:presence`;
  }

  /**
   * Records a socket of `userId`.
   * @returns true when the user was offline until now
   */
  async connected(userId: number, socketId: string, now = Date.now()): Promise<boolean> {
    const before = (await this.redis.eval(
      CONNECT,
      1,
      this.key(userId),
      now,
      now + PRESENCE_TTL_MS,
      socketId,
      PRESENCE_TTL_MS,
    )) as number;
    return before === 0;
  }

  /**
   * Forgets a socket of `userId`.
   * @returns true when it was the user's last one (the user is now offline)
   */
  async disconnected(userId: number, socketId: string, now = Date.now()): Promise<boolean> {
    return (await this.redis.eval(DISCONNECT, 1, this.key(userId), now, socketId)) === 1;
  }

  /** Extends the entries of live sockets (a process's heartbeat). */
  async refresh(
    sockets: Iterable<{ userId: number; socketId: string }>,
    now = Date.now(),
  ): Promise<void> {
    const pipeline = this.redis.pipeline();
    let count = 0;
    for (const { userId, socketId } of sockets) {
      // XX: a socket forgotten meanwhile (disconnected) must not come back.
      pipeline.zadd(this.key(userId), "XX", now + PRESENCE_TTL_MS, socketId);
      pipeline.pexpire(this.key(userId), PRESENCE_TTL_MS);
      count += 1;
    }
    if (count > 0) await pipeline.exec();
  }

  /** Which of `userIds` have at least one live socket. */
  async onlineAmong(userIds: readonly number[], now = Date.now()): Promise<Set<number>> {
    if (userIds.length === 0) return new Set();
    const pipeline = this.redis.pipeline();
    for (const userId of userIds) pipeline.zcount(this.key(userId), now, "+inf");
    const results = (await pipeline.exec()) ?? [];
    const online = new Set<number>();
    results.forEach(([error, count], index) => {
      const userId = userIds[index];
      if (error === null && Number(count) > 0 && userId !== undefined) online.add(userId);
    });
    return online;
  }

  private key(userId: number): string {
    return `${this.prefix}:${userId}`;
  }
}
