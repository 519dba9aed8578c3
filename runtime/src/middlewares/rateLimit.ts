import type { Request, RequestHandler } from "express";
import type { Redis } from "ioredis";
import { rateLimited } from "../errors.js";
import type { Logger } from "../logger.js";

/** Where a request comes from, for counting; Express's `req.ip` (the proxy's, unless trusted). */
const addressOf = (req: Request) => req.ip ?? req.socket.remoteAddress ?? "unknown";

/** Options of `rateLimit`. */
export interface RateLimitOptions {
  redis: Redis;
  /** The tenant's Redis key prefix. */
  prefix: string;
  /** Names the counter, so route groups are limited separately (`login`, `webhook-verify`). */
  group: string;
  /** Requests allowed per address and window; 0 lets everything through. */
  limit: number;
  windowMs: number;
  /** Where a Redis failure is reported. */
  logger: Logger;
}

/**
 * A fixed-window request limit per IP address, counted in Redis so every web process of the
 * tenant shares it: one `INCR` + `PEXPIRE NX` round trip per request. Past the limit the
 * request is refused with 429 `rate_limited` and `Retry-After` (seconds to the window's end).
 * When Redis fails the request goes through: the limit protects the service, it must not be
 * what takes it down (sign-in needs Redis anyway and fails on its own).
 */
export function rateLimit(options: RateLimitOptions): RequestHandler {
  const { redis, limit, windowMs } = options;
  return async (req, res, next) => {
    if (limit <= 0) return next();
    const now = Date.now();
    const window = Math.floor(now / windowMs);
    const key = `${options.prefix}:rate:${options.group}:${addressOf(req)}:${window}`;
    let count: number;
    try {
      const results = await redis.multi().incr(key).pexpire(key, windowMs, "NX").exec();
      count = Number(results?.[0]?.[1] ?? 0);
    } catch (error) {
      options.logger.warn({ err: error, group: options.group }, "rate limit not checked");
      return next();
    }
    if (count <= limit) return next();
    const retryAfterSeconds = Math.max(1, Math.ceil(((window + 1) * windowMs - now) / 1000));
    res.setHeader("Retry-After", String(retryAfterSeconds));
    next(rateLimited(retryAfterSeconds));
  };
}

/** A well-formed `X-Hub-Signature-256` header: Meta signs every delivery so. */
const SIGNATURE_HEADER = /^sha256=[0-9a-fA-F]{64}$/;

/**
 * Limits refused WhatsApp webhook deliveries per IP address, in this process's memory (the
 * webhook is the ingest hot path: no Redis round trip, and nothing at all on a valid delivery
 * beyond a map lookup).
 *
 * `guard` goes before the webhook router: once an address has had `limit` deliveries refused
 * (any 4xx: bad signature, bad JSON, too large) within the window, its further deliveries
 * *without a well-formed signature header* are answered 429 before their body is read. Deliveries
 * carrying a signature header are always checked, so Meta's traffic is never throttled, even
 * when it shares an address (a proxy) with whoever sends garbage.
 */
export class WebhookRejectionLimiter {
  private readonly limit: number;
  private readonly windowMs: number;
  /** Refusals per address in the current window; the map is dropped when the window turns. */
  private refusals = new Map<string, number>();
  private windowStartedAt = 0;
  /** Bounds memory against a flood from many addresses. */
  private static readonly MAX_ADDRESSES = 10_000;

  constructor(options: { limit: number; windowMs: number }) {
    this.limit = options.limit;
    this.windowMs = options.windowMs;
  }

  /** The middleware: refuses unsigned deliveries from an address over the limit, counts 4xx. */
  readonly guard: RequestHandler = (req, res, next) => {
    if (this.limit <= 0) return next();
    const now = Date.now();
    this.turnWindow(now);
    const address = addressOf(req);
    const signature = req.headers["x-hub-signature-256"];
    if (
      (this.refusals.get(address) ?? 0) >= this.limit &&
      !(typeof signature === "string" && SIGNATURE_HEADER.test(signature))
    ) {
      const retryAfterSeconds = Math.max(
        1,
        Math.ceil((this.windowStartedAt + this.windowMs - now) / 1000),
      );
      res.setHeader("Retry-After", String(retryAfterSeconds));
      // The body stays unread; closing the connection keeps a client from streaming it anyway.
      res.setHeader("Connection", "close");
      return next(rateLimited(retryAfterSeconds));
    }
    res.once("finish", () => {
      if (res.statusCode >= 400 && res.statusCode < 500 && res.statusCode !== 429) {
        this.recordRefusal(address);
      }
    });
    next();
  };

  private recordRefusal(address: string): void {
    this.turnWindow(Date.now());
    if (
      !this.refusals.has(address) &&
      this.refusals.size >= WebhookRejectionLimiter.MAX_ADDRESSES
    ) {
      return;
    }
    this.refusals.set(address, (this.refusals.get(address) ?? 0) + 1);
  }

  private turnWindow(now: number): void {
    if (now - this.windowStartedAt < this.windowMs) return;
    this.windowStartedAt = now - (now % this.windowMs);
    if (this.refusals.size > 0) this.refusals = new Map();
  }
}
