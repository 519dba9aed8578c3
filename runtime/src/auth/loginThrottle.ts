import { createHmac } from "node:crypto";
import type { Redis } from "ioredis";

/** Where a sign-in attempt is locked out, and for how much longer. */
export interface Lockout {
  scope: "account" | "ip";
  retryAfterSeconds: number;
}

/** Limits of the login throttle (per tenant, from the environment). */
export interface LoginThrottleLimits {
  /** Failed sign-ins of one e-mail address before it is locked. */
  maxFailuresPerAccount: number;
  /** Failed sign-ins from one IP address (any e-mail) before it is locked. */
  maxFailuresPerIp: number;
  /** How long failures are remembered, and how long a lockout lasts. */
  lockoutMinutes: number;
}

/**
 * Locks sign-in after repeated failures, per account and per IP, in Redis so every web process
 * of the tenant shares the count. Failures are counted for any e-mail, known or not, so a lockout
 * says nothing about whether an account exists. Keys hold an HMAC of the e-mail, never the
 * address itself, and expire by themselves: a lockout ends without anyone acting.
 */
export class LoginThrottle {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly keySecret: string;
  private readonly limits: LoginThrottleLimits;

  constructor(options: {
    redis: Redis;
    prefix: string;
    /** Keys the e-mail HMAC, so Redis never holds a guessable list of addresses. */
    keySecret: string;
    limits: LoginThrottleLimits;
  }) {
    this.redis = options.redis;
    this.prefix = options.prefix;
    this.keySecret = options.keySecret;
    this.limits = options.limits;
  }

  /** The lockout in force for this e-mail or IP, if any (account first). */
  async lockout(email: string, ip: string | undefined): Promise<Lockout | undefined> {
    const account = await this.lockedFor(this.accountKey(email), this.limits.maxFailuresPerAccount);
    if (account !== undefined) return { scope: "account", retryAfterSeconds: account };
    if (ip === undefined) return undefined;
    const byIp = await this.lockedFor(this.ipKey(ip), this.limits.maxFailuresPerIp);
    return byIp === undefined ? undefined : { scope: "ip", retryAfterSeconds: byIp };
  }

  /**
   * Counts a failed sign-in.
   * @returns the lockout this failure started, if it reached a limit
   */
  async recordFailure(email: string, ip: string | undefined): Promise<Lockout | undefined> {
    const account = await this.count(this.accountKey(email), this.limits.maxFailuresPerAccount);
    const byIp =
      ip === undefined ? false : await this.count(this.ipKey(ip), this.limits.maxFailuresPerIp);
    const retryAfterSeconds = this.limits.lockoutMinutes * 60;
    if (account) return { scope: "account", retryAfterSeconds };
    if (byIp) return { scope: "ip", retryAfterSeconds };
    return undefined;
  }

  /** A successful sign-in forgets the account's failures (not the IP's: one good password
   * must not let an address go on guessing others). */
  async recordSuccess(email: string): Promise<void> {
    await this.redis.del(this.accountKey(email));
  }

  /** Lifts an account's lockout (an admin's action). */
  async unlock(email: string): Promise<void> {
    await this.redis.del(this.accountKey(email));
  }

  /** Whether an account is locked right now, for the user list. */
  async isLocked(email: string): Promise<boolean> {
    return (
      (await this.lockedFor(this.accountKey(email), this.limits.maxFailuresPerAccount)) !==
      undefined
    );
  }

  /**
   * Marks a TOTP time step as used by a user, so an observed code cannot be replayed.
   * @returns false when the step was already used
   */
  async claimTotpStep(userId: number, step: number): Promise<boolean> {
    const key = `${this.prefix}:totp-used:${userId}:${step}`;
    // Codes are accepted one step either side: after 3 steps (90 s) the step is dead anyway.
    return (await this.redis.set(key, "1", "EX", 90, "NX")) === "OK";
  }

  /** Seconds left when the counter at `key` has reached `max`, else undefined. */
  private async lockedFor(key: string, max: number): Promise<number | undefined> {
    const [count, ttlMs] = await Promise.all([this.redis.get(key), this.redis.pttl(key)]);
    if (count === null || Number(count) < max) return undefined;
    return Math.max(1, Math.ceil(ttlMs / 1000));
  }

  /** Adds one failure; true when this one reached the limit (the lockout starts now). */
  private async count(key: string, max: number): Promise<boolean> {
    const windowMs = this.limits.lockoutMinutes * 60_000;
    const results = await this.redis.multi().incr(key).pexpire(key, windowMs, "NX").exec();
    const count = Number(results?.[0]?.[1] ?? 0);
    if (count === max) {
      // The lockout lasts its full time from the failure that triggered it.
      await this.redis.pexpire(key, windowMs);
      return true;
    }
    return count > max;
  }

  private accountKey(email: string): string {
    const digest = createHmac("sha256", this.keySecret).update(email).digest("hex").slice(0, 32);
    return `${this.prefix}:login-failures:account:${digest}`;
  }

  private ipKey(ip: string): string {
    return `${this.prefix}:login-failures:ip:${ip}`;
  }
}
