import { randomInt } from "node:crypto";
import type { Logger } from "pino";
import type { EmulatorSettings } from "../settings.js";
import type { FaultStore } from "../state/faults.js";
import { serializeLikeMeta, signatureHeader } from "./signer.js";

/** Where webhooks go: the app's callback URL, its app secret and its verify token. */
export interface WebhookTarget {
  url: string;
  appSecret: string;
  verifyToken: string;
}

/** One HTTP attempt of a delivery. */
export interface DeliveryAttempt {
  /** Wall-clock start, ms. */
  startedAt: number;
  /** HTTP status, absent on timeout or connection failure. */
  status: number | undefined;
  /** Why the attempt failed, when it did. */
  error: string | undefined;
  durationMs: number;
}

/** How a delivery ended (or that it has not ended yet). */
export type DeliveryState =
  | "pending"
  | "delivered"
  | "failed"
  | "dropped"
  | "no_target"
  | "cancelled";

/** One webhook POST (with its retries). Duplicated deliveries are separate records with the same body. */
export interface Delivery {
  id: string;
  /** `messages`, `statuses`, `message_template_status_update`, `errors`, `raw`, ... */
  kind: string;
  /** For status webhooks, the statuses carried. */
  statuses: string[] | undefined;
  /** The exact bytes sent (ASCII). */
  body: string;
  signature: "valid" | "bad" | "missing";
  /** The delivery this one duplicates (duplicate fault). */
  copyOf: string | undefined;
  createdAt: number;
  state: DeliveryState;
  attempts: DeliveryAttempt[];
}

/** Options for one webhook. */
export interface SendOptions {
  kind: string;
  statuses?: string[] | undefined;
  /** Force a signature mode (faults may also choose one). */
  signature?: "valid" | "bad" | "missing";
  /** Send the body exactly as given (already serialised) instead of serialising `payload`. */
  rawBody?: string;
}

const maxLoggedDeliveries = 10_000;

/**
 * Meta's webhook sender: signs the raw bytes with the app secret, POSTs them, counts only a 200
 * as success, retries anything else (status, timeout, connection failure) with exponential
 * backoff up to a horizon, and applies webhook faults (delay, duplicate, drop, bad signature).
 */
export class WebhookSender {
  private readonly deliveries = new Map<string, Delivery>();
  private readonly waiters = new Map<
    string,
    { promise: Promise<Delivery>; resolve: (d: Delivery) => void }
  >();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly controllers = new Set<AbortController>();
  private readonly queue: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];
  private inFlight = 0;
  private pending = 0;
  private seq = 0;
  private stopped = false;

  constructor(
    private readonly deps: {
      target: () => WebhookTarget | undefined;
      settings: () => EmulatorSettings["webhook"];
      faults: FaultStore;
      logger: Logger;
    },
  ) {}

  /**
   * Queues one webhook. Returns the deliveries created (several with a duplicate fault, one with
   * state `dropped` when a drop fault fires).
   */
  send(payload: unknown, options: SendOptions): Delivery[] {
    const body = options.rawBody ?? serializeLikeMeta(payload);
    const fired = this.deps.faults.takeWebhook({ kind: options.kind, statuses: options.statuses });
    const base = {
      kind: options.kind,
      statuses: options.statuses,
      body,
      createdAt: Date.now(),
      attempts: [],
    };
    if (fired.some((f) => f.kind === "drop")) {
      const dropped: Delivery = {
        ...base,
        id: this.nextId(),
        signature: "valid",
        copyOf: undefined,
        state: "dropped",
      };
      this.remember(dropped);
      this.settle(dropped);
      return [dropped];
    }
    let signature = options.signature ?? "valid";
    if (fired.some((f) => f.kind === "badSignature")) signature = "bad";
    if (fired.some((f) => f.kind === "missingSignature")) signature = "missing";
    let delayMs = 0;
    let copies = 1;
    let spacingMs = 0;
    for (const fault of fired) {
      if (fault.kind === "delay") delayMs += fault.ms;
      if (fault.kind === "duplicate" && fault.copies > copies) {
        copies = fault.copies;
        spacingMs = fault.spacingMs ?? 0;
      }
    }
    const created: Delivery[] = [];
    for (let i = 0; i < copies; i++) {
      const delivery: Delivery = {
        ...base,
        attempts: [],
        id: this.nextId(),
        signature,
        copyOf: created[0]?.id,
        state: "pending",
      };
      this.remember(delivery);
      this.pending += 1;
      created.push(delivery);
      this.schedule(delivery, delayMs + i * spacingMs);
    }
    return created;
  }

  /** The GET handshake Meta performs when the callback URL is saved (A1). */
  async verify(options: { verifyToken?: string; challenge?: string } = {}): Promise<{
    url: string;
    status: number | undefined;
    body: string;
    challenge: string;
    accepted: boolean;
    error?: string;
  }> {
    const target = this.deps.target();
    if (!target) throw new Error("No webhook target configured.");
    const challenge = options.challenge ?? String(randomInt(1_000_000_000, 2_000_000_000));
    const url = new URL(target.url);
    url.searchParams.set("hub.mode", "subscribe");
    url.searchParams.set("hub.verify_token", options.verifyToken ?? target.verifyToken);
    url.searchParams.set("hub.challenge", challenge);
    try {
      const response = await fetch(url, {
        headers: { "User-Agent": "facebookplatform/1.0 (+http://developers.facebook.com)" },
        redirect: "manual",
        signal: AbortSignal.timeout(this.deps.settings().timeoutMs),
      });
      const body = await response.text();
      return {
        url: target.url,
        status: response.status,
        body,
        challenge,
        accepted: response.status === 200 && body === challenge,
      };
    } catch (error) {
      return {
        url: target.url,
        status: undefined,
        body: "",
        challenge,
        accepted: false,
        error: describe(error),
      };
    }
  }

  /** A delivery by id. */
  get(id: string): Delivery | undefined {
    return this.deliveries.get(id);
  }

  /** Deliveries, oldest first (at most the last 10,000). */
  list(filter: { kind?: string; state?: DeliveryState } = {}): Delivery[] {
    return [...this.deliveries.values()].filter(
      (d) =>
        (filter.kind === undefined || d.kind === filter.kind) &&
        (filter.state === undefined || d.state === filter.state),
    );
  }

  /** Resolves when the delivery has ended (delivered, failed for good, dropped...). */
  wait(id: string): Promise<Delivery> {
    const delivery = this.deliveries.get(id);
    if (!delivery) return Promise.reject(new Error(`Unknown delivery ${id}.`));
    if (delivery.state !== "pending") return Promise.resolve(delivery);
    return this.waiterFor(id).promise;
  }

  /** Resolves when nothing is pending (no attempt in flight, no retry scheduled). */
  idle(timeoutMs = 10_000): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== done);
        reject(
          new Error(`Webhooks still pending after ${timeoutMs} ms (${this.pending} pending).`),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.idleWaiters.push(done);
    });
  }

  /** Receiver timing figures over every attempt that got an HTTP answer. */
  stats(): {
    deliveries: Record<DeliveryState, number>;
    attempts: number;
    latencyMs: { median: number | null; p99: number | null; max: number | null };
    slow: { median: boolean; p99: boolean };
    targets: { medianMs: number; p99Ms: number };
  } {
    const counts: Record<DeliveryState, number> = {
      pending: 0,
      delivered: 0,
      failed: 0,
      dropped: 0,
      no_target: 0,
      cancelled: 0,
    };
    const durations: number[] = [];
    let attempts = 0;
    for (const delivery of this.deliveries.values()) {
      counts[delivery.state] += 1;
      for (const attempt of delivery.attempts) {
        attempts += 1;
        durations.push(attempt.durationMs);
      }
    }
    durations.sort((a, b) => a - b);
    const pick = (q: number) =>
      durations.length === 0
        ? null
        : (durations[Math.min(durations.length - 1, Math.ceil(q * durations.length) - 1)] ?? null);
    const median = pick(0.5);
    const p99 = pick(0.99);
    const settings = this.deps.settings();
    return {
      deliveries: counts,
      attempts,
      latencyMs: { median, p99, max: durations.at(-1) ?? null },
      slow: {
        median: median !== null && median > settings.slowMedianMs,
        p99: p99 !== null && p99 > settings.slowP99Ms,
      },
      targets: { medianMs: settings.slowMedianMs, p99Ms: settings.slowP99Ms },
    };
  }

  /** Forgets every delivery and cancels what is pending. */
  reset(): void {
    this.cancelAll();
    this.deliveries.clear();
  }

  /** Cancels timers and in-flight requests; later sends are refused. */
  stop(): void {
    this.stopped = true;
    this.cancelAll();
  }

  private cancelAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const controller of this.controllers) controller.abort();
    this.controllers.clear();
    this.queue.length = 0;
    for (const delivery of this.deliveries.values()) {
      if (delivery.state === "pending") {
        delivery.state = "cancelled";
        this.settle(delivery);
      }
    }
    this.pending = 0;
    this.flushIdle();
  }

  private nextId(): string {
    this.seq += 1;
    return `d${this.seq}`;
  }

  private remember(delivery: Delivery): void {
    this.deliveries.set(delivery.id, delivery);
    if (this.deliveries.size > maxLoggedDeliveries) {
      for (const [id, old] of this.deliveries) {
        if (this.deliveries.size <= maxLoggedDeliveries) break;
        if (old.state !== "pending") this.deliveries.delete(id);
      }
    }
  }

  private schedule(delivery: Delivery, delayMs: number): void {
    if (this.stopped) return;
    const run = () => this.enqueueAttempt(delivery);
    if (delayMs <= 0) {
      run();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, delayMs);
    this.timers.add(timer);
  }

  private enqueueAttempt(delivery: Delivery): void {
    const start = () => {
      this.inFlight += 1;
      void this.attempt(delivery).finally(() => {
        this.inFlight -= 1;
        this.queue.shift()?.();
      });
    };
    if (this.inFlight < this.deps.settings().maxConcurrency) start();
    else this.queue.push(start);
  }

  private async attempt(delivery: Delivery): Promise<void> {
    if (delivery.state !== "pending") return;
    const target = this.deps.target();
    if (!target) {
      delivery.state = "no_target";
      this.finish(delivery);
      return;
    }
    const settings = this.deps.settings();
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      "User-Agent": "facebookexternalua",
    };
    if (delivery.signature === "valid")
      headers["X-Hub-Signature-256"] = signatureHeader(delivery.body, target.appSecret);
    if (delivery.signature === "bad")
      headers["X-Hub-Signature-256"] = signatureHeader(delivery.body, `not-${target.appSecret}`);
    const controller = new AbortController();
    this.controllers.add(controller);
    const timeout = setTimeout(
      () => controller.abort(new Error(`timed out after ${settings.timeoutMs} ms`)),
      settings.timeoutMs,
    );
    const startedAt = Date.now();
    const began = performance.now();
    let status: number | undefined;
    let error: string | undefined;
    try {
      const response = await fetch(target.url, {
        method: "POST",
        headers,
        body: delivery.body,
        redirect: "manual",
        signal: controller.signal,
      });
      status = response.status;
      await response.arrayBuffer();
      if (status !== 200) error = `HTTP ${status}`;
    } catch (caught) {
      error = controller.signal.aborted ? describe(controller.signal.reason) : describe(caught);
    } finally {
      clearTimeout(timeout);
      this.controllers.delete(controller);
    }
    if (delivery.state !== "pending") return;
    delivery.attempts.push({
      startedAt,
      status,
      error,
      durationMs: Math.round((performance.now() - began) * 100) / 100,
    });
    if (status === 200) {
      delivery.state = "delivered";
      this.finish(delivery);
      return;
    }
    this.deps.logger.debug(
      {
        delivery: delivery.id,
        kind: delivery.kind,
        attempt: delivery.attempts.length,
        status,
        error,
      },
      "webhook attempt failed",
    );
    if (delivery.signature !== "valid") {
      delivery.state = "failed";
      this.finish(delivery);
      return;
    }
    const retry = settings.retry;
    const n = delivery.attempts.length;
    const delay = Math.min(retry.maxDelayMs, retry.initialDelayMs * retry.factor ** (n - 1));
    const firstStart = delivery.attempts[0]?.startedAt ?? startedAt;
    const outOfTime = Date.now() + delay - firstStart > retry.horizonMs;
    const outOfAttempts = retry.maxAttempts !== null && n >= retry.maxAttempts;
    if (outOfTime || outOfAttempts || this.stopped) {
      delivery.state = "failed";
      this.deps.logger.warn(
        { delivery: delivery.id, kind: delivery.kind, attempts: n },
        "webhook delivery given up",
      );
      this.finish(delivery);
      return;
    }
    this.schedule(delivery, delay);
  }

  private finish(delivery: Delivery): void {
    this.pending = Math.max(0, this.pending - 1);
    this.settle(delivery);
    this.flushIdle();
  }

  private settle(delivery: Delivery): void {
    const waiter = this.waiters.get(delivery.id);
    if (waiter) {
      this.waiters.delete(delivery.id);
      waiter.resolve(delivery);
    }
  }

  private flushIdle(): void {
    if (this.pending > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const done of waiters) done();
  }

  private waiterFor(id: string): { promise: Promise<Delivery>; resolve: (d: Delivery) => void } {
    const existing = this.waiters.get(id);
    if (existing) return existing;
    let resolve!: (d: Delivery) => void;
    const promise = new Promise<Delivery>((r) => {
      resolve = r;
    });
    const waiter = { promise, resolve };
    this.waiters.set(id, waiter);
    return waiter;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}
