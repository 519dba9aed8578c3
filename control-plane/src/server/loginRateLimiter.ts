import { rateLimited } from "../apiErrors.js";

/**
 * Failed sign-ins per client address in a sliding window. Kept in memory: it resets when the
 * server restarts and is per process, which is acceptable for one control-plane server (a
 * shared limiter would live in the registry store).
 */
export class LoginRateLimiter {
  readonly #failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
  ) {}

  /** Throws `rate_limited` when the address has used up its failures. */
  check(ip: string): void {
    const recent = this.#recent(ip);
    if (recent.length >= this.maxFailures) {
      const oldest = recent[0] ?? Date.now();
      throw rateLimited((oldest + this.windowMs - Date.now()) / 1000);
    }
  }

  fail(ip: string): void {
    this.#failures.set(ip, [...this.#recent(ip), Date.now()]);
  }

  succeed(ip: string): void {
    this.#failures.delete(ip);
  }

  #recent(ip: string): number[] {
    const since = Date.now() - this.windowMs;
    const recent = (this.#failures.get(ip) ?? []).filter((at) => at > since);
    if (recent.length === 0) this.#failures.delete(ip);
    return recent;
  }
}
