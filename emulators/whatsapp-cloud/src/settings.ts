import { z } from "zod";

const statusName = z.enum(["sent", "delivered", "read"]);

const retrySchema = z.object({
  /** Delay before the first retry. */
  initialDelayMs: z.number().int().min(0),
  /** Multiplier between retries (exponential backoff). */
  factor: z.number().min(1),
  /** Cap on one delay. */
  maxDelayMs: z.number().int().min(0),
  /** Give up once this much time has passed since the first attempt (Meta: about 7 days). */
  horizonMs: z.number().int().min(0),
  /** Give up after this many attempts in total (null = only the horizon applies). */
  maxAttempts: z.number().int().min(1).nullable(),
});

/**
 * Everything about the emulator's behaviour that a test or a person may change while it runs
 * (`PATCH /_emulator/settings`). Defaults follow Meta (protocols.md A5, A7).
 */
export const settingsSchema = z.object({
  /** Messages per second per business number before 130429 (0 = unlimited). Meta: 80. */
  throughputPerSecond: z.number().int().min(0),
  /** Pair rate limit (131056): a burst allowance, then one message per `intervalMs` to the same user. */
  pairRate: z.object({
    enabled: z.boolean(),
    burst: z.number().int().min(1),
    intervalMs: z.number().int().min(0),
  }),
  /** Also send a `value.errors` webhook when a send hits 130429. */
  asyncThroughputErrors: z.boolean(),
  /** How a free-form send outside the 24-hour window fails: 200 then a `failed` status (Meta's usual), or a 400. */
  reengagement: z.enum(["async", "sync"]),
  /** Length of the customer service window. */
  windowMs: z.number().int().min(0),
  /** Statuses sent automatically for every accepted message, in this order (any order is allowed). */
  autoStatuses: z.object({
    sequence: z.array(statusName),
    /** Gap before the first status and between two statuses. */
    intervalMs: z.number().int().min(0),
  }),
  /** Include the optional `conversation` object in statuses. */
  includeConversation: z.boolean(),
  /** Give inbound customers a BSUID (`user_id`, `from_user_id`) as Meta does since 2026. */
  includeBsuid: z.boolean(),
  /** Report `wa_id` without Brazil's 9th digit when the input has it (the community-known quirk). */
  brazilNinthDigit: z.boolean(),
  /** How long a media download URL from GET /{media-id} stays valid. Meta: 5 minutes. */
  mediaUrlTtlMs: z.number().int().min(0),
  /** How long media ids received in webhooks stay valid. Meta: 7 days. */
  webhookMediaTtlMs: z.number().int().min(0),
  /** How long uploaded media ids stay valid. Meta: 30 days. */
  uploadedMediaTtlMs: z.number().int().min(0),
  /** How long a typing indicator shows unless the business replies. Meta: 25 s. */
  typingIndicatorMs: z.number().int().min(0),
  /** Latency added to every Graph API response. */
  graphLatencyMs: z.number().int().min(0),
  /** Approve new templates by themselves after this delay (null = wait for the control API). */
  autoApproveTemplatesMs: z.number().int().min(0).nullable(),
  webhook: z.object({
    /** An attempt that takes longer than this counts as failed and is retried. */
    timeoutMs: z.number().int().min(1),
    /** Attempts in flight at once. */
    maxConcurrency: z.number().int().min(1),
    retry: retrySchema,
    /** Receiver timing targets (Meta guidance): reported by GET /_emulator/webhook/stats. */
    slowMedianMs: z.number().int().min(0),
    slowP99Ms: z.number().int().min(0),
  }),
});

/** The emulator's mutable behaviour. */
export type EmulatorSettings = z.infer<typeof settingsSchema>;
/** Retry policy for webhooks. */
export type RetrySettings = z.infer<typeof retrySchema>;

const minute = 60_000;
const day = 24 * 60 * minute;

/** Meta-like defaults (real timings, except webhook retries which start at 1 s). */
export function defaultSettings(): EmulatorSettings {
  return {
    throughputPerSecond: 80,
    pairRate: { enabled: true, burst: 45, intervalMs: 6_000 },
    asyncThroughputErrors: false,
    reengagement: "async",
    windowMs: day,
    autoStatuses: { sequence: ["sent", "delivered"], intervalMs: 50 },
    includeConversation: false,
    includeBsuid: true,
    brazilNinthDigit: false,
    mediaUrlTtlMs: 5 * minute,
    webhookMediaTtlMs: 7 * day,
    uploadedMediaTtlMs: 30 * day,
    typingIndicatorMs: 25_000,
    graphLatencyMs: 0,
    autoApproveTemplatesMs: null,
    webhook: {
      timeoutMs: 5_000,
      maxConcurrency: 32,
      retry: {
        initialDelayMs: 1_000,
        factor: 2,
        maxDelayMs: 15 * minute,
        horizonMs: 7 * day,
        maxAttempts: null,
      },
      slowMedianMs: 250,
      slowP99Ms: 1_000,
    },
  };
}

/** A deep-partial settings patch, validated. */
export const settingsPatchSchema = z.strictObject({
  throughputPerSecond: settingsSchema.shape.throughputPerSecond.optional(),
  pairRate: settingsSchema.shape.pairRate.partial().strict().optional(),
  asyncThroughputErrors: z.boolean().optional(),
  reengagement: settingsSchema.shape.reengagement.optional(),
  windowMs: settingsSchema.shape.windowMs.optional(),
  autoStatuses: settingsSchema.shape.autoStatuses.partial().strict().optional(),
  includeConversation: z.boolean().optional(),
  includeBsuid: z.boolean().optional(),
  brazilNinthDigit: z.boolean().optional(),
  mediaUrlTtlMs: settingsSchema.shape.mediaUrlTtlMs.optional(),
  webhookMediaTtlMs: settingsSchema.shape.webhookMediaTtlMs.optional(),
  uploadedMediaTtlMs: settingsSchema.shape.uploadedMediaTtlMs.optional(),
  typingIndicatorMs: settingsSchema.shape.typingIndicatorMs.optional(),
  graphLatencyMs: settingsSchema.shape.graphLatencyMs.optional(),
  autoApproveTemplatesMs: settingsSchema.shape.autoApproveTemplatesMs.optional(),
  webhook: z
    .strictObject({
      timeoutMs: z.number().int().min(1).optional(),
      maxConcurrency: z.number().int().min(1).optional(),
      retry: retrySchema.partial().strict().optional(),
      slowMedianMs: z.number().int().min(0).optional(),
      slowP99Ms: z.number().int().min(0).optional(),
    })
    .optional(),
});

/** A partial settings object (deep). */
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

/** Applies a patch without mutating `base`. */
export function mergeSettings(base: EmulatorSettings, patch: SettingsPatch): EmulatorSettings {
  const next = structuredClone(base);
  const { pairRate, autoStatuses, webhook, ...flat } = patch;
  for (const [key, value] of Object.entries(flat)) {
    if (value !== undefined) (next as Record<string, unknown>)[key] = value;
  }
  if (pairRate) Object.assign(next.pairRate, stripUndefined(pairRate));
  if (autoStatuses) Object.assign(next.autoStatuses, stripUndefined(autoStatuses));
  if (webhook) {
    const { retry, ...rest } = webhook;
    Object.assign(next.webhook, stripUndefined(rest));
    if (retry) Object.assign(next.webhook.retry, stripUndefined(retry));
  }
  return settingsSchema.parse(next);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Retry and status timings compressed for tests: a whole retry cycle takes well under a second. */
export const compressedTimings: SettingsPatch = {
  autoStatuses: { intervalMs: 5 },
  webhook: {
    timeoutMs: 1_000,
    retry: { initialDelayMs: 20, factor: 2, maxDelayMs: 200, horizonMs: 5_000 },
  },
};
