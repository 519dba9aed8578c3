import type { EmulatorContext } from "../context.js";
import { GraphError, webhookError } from "../errors.js";
import { messagesEnvelope, metadataOf } from "../webhooks/payloads.js";

/**
 * Throughput per business number (130429, default 80 messages/s) and the pair rate per recipient
 * (131056: a burst allowance, then one message per interval). Both read the emulator clock.
 * Throws the GraphError when a limit is hit; otherwise counts the send.
 */
export function enforceRateLimits(ctx: EmulatorContext, recipientKey: string): void {
  const { throughputPerSecond, pairRate } = ctx.settings;
  const now = ctx.clock.now();
  if (throughputPerSecond > 0) {
    const window = ctx.store.throughputWindow;
    let drop = 0;
    while (drop < window.length && (window[drop] ?? 0) <= now - 1000) drop += 1;
    if (drop > 0) window.splice(0, drop);
    if (window.length >= throughputPerSecond) {
      if (ctx.settings.asyncThroughputErrors) {
        const envelope = messagesEnvelope(ctx.business, [
          {
            messaging_product: "whatsapp",
            metadata: metadataOf(ctx.business),
            errors: [webhookError(130429)],
          },
        ]);
        ctx.sender.send(envelope, { kind: "errors" });
      }
      throw new GraphError({ code: 130429 });
    }
  }
  if (pairRate.enabled) {
    const bucket = ctx.store.pairBuckets.get(recipientKey) ?? {
      tokens: pairRate.burst,
      updatedAt: now,
    };
    const refill =
      pairRate.intervalMs === 0
        ? Number.POSITIVE_INFINITY
        : (now - bucket.updatedAt) / pairRate.intervalMs;
    bucket.tokens = Math.min(pairRate.burst, bucket.tokens + refill);
    bucket.updatedAt = now;
    if (bucket.tokens < 1) {
      ctx.store.pairBuckets.set(recipientKey, bucket);
      throw new GraphError({ code: 131056 });
    }
    bucket.tokens -= 1;
    ctx.store.pairBuckets.set(recipientKey, bucket);
  }
  if (throughputPerSecond > 0) ctx.store.throughputWindow.push(now);
}
