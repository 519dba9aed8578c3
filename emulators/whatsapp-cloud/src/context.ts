import type { Logger } from "pino";
import type { Clock } from "./clock.js";
import type { EmulatorSettings } from "./settings.js";
import type { FaultStore } from "./state/faults.js";
import type { EmulatorStore } from "./state/store.js";
import type { BusinessIdentity } from "./webhooks/payloads.js";
import type { WebhookSender, WebhookTarget } from "./webhooks/sender.js";

/** The business number the emulator fakes. */
export interface BusinessInfo extends BusinessIdentity {
  /** The verified business name shown to customers. */
  verifiedName: string;
}

/**
 * Shared state and services of one emulator instance, passed to every route and command
 * (no module singletons: several emulators can run in one process).
 */
export interface EmulatorContext {
  readonly business: BusinessInfo;
  readonly store: EmulatorStore;
  readonly clock: Clock;
  readonly faults: FaultStore;
  readonly sender: WebhookSender;
  readonly logger: Logger;
  /** The access token created at start (and re-created by reset). */
  readonly defaultToken: string;
  /** Current behaviour; replaced as a whole on PATCH. */
  settings: EmulatorSettings;
  /** Where webhooks go, once configured. */
  webhookTarget: WebhookTarget | undefined;
  /** Timers for scheduled statuses, cleared on reset/stop. */
  readonly timers: Set<NodeJS.Timeout>;
}

/** Runs `fn` after `ms` of real time, tracked so reset/stop can cancel it. */
export function later(ctx: EmulatorContext, ms: number, fn: () => void): void {
  const timer = setTimeout(() => {
    ctx.timers.delete(timer);
    fn();
  }, ms);
  ctx.timers.add(timer);
}
