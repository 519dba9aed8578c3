import { createHash } from "node:crypto";
import { type EmulatorContext, later } from "../context.js";
import { type WebhookError, webhookError } from "../errors.js";
import type { OutboundMessage, OutboundStatus, ReportedStatus } from "../state/types.js";
import { messagesEnvelope, metadataOf } from "./payloads.js";
import type { Delivery } from "./sender.js";

const rank: Record<OutboundStatus | "played", number> = {
  accepted: 0,
  sent: 1,
  delivered: 2,
  read: 3,
  played: 4,
  failed: -1,
};

/** The status a message ends up in after `next` is reported: never backwards; `failed` only over accepted/sent. */
export function advanceStatus(current: OutboundStatus, next: ReportedStatus): OutboundStatus {
  if (next === "failed") return current === "accepted" || current === "sent" ? "failed" : current;
  if (current === "failed") return current;
  const normalized: OutboundStatus = next === "played" ? "read" : next;
  return rank[next] > rank[current] ? normalized : current;
}

/** One `statuses[]` item as Meta sends it (A3.3). */
export function statusObject(
  ctx: EmulatorContext,
  message: OutboundMessage,
  status: ReportedStatus,
  errors?: WebhookError[],
): Record<string, unknown> {
  const customer = ctx.store.customers.get(message.customerKey);
  const timestamp = ctx.clock.nowSeconds();
  const item: Record<string, unknown> = { id: message.wamid, status, timestamp: String(timestamp) };
  if (!message.byUserId && customer?.waId !== undefined) item.recipient_id = customer.waId;
  if (customer?.userId !== undefined && (ctx.settings.includeBsuid || message.byUserId)) {
    item.recipient_user_id = customer.userId;
  }
  const opaque = message.body.biz_opaque_callback_data;
  if (typeof opaque === "string") item.biz_opaque_callback_data = opaque;
  if (status === "failed") {
    item.errors = errors ?? [webhookError(131000)];
    return item;
  }
  if (ctx.settings.includeConversation) {
    const day = Math.floor(message.createdAt / 86_400_000);
    item.conversation = {
      id: createHash("sha256").update(`${message.customerKey}:${day}`).digest("hex").slice(0, 32),
      expiration_timestamp: String(Math.floor(message.createdAt / 1000) + 86_400),
      origin: { type: message.pricingCategory },
    };
  }
  item.pricing = {
    billable: message.pricingType === "regular",
    pricing_model: "PMP",
    category: message.pricingCategory,
    type: message.pricingType,
  };
  return item;
}

/**
 * Reports a status of an outbound message by webhook and records it. Any order is allowed (that
 * is how out-of-order delivery is simulated); the message's summary status never moves back.
 */
export function reportStatus(
  ctx: EmulatorContext,
  message: OutboundMessage,
  status: ReportedStatus,
  errors?: WebhookError[],
): Delivery[] {
  const item = statusObject(ctx, message, status, errors);
  const envelope = messagesEnvelope(ctx.business, [
    { messaging_product: "whatsapp", metadata: metadataOf(ctx.business), statuses: [item] },
  ]);
  const deliveries = ctx.sender.send(envelope, { kind: "statuses", statuses: [status] });
  message.statuses.push({
    status,
    timestamp: Number(item.timestamp),
    ...(status === "failed" ? { errors: item.errors as WebhookError[] } : {}),
    deliveryId: deliveries.find((d) => d.state !== "dropped")?.id,
  });
  message.status = advanceStatus(message.status, status);
  ctx.store.changed({ kind: "status", customerKey: message.customerKey, wamid: message.wamid });
  return deliveries;
}

/**
 * After a send is accepted: the automatic statuses (default `sent`, `delivered`) spaced by
 * `autoStatuses.intervalMs`, or a single `failed` when the send is bound to fail.
 * `skip` lists statuses already sent before the response (statusesBeforeResponse fault).
 */
export function scheduleAutoStatuses(
  ctx: EmulatorContext,
  message: OutboundMessage,
  skip: string[] = [],
): void {
  const { sequence, intervalMs } = ctx.settings.autoStatuses;
  if (message.failure) {
    const failure = message.failure;
    later(ctx, intervalMs, () => {
      reportStatus(ctx, message, "failed", [webhookError(failure.code, failure.details)]);
    });
    return;
  }
  const remaining = sequence.filter((s) => !skip.includes(s));
  remaining.forEach((status, index) => {
    later(ctx, intervalMs * (index + 1), () => {
      if (ctx.store.outbound.get(message.wamid) !== message) return;
      reportStatus(ctx, message, status);
    });
  });
}
