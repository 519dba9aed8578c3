import { EventEmitter } from "node:events";
import { bsuidFor, newBsuid } from "../ids.js";
import type {
  AccessToken,
  Customer,
  InboundMessage,
  MediaObject,
  OutboundMessage,
  Template,
} from "./types.js";

/** What changed, for live views (the phone page listens through SSE). */
export interface ChangeEvent {
  kind: "inbound" | "outbound" | "status" | "typing" | "read" | "template" | "reset" | "customer";
  customerKey?: string;
  wamid?: string;
}

/** One Graph API call as the emulator saw it. */
export interface GraphRequestRecord {
  /** Wall clock, ISO. */
  at: string;
  method: string;
  /** Path without the query string (tokens never logged). */
  path: string;
  status: number;
  /** Meta error code when the call failed. */
  code: number | undefined;
  /** For sends: the message type. */
  messageType: string | undefined;
  durationMs: number;
}

/** Identifies a customer: a phone number (wa_id) and/or a BSUID. */
export interface CustomerRef {
  waId?: string | undefined;
  userId?: string | undefined;
}

/**
 * Everything the emulator remembers, in memory: customers and their 24-hour windows, messages
 * both ways with their statuses, media, templates and access tokens. Emits `change` events.
 */
export class EmulatorStore extends EventEmitter<{ change: [ChangeEvent] }> {
  readonly customers = new Map<string, Customer>();
  readonly inbound = new Map<string, InboundMessage>();
  readonly outbound = new Map<string, OutboundMessage>();
  readonly media = new Map<string, MediaObject>();
  readonly templates = new Map<string, Template>();
  readonly tokens = new Map<string, AccessToken>();
  /** The last Graph API calls, oldest first (at most 10,000), for tests that assert client behaviour. */
  readonly requests: GraphRequestRecord[] = [];
  /** Per-number send timestamps (emulator clock) in the last second, for 130429. */
  throughputWindow: number[] = [];
  /** Per-recipient token buckets for 131056. */
  readonly pairBuckets = new Map<string, { tokens: number; updatedAt: number }>();
  private templateSeq = 0;
  private messageSeq = 0;

  constructor() {
    super();
    this.setMaxListeners(0);
  }

  /** Announces a change to live views. */
  changed(event: ChangeEvent): void {
    this.emit("change", event);
  }

  /** Finds a customer by phone (wa_id) or BSUID. */
  findCustomer(ref: CustomerRef): Customer | undefined {
    for (const customer of this.customers.values()) {
      if (ref.waId !== undefined && customer.waId === ref.waId) return customer;
      if (ref.userId !== undefined && customer.userId === ref.userId) return customer;
    }
    return undefined;
  }

  /** Finds or creates a customer; fills in missing ids, name and username. */
  upsertCustomer(
    ref: CustomerRef & {
      name?: string | undefined;
      username?: string | undefined;
      parentUserId?: string | undefined;
    },
    options: { includeBsuid: boolean },
  ): Customer {
    let customer = this.findCustomer(ref);
    if (!customer) {
      const userId =
        ref.userId ??
        (options.includeBsuid
          ? ref.waId === undefined
            ? newBsuid()
            : bsuidFor(ref.waId)
          : undefined);
      const key = ref.waId ?? userId;
      if (key === undefined) throw new Error("A customer needs a phone number or a BSUID.");
      customer = {
        key,
        waId: ref.waId,
        userId,
        parentUserId: ref.parentUserId,
        name: ref.name ?? "Cliente",
        username: ref.username,
        hidePhone: false,
        lastInboundAt: undefined,
        undeliverable: false,
        marketingOptOut: false,
        typingUntil: undefined,
      };
      this.customers.set(key, customer);
      this.changed({ kind: "customer", customerKey: key });
      return customer;
    }
    if (ref.waId !== undefined && customer.waId === undefined) customer.waId = ref.waId;
    if (ref.userId !== undefined && customer.userId === undefined) customer.userId = ref.userId;
    if (ref.name !== undefined) customer.name = ref.name;
    if (ref.username !== undefined) customer.username = ref.username;
    if (ref.parentUserId !== undefined) customer.parentUserId = ref.parentUserId;
    return customer;
  }

  /** The next template sequence number (creation order). */
  nextTemplateSeq(): number {
    this.templateSeq += 1;
    return this.templateSeq;
  }

  /** The next message sequence number (global order of messages both ways). */
  nextMessageSeq(): number {
    this.messageSeq += 1;
    return this.messageSeq;
  }

  /** Templates sorted by creation order. */
  templateList(): Template[] {
    return [...this.templates.values()].sort((a, b) => a.seq - b.seq);
  }

  /** A customer's messages both ways, oldest first. */
  thread(
    customerKey: string,
  ): (
    | { direction: "in"; at: number; message: InboundMessage }
    | { direction: "out"; at: number; message: OutboundMessage }
  )[] {
    const items: (
      | { direction: "in"; at: number; message: InboundMessage }
      | { direction: "out"; at: number; message: OutboundMessage }
    )[] = [];
    for (const message of this.inbound.values()) {
      if (message.customerKey === customerKey)
        items.push({ direction: "in", at: message.receivedAt, message });
    }
    for (const message of this.outbound.values()) {
      if (message.customerKey === customerKey)
        items.push({ direction: "out", at: message.createdAt, message });
    }
    return items.sort((a, b) => a.message.seq - b.message.seq);
  }

  /** Forgets everything except access tokens, which the caller re-seeds. */
  clear(): void {
    this.customers.clear();
    this.inbound.clear();
    this.outbound.clear();
    this.media.clear();
    this.templates.clear();
    this.tokens.clear();
    this.throughputWindow = [];
    this.pairBuckets.clear();
    this.requests.length = 0;
    this.templateSeq = 0;
    this.changed({ kind: "reset" });
  }
}
