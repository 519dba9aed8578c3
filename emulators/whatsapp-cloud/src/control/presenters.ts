import type { EmulatorContext } from "../context.js";
import type { Customer, InboundMessage, OutboundMessage } from "../state/types.js";
import type { Delivery } from "../webhooks/sender.js";

/** A customer as the control API shows it. */
export function presentCustomer(ctx: EmulatorContext, customer: Customer) {
  const now = ctx.clock.now();
  const windowExpiresAt =
    customer.lastInboundAt === undefined ? null : customer.lastInboundAt + ctx.settings.windowMs;
  return {
    key: customer.key,
    waId: customer.waId ?? null,
    userId: customer.userId ?? null,
    parentUserId: customer.parentUserId ?? null,
    name: customer.name,
    username: customer.username ?? null,
    hidePhone: customer.hidePhone,
    undeliverable: customer.undeliverable,
    marketingOptOut: customer.marketingOptOut,
    lastInboundAt:
      customer.lastInboundAt === undefined ? null : new Date(customer.lastInboundAt).toISOString(),
    windowOpen: windowExpiresAt !== null && now <= windowExpiresAt,
    windowExpiresAt: windowExpiresAt === null ? null : new Date(windowExpiresAt).toISOString(),
    typing: customer.typingUntil !== undefined && customer.typingUntil > now,
  };
}

/** A message the business sent, with its status history. */
export function presentOutbound(ctx: EmulatorContext, message: OutboundMessage) {
  const { _rendered, ...body } = message.body;
  const customer = ctx.store.customers.get(message.customerKey);
  return {
    direction: "out" as const,
    wamid: message.wamid,
    seq: message.seq,
    to: message.input,
    customerKey: message.customerKey,
    waId: customer?.waId ?? null,
    userId: customer?.userId ?? null,
    type: message.type,
    body,
    rendered: _rendered ?? null,
    status: message.status,
    statuses: message.statuses.map((s) => ({
      status: s.status,
      timestamp: s.timestamp,
      errors: s.errors ?? null,
      deliveryId: s.deliveryId ?? null,
    })),
    failure: message.failure ?? null,
    createdAt: new Date(message.createdAt).toISOString(),
  };
}

/** A message a (simulated) customer sent. */
export function presentInbound(ctx: EmulatorContext, message: InboundMessage) {
  const delivery =
    message.deliveryId === undefined ? undefined : ctx.sender.get(message.deliveryId);
  return {
    direction: "in" as const,
    wamid: message.wamid,
    seq: message.seq,
    customerKey: message.customerKey,
    type: message.type,
    message: message.message,
    readByBusiness: message.readByBusiness,
    deliveryId: message.deliveryId ?? null,
    deliveryState: delivery?.state ?? null,
    receivedAt: new Date(message.receivedAt).toISOString(),
  };
}

/** A webhook delivery (body included unless `withBody` is false). */
export function presentDelivery(delivery: Delivery, withBody = true) {
  return {
    id: delivery.id,
    kind: delivery.kind,
    statuses: delivery.statuses ?? null,
    state: delivery.state,
    signature: delivery.signature,
    copyOf: delivery.copyOf ?? null,
    createdAt: new Date(delivery.createdAt).toISOString(),
    attempts: delivery.attempts.map((a) => ({
      startedAt: new Date(a.startedAt).toISOString(),
      status: a.status ?? null,
      error: a.error ?? null,
      durationMs: a.durationMs,
    })),
    ...(withBody ? { body: delivery.body } : {}),
  };
}
