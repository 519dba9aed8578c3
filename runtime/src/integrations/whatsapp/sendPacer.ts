import type { Redis } from "ioredis";

/**
 * A GCRA (leaky bucket) per key in Redis, shared by every worker of the tenant: `reserve` either
 * takes a slot now (0) or says how many milliseconds to wait, without taking one, so a caller
 * that waits asks again. Used for Meta's two send limits (protocols.md A7): the number's
 * throughput (130429) and the pair rate to one customer (131056).
 */
const GCRA = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', key) or now)
if tat < now then tat = now end
local allowAt = tat - (burst - 1) * interval
if allowAt > now then return tostring(allowAt - now) end
local newTat = tat + interval
redis.call('SET', key, tostring(newTat), 'PX', math.ceil(newTat - now + interval))
return '0'
`;

/** A pacing rule: `burst` slots at once, then one per `intervalMs` on average. */
export interface PacingRule {
  burst: number;
  intervalMs: number;
}

/** Shares send slots between every worker of the tenant. */
export class SendPacer {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(options: { redis: Redis; prefix: string }) {
    this.redis = options.redis;
    this.prefix = options.prefix;
  }

  /**
   * Takes a slot for `key` now (returns 0) or returns the milliseconds to wait before asking
   * again (nothing taken).
   */
  async reserve(key: string, rule: PacingRule): Promise<number> {
    if (rule.intervalMs <= 0) return 0;
    const wait = await this.redis.eval(
      GCRA,
      1,
      `${this.prefix}:pace:${key}`,
      Date.now(),
      rule.intervalMs,
      Math.max(1, rule.burst),
    );
    return Math.ceil(Number(wait));
  }

  /** Waits (in this process) until a slot for `key` is free and takes it. */
  async take(key: string, rule: PacingRule): Promise<void> {
    for (;;) {
      const wait = await this.reserve(key, rule);
      if (wait <= 0) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
