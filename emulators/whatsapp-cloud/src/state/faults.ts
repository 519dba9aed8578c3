import { z } from "zod";

const common = {
  /** Apply only after this many matching events have passed untouched. */
  after: z.number().int().min(0).optional(),
  /** Apply to this many matching events, then expire (absent = until cleared). */
  times: z.number().int().min(1).optional(),
  /** Apply to a matching event with this probability (default 1). */
  probability: z.number().min(0).max(1).optional(),
};

const graphMatch = z
  .strictObject({
    /** HTTP method, e.g. `POST`. */
    method: z.string().optional(),
    /** Substring of the path after the version, e.g. `/messages` or `/media`. */
    path: z.string().optional(),
    /** Only sends of this message `type` (`text`, `template`, ...). */
    messageType: z.string().optional(),
    /** Only sends to this `to`/`recipient`. */
    to: z.string().optional(),
  })
  .optional();

/**
 * Faults on the Graph API side (the app's outbound calls). Applied after authentication.
 * - `delay`: answer `ms` later;
 * - `error`: answer Meta's error for `code` (HTTP status from the catalogue unless `status`);
 * - `reset`: destroy the connection without an answer;
 * - `malformedJson`: answer 200 with a body that is not JSON;
 * - `revokeToken`: revoke the caller's token at this point, so this and later calls get 190;
 * - `failAsync`: accept the send (200) and report a `failed` status with `code` (131026, 131049, ...);
 * - `statusesBeforeResponse`: deliver these status webhooks (and wait for the app's answer)
 *   before answering the send, so statuses arrive before the wamid is known.
 */
export const graphFaultSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("delay"),
    ms: z.number().int().min(0),
    match: graphMatch,
    ...common,
  }),
  z.strictObject({
    kind: z.literal("error"),
    code: z.number().int(),
    status: z.number().int().min(400).max(599).optional(),
    subcode: z.number().int().optional(),
    message: z.string().optional(),
    details: z.string().optional(),
    match: graphMatch,
    ...common,
  }),
  z.strictObject({ kind: z.literal("reset"), match: graphMatch, ...common }),
  z.strictObject({ kind: z.literal("malformedJson"), match: graphMatch, ...common }),
  z.strictObject({
    kind: z.literal("revokeToken"),
    mode: z.enum(["revoked", "expired"]).optional(),
    match: graphMatch,
    ...common,
  }),
  z.strictObject({
    kind: z.literal("failAsync"),
    code: z.number().int(),
    details: z.string().optional(),
    match: graphMatch,
    ...common,
  }),
  z.strictObject({
    kind: z.literal("statusesBeforeResponse"),
    statuses: z
      .array(z.enum(["sent", "delivered", "read"]))
      .min(1)
      .optional(),
    match: graphMatch,
    ...common,
  }),
]);

const webhookMatch = z
  .strictObject({
    /** Webhook kind: `messages` (inbound), `statuses`, `message_template_status_update`, `errors`, `raw`. */
    kind: z.string().optional(),
    /** For status webhooks: only these statuses. */
    statuses: z.array(z.string()).optional(),
  })
  .optional();

/**
 * Faults on the webhook side (what the emulator sends to the app).
 * - `delay`: hold the delivery `ms` before the first attempt;
 * - `duplicate`: deliver the same bytes `copies` times in total (`spacingMs` apart);
 * - `drop`: never deliver (e.g. lose `delivered` statuses);
 * - `badSignature` / `missingSignature`: sign with a wrong secret / omit the header (not retried:
 *   the app is expected to refuse it).
 */
export const webhookFaultSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("delay"),
    ms: z.number().int().min(0),
    match: webhookMatch,
    ...common,
  }),
  z.strictObject({
    kind: z.literal("duplicate"),
    copies: z.number().int().min(2).max(1000),
    spacingMs: z.number().int().min(0).optional(),
    match: webhookMatch,
    ...common,
  }),
  z.strictObject({ kind: z.literal("drop"), match: webhookMatch, ...common }),
  z.strictObject({ kind: z.literal("badSignature"), match: webhookMatch, ...common }),
  z.strictObject({ kind: z.literal("missingSignature"), match: webhookMatch, ...common }),
]);

export type GraphFaultSpec = z.infer<typeof graphFaultSchema>;
export type WebhookFaultSpec = z.infer<typeof webhookFaultSchema>;

/** A fault as stored: the spec plus its id and counters. */
export type Stored<T> = T & { id: string; seen: number; applied: number };

/** What a Graph request looks like to fault matching. */
export interface GraphEvent {
  method: string;
  path: string;
  /** A message send (not a mark-as-read): only sends can take `failAsync` / `statusesBeforeResponse`. */
  isSend: boolean;
  messageType?: string | undefined;
  to?: string | undefined;
}

/** What a webhook looks like to fault matching. */
export interface WebhookEvent {
  kind: string;
  statuses?: string[] | undefined;
}

/** Active faults for both sides, with the matching rules (after / times / probability). */
export class FaultStore {
  private graph: Stored<GraphFaultSpec>[] = [];
  private webhook: Stored<WebhookFaultSpec>[] = [];
  private seq = 0;

  constructor(private readonly random: () => number = Math.random) {}

  /** Adds a Graph fault; returns it with its id. */
  addGraph(spec: GraphFaultSpec): Stored<GraphFaultSpec> {
    const stored = { ...spec, id: `gf${++this.seq}`, seen: 0, applied: 0 };
    this.graph.push(stored);
    return stored;
  }

  /** Adds a webhook fault; returns it with its id. */
  addWebhook(spec: WebhookFaultSpec): Stored<WebhookFaultSpec> {
    const stored = { ...spec, id: `wf${++this.seq}`, seen: 0, applied: 0 };
    this.webhook.push(stored);
    return stored;
  }

  /** Every active fault. */
  list(): { graph: Stored<GraphFaultSpec>[]; webhook: Stored<WebhookFaultSpec>[] } {
    return { graph: [...this.graph], webhook: [...this.webhook] };
  }

  /** Removes one fault by id; false when unknown. */
  remove(id: string): boolean {
    const before = this.graph.length + this.webhook.length;
    this.graph = this.graph.filter((f) => f.id !== id);
    this.webhook = this.webhook.filter((f) => f.id !== id);
    return this.graph.length + this.webhook.length < before;
  }

  /** Removes every fault of one side, or of both. */
  clear(side?: "graph" | "webhook"): void {
    if (side !== "webhook") this.graph = [];
    if (side !== "graph") this.webhook = [];
  }

  /** The Graph faults that fire for this request (counters updated; exhausted faults removed). */
  takeGraph(event: GraphEvent): Stored<GraphFaultSpec>[] {
    const fired = this.take(this.graph, (f) => matchesGraph(f, event));
    this.graph = this.graph.filter(notExhausted);
    return fired;
  }

  /** The webhook faults that fire for this webhook. */
  takeWebhook(event: WebhookEvent): Stored<WebhookFaultSpec>[] {
    const fired = this.take(this.webhook, (f) => matchesWebhook(f, event));
    this.webhook = this.webhook.filter(notExhausted);
    return fired;
  }

  private take<T extends Stored<GraphFaultSpec> | Stored<WebhookFaultSpec>>(
    faults: T[],
    matches: (fault: T) => boolean,
  ): T[] {
    const fired: T[] = [];
    for (const fault of faults) {
      if (!matches(fault)) continue;
      fault.seen += 1;
      if (fault.after !== undefined && fault.seen <= fault.after) continue;
      if (fault.times !== undefined && fault.applied >= fault.times) continue;
      if (fault.probability !== undefined && this.random() >= fault.probability) continue;
      fault.applied += 1;
      fired.push(fault);
    }
    return fired;
  }
}

function notExhausted(fault: { times?: number | undefined; applied: number }): boolean {
  return fault.times === undefined || fault.applied < fault.times;
}

function matchesGraph(fault: GraphFaultSpec, event: GraphEvent): boolean {
  if ((fault.kind === "failAsync" || fault.kind === "statusesBeforeResponse") && !event.isSend)
    return false;
  const m = fault.match;
  if (!m) return true;
  if (m.method !== undefined && m.method.toUpperCase() !== event.method.toUpperCase()) return false;
  if (m.path !== undefined && !event.path.includes(m.path)) return false;
  if (m.messageType !== undefined && m.messageType !== event.messageType) return false;
  if (m.to !== undefined && m.to !== event.to) return false;
  return true;
}

function matchesWebhook(fault: WebhookFaultSpec, event: WebhookEvent): boolean {
  const m = fault.match;
  if (!m) return true;
  if (m.kind !== undefined && m.kind !== event.kind) return false;
  if (m.statuses !== undefined) {
    if (!event.statuses?.some((s) => m.statuses?.includes(s))) return false;
  }
  return true;
}
