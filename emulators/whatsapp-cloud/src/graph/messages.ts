import type { EmulatorContext } from "../context.js";
import { GraphError, graphErrors } from "../errors.js";
import { brazilWaId, newWamid } from "../ids.js";
import type { GraphFaultSpec, Stored } from "../state/faults.js";
import type { Customer, OutboundMessage } from "../state/types.js";
import { reportStatus, scheduleAutoStatuses } from "../webhooks/statuses.js";
import { enforceRateLimits } from "./rateLimits.js";
import { type MarkReadRequest, mediaTypes, type SendRequest } from "./sendSchema.js";
import { checkTemplateSend, type RenderedTemplate } from "./templateRules.js";

/** The 200 body of a send (A4 "Send success"). */
export interface SendResponse {
  messaging_product: "whatsapp";
  contacts: ({ input: string; wa_id: string } | { input: string; user_id: string })[];
  messages: { id: string; message_status?: "accepted" }[];
}

/**
 * Marks a customer message (and every earlier one from that customer) as read, optionally
 * showing the typing indicator for up to `typingIndicatorMs` or until the business replies.
 */
export function markRead(ctx: EmulatorContext, request: MarkReadRequest): { success: true } {
  const target = ctx.store.inbound.get(request.messageId);
  if (!target) {
    throw graphErrors.invalidValue(
      `Message with id ${request.messageId} not found (mark as read needs an inbound wamid)`,
    );
  }
  for (const message of ctx.store.inbound.values()) {
    if (message.customerKey === target.customerKey && message.seq <= target.seq)
      message.readByBusiness = true;
  }
  ctx.store.changed({ kind: "read", customerKey: target.customerKey, wamid: target.wamid });
  if (request.typing) {
    const customer = ctx.store.customers.get(target.customerKey);
    if (customer) {
      customer.typingUntil = ctx.clock.now() + ctx.settings.typingIndicatorMs;
      ctx.store.changed({ kind: "typing", customerKey: customer.key });
    }
  }
  return { success: true };
}

/**
 * Accepts a send: resolves the recipient, applies rate limits, the 24-hour window and template
 * rules, records the message and schedules its statuses. Failures Meta reports asynchronously
 * (131047 by default, 131026, 131050, injected `failAsync`) answer 200 and a `failed` status later.
 */
export async function sendMessage(
  ctx: EmulatorContext,
  request: SendRequest,
  faults: Stored<GraphFaultSpec>[],
): Promise<SendResponse> {
  const customer = resolveRecipient(ctx, request);
  if (
    customer.waId !== undefined &&
    customer.waId === ctx.business.displayPhoneNumber.replace(/\D/g, "")
  ) {
    throw new GraphError({ code: 131021, details: "Recipient cannot be the sender." });
  }
  if (request.type !== "template") checkMediaReference(ctx, request);

  let rendered: RenderedTemplate | undefined;
  let pricingCategory = "service";
  let pricingType = "free_customer_service";
  const inWindow =
    customer.lastInboundAt !== undefined &&
    ctx.clock.now() - customer.lastInboundAt <= ctx.settings.windowMs;
  let failure: OutboundMessage["failure"];

  if (request.type === "template") {
    const checked = checkTemplateSend(
      ctx.store.templateList(),
      request.content as Parameters<typeof checkTemplateSend>[1],
    );
    rendered = checked.rendered;
    pricingCategory = checked.template.category.toLowerCase();
    pricingType =
      checked.template.category === "UTILITY" && inWindow ? "free_customer_service" : "regular";
    if (checked.template.category === "MARKETING" && customer.marketingOptOut)
      failure = { code: 131050 };
  } else if (!inWindow) {
    if (ctx.settings.reengagement === "sync") throw new GraphError({ code: 131047 });
    failure = { code: 131047 };
  }

  enforceRateLimits(ctx, customer.key);

  if (customer.undeliverable) failure = { code: 131026 };
  const injected = faults.find((f) => f.kind === "failAsync");
  if (injected?.kind === "failAsync") {
    failure = {
      code: injected.code,
      ...(injected.details === undefined ? {} : { details: injected.details }),
    };
  }

  const body = { ...request.body };
  if (rendered) body._rendered = rendered;
  const message: OutboundMessage = {
    wamid: newWamid(),
    seq: ctx.store.nextMessageSeq(),
    customerKey: customer.key,
    input: request.recipient.input,
    byUserId: request.recipient.phone === undefined,
    type: request.type,
    body,
    createdAt: ctx.clock.now(),
    status: "accepted",
    statuses: [],
    pricingCategory,
    pricingType,
    failure,
  };
  ctx.store.outbound.set(message.wamid, message);
  if (customer.typingUntil !== undefined) {
    customer.typingUntil = undefined;
    ctx.store.changed({ kind: "typing", customerKey: customer.key });
  }
  ctx.store.changed({ kind: "outbound", customerKey: customer.key, wamid: message.wamid });

  const early = faults.find((f) => f.kind === "statusesBeforeResponse");
  const sentEarly: string[] = [];
  if (early?.kind === "statusesBeforeResponse" && !failure) {
    // One after the other, each acknowledged by the app (or timed out) before the next.
    for (const status of early.statuses ?? ["sent"]) {
      sentEarly.push(status);
      const deliveries = reportStatus(ctx, message, status);
      await Promise.race([
        Promise.all(deliveries.map((d) => ctx.sender.wait(d.id))),
        new Promise((resolve) => setTimeout(resolve, ctx.settings.webhook.timeoutMs)),
      ]);
    }
  }
  scheduleAutoStatuses(ctx, message, sentEarly);

  return {
    messaging_product: "whatsapp",
    contacts: [
      message.byUserId
        ? { input: request.recipient.input, user_id: customer.userId ?? request.recipient.input }
        : { input: request.recipient.input, wa_id: customer.waId ?? request.recipient.phone ?? "" },
    ],
    messages: [
      {
        id: message.wamid,
        ...(request.type === "template" ? { message_status: "accepted" as const } : {}),
      },
    ],
  };
}

function resolveRecipient(ctx: EmulatorContext, request: SendRequest): Customer {
  const { phone, userId } = request.recipient;
  if (phone !== undefined) {
    const known =
      ctx.store.findCustomer({ waId: phone }) ??
      ctx.store.findCustomer({ waId: brazilWaId(phone) });
    if (known) return known;
    const waId = ctx.settings.brazilNinthDigit ? brazilWaId(phone) : phone;
    return ctx.store.upsertCustomer({ waId }, { includeBsuid: ctx.settings.includeBsuid });
  }
  return ctx.store.upsertCustomer({ userId }, { includeBsuid: ctx.settings.includeBsuid });
}

function checkMediaReference(ctx: EmulatorContext, request: SendRequest): void {
  const candidates: unknown[] = [];
  if ((mediaTypes as readonly string[]).includes(request.type)) candidates.push(request.content);
  if (request.type === "interactive") {
    const header = (request.content as { header?: Record<string, unknown> }).header;
    if (header && typeof header.type === "string" && header.type !== "text")
      candidates.push(header[header.type]);
  }
  for (const candidate of candidates) {
    const id = (candidate as { id?: unknown } | undefined)?.id;
    if (typeof id !== "string") continue;
    const media = ctx.store.media.get(id);
    if (!media || media.deleted || media.expiresAt < ctx.clock.now()) {
      throw graphErrors.invalidValue(`Media id ${id} is not valid (unknown, deleted or expired)`);
    }
  }
}
