import { createHash, randomBytes } from "node:crypto";
import type { Redis } from "ioredis";

/** What Redis keeps per session. The session id itself is never stored, only its hash. */
export interface SessionRecord {
  userId: number;
  /** Fingerprint of the user's password hash at login; a password change ends the session. */
  credentialStamp: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Epoch milliseconds after which the session is over however active it is. */
  expiresAt: number;
}

/** A live session, as found from a cookie. */
export interface ResolvedSession {
  /** sha256 of the session id: the Redis key suffix and the Socket.IO room id. */
  key: string;
  record: SessionRecord;
}

/** 256-bit ids in base64url are exactly 43 characters. */
const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Server-side sessions in Redis under `<prefix>:session:<sha256(id)>`. A Redis TTL implements
 * the idle timeout (refreshed on use, never past the absolute expiry), so expired sessions
 * disappear without any cleanup job.
 */
export class SessionStore {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly idleMs: number;
  private readonly absoluteMs: number;

  constructor(options: {
    redis: Redis;
    prefix: string;
    idleMinutes: number;
    absoluteHours: number;
  }) {
    this.redis = options.redis;
    this.prefix = options.prefix;
    this.idleMs = options.idleMinutes * 60_000;
    this.absoluteMs = options.absoluteHours * 3_600_000;
  }

  /** Session lifetime in milliseconds, for the cookie's Max-Age. */
  get absoluteLifetimeMs(): number {
    return this.absoluteMs;
  }

  /**
   * Starts a session.
   * @returns the new session id (only ever sent to the browser, in the cookie) and its key
   */
  async create(
    userId: number,
    passwordHash: string,
    now: number = Date.now(),
  ): Promise<{ id: string; key: string }> {
    const id = randomBytes(32).toString("base64url");
    const key = hashSessionId(id);
    const record: SessionRecord = {
      userId,
      credentialStamp: credentialStamp(passwordHash),
      createdAt: now,
      expiresAt: now + this.absoluteMs,
    };
    const index = this.userIndexKey(userId);
    await this.redis
      .multi()
      .set(this.redisKey(key), JSON.stringify(record), "PX", this.ttlMs(record, now))
      .sadd(index, key)
      // The index outlives every session it lists; stale members are skipped when read.
      .pexpire(index, this.absoluteMs)
      .exec();
    return { id, key };
  }

  /**
   * Finds the session for an id and extends its idle timeout.
   * @returns undefined for unknown, malformed or expired ids
   */
  async touch(id: string, now: number = Date.now()): Promise<ResolvedSession | undefined> {
    if (!SESSION_ID_PATTERN.test(id)) return undefined;
    const key = hashSessionId(id);
    const raw = await this.redis.get(this.redisKey(key));
    if (raw === null) return undefined;
    const record = JSON.parse(raw) as SessionRecord;
    const ttlMs = this.ttlMs(record, now);
    if (ttlMs <= 0) {
      await this.redis.del(this.redisKey(key));
      return undefined;
    }
    await this.redis.pexpire(this.redisKey(key), ttlMs);
    return { key, record };
  }

  /** Ends a session by its key (sha256 of the id). Unknown keys are ignored. */
  async destroy(key: string): Promise<void> {
    await this.redis.del(this.redisKey(key));
  }

  /**
   * Ends every session of a user (log out everywhere, password change or reset, disabling).
   * @param keepKey a session to leave alive (the one asking), if any
   * @returns the keys of the sessions ended, so their live sockets can be closed too
   */
  async destroyAllForUser(userId: number, keepKey?: string): Promise<string[]> {
    const index = this.userIndexKey(userId);
    const keys = (await this.redis.smembers(index)).filter((key) => key !== keepKey);
    if (keys.length === 0) return [];
    await this.redis
      .multi()
      .del(...keys.map((key) => this.redisKey(key)))
      .srem(index, ...keys)
      .exec();
    return keys;
  }

  /** How many sessions a user has open right now. */
  async countForUser(userId: number): Promise<number> {
    const keys = await this.redis.smembers(this.userIndexKey(userId));
    if (keys.length === 0) return 0;
    return this.redis.exists(...keys.map((key) => this.redisKey(key)));
  }

  private userIndexKey(userId: number): string {
    return `${this.prefix}:user-sessions:${userId}`;
  }

  private redisKey(key: string): string {
    return `${this.prefix}:session:${key}`;
  }

  private ttlMs(record: SessionRecord, now: number): number {
    return Math.min(this.idleMs, record.expiresAt - now);
  }
}

/** sha256 hex of a session id: a leaked Redis dump cannot be replayed as cookies. */
export function hashSessionId(id: string): string {
  return createHash("sha256").update(id).digest("hex");
}

/** Short fingerprint of a password hash; changes whenever the password does. */
export function credentialStamp(passwordHash: string): string {
  return createHash("sha256").update(passwordHash).digest("hex").slice(0, 16);
}
