import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { EmulatorContext } from "../context.js";
import { controlErrors, webhookError } from "../errors.js";
import { parseTemplateDefinition, type TemplateDefinition } from "../graph/templateRules.js";
import { insertTemplate, presentTemplate } from "../graph/templates.js";
import { mergeSettings, type SettingsPatch, settingsPatchSchema } from "../settings.js";
import {
  type GraphFaultSpec,
  graphFaultSchema,
  type WebhookFaultSpec,
  webhookFaultSchema,
} from "../state/faults.js";
import {
  type ReportedStatus,
  type Template,
  type TemplateStatus,
  templateStatuses,
} from "../state/types.js";
import {
  type BatchLayout,
  type InboundInput,
  inboundInputSchema,
  receiveInbound,
} from "../webhooks/inbound.js";
import { fieldEnvelope, messagesEnvelope, metadataOf } from "../webhooks/payloads.js";
import type { Delivery, DeliveryState, WebhookTarget } from "../webhooks/sender.js";
import { serializeLikeMeta } from "../webhooks/signer.js";
import { reportStatus } from "../webhooks/statuses.js";
import { setTemplateStatus } from "../webhooks/templateStatus.js";
import { presentCustomer, presentDelivery, presentInbound, presentOutbound } from "./presenters.js";

/** Input of `configureWebhook`. */
export const webhookTargetSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  appSecret: z.string().min(1),
  verifyToken: z.string().min(1),
});

/** Input of `updateCustomer`. */
export const customerPatchSchema = z.strictObject({
  name: z.string().max(256).optional(),
  username: z.string().max(100).optional(),
  hidePhone: z.boolean().optional(),
  undeliverable: z.boolean().optional(),
  marketingOptOut: z.boolean().optional(),
});

const reportableStatuses = ["sent", "delivered", "read", "played", "failed"] as const;

/** Input of `reportStatuses`. */
export const statusReportSchema = z.strictObject({
  statuses: z.array(z.enum(reportableStatuses)).min(1),
  /** For `failed`: the error code (default 131026) and optional details. */
  code: z.number().int().optional(),
  details: z.string().optional(),
});

/**
 * The emulator's control surface, used in-process by tests (`emulator.control`) and over HTTP by
 * `/_emulator/*` (see README). Everything here is outside Meta's API: it plays the customer's
 * phone, Meta's reviewers and the network.
 */
export class EmulatorControl {
  constructor(
    private readonly ctx: EmulatorContext,
    private readonly hooks: { reset: (options: { keepWebhook: boolean }) => void },
  ) {}

  /** Ids, the default token and the current webhook target (secret never shown). */
  info() {
    const { business } = this.ctx;
    return {
      phoneNumberId: business.phoneNumberId,
      wabaId: business.wabaId,
      displayPhoneNumber: business.displayPhoneNumber,
      verifiedName: business.verifiedName,
      accessToken: this.ctx.defaultToken,
      webhook: this.webhook(),
      clockOffsetMs: this.ctx.clock.offset,
      now: new Date(this.ctx.clock.now()).toISOString(),
    };
  }

  /** Sets where webhooks go (the app's callback URL, app secret and verify token). */
  configureWebhook(target: WebhookTarget): void {
    this.ctx.webhookTarget = webhookTargetSchema.parse(target);
  }

  /** The webhook target without its secret. */
  webhook(): { url: string; verifyToken: string; appSecretSet: true } | null {
    const target = this.ctx.webhookTarget;
    return target ? { url: target.url, verifyToken: target.verifyToken, appSecretSet: true } : null;
  }

  /** Performs Meta's GET verification handshake against the app (A1). Pass a wrong token to see it refused. */
  async verifyWebhook(options: { verifyToken?: string; challenge?: string } = {}) {
    if (!this.ctx.webhookTarget) throw controlErrors.noWebhook();
    return this.ctx.sender.verify(options);
  }

  /** A customer writes to the business: any inbound type of A3.2. Returns the wamid and the delivery. */
  receive(input: InboundInput | Record<string, unknown>) {
    const result = receiveInbound(this.ctx, [parseInbound(input)]);
    const message = result.messages[0];
    if (!message) throw new Error("no message recorded");
    return {
      wamid: message.wamid,
      message: presentInbound(this.ctx, message),
      deliveries: result.deliveries.map((d) => d.id),
    };
  }

  /** Several customer messages in one webhook POST (batched as one value, several changes or several entries). */
  receiveBatch(inputs: (InboundInput | Record<string, unknown>)[], layout: BatchLayout = "value") {
    const result = receiveInbound(this.ctx, inputs.map(parseInbound), layout);
    return {
      wamids: result.messages.map((m) => m.wamid),
      deliveries: result.deliveries.map((d) => d.id),
    };
  }

  /** Sends any payload, signed (or not) as asked: for crafted or malformed webhooks. */
  sendRawWebhook(options: {
    payload?: unknown;
    body?: string;
    signature?: "valid" | "bad" | "missing";
    kind?: string;
  }) {
    if (options.payload === undefined && options.body === undefined) {
      throw controlErrors.validation(
        "Give `payload` (an object, serialised like Meta) or `body` (exact bytes).",
      );
    }
    const rawBody = options.body ?? serializeLikeMeta(options.payload);
    return this.ctx.sender
      .send(null, {
        kind: options.kind ?? "raw",
        rawBody,
        ...(options.signature === undefined ? {} : { signature: options.signature }),
      })
      .map((d) => d.id);
  }

  /** An out-of-band `value.errors` webhook (e.g. a 130429 system throttle). */
  sendErrorsWebhook(errors: { code: number; details?: string }[]) {
    const envelope = messagesEnvelope(this.ctx.business, [
      {
        messaging_product: "whatsapp",
        metadata: metadataOf(this.ctx.business),
        errors: errors.map((e) => webhookError(e.code, e.details)),
      },
    ]);
    return this.ctx.sender.send(envelope, { kind: "errors" }).map((d) => d.id);
  }

  /** A webhook for any other field (`account_update`, `phone_number_quality_update`, an unknown one...). */
  sendFieldWebhook(field: string, value: unknown) {
    return this.ctx.sender
      .send(fieldEnvelope(this.ctx.business, field, value, this.ctx.clock.nowSeconds()), {
        kind: field,
      })
      .map((d) => d.id);
  }

  /** Messages the business sent, newest last. */
  messages(filter: { to?: string; status?: string; type?: string } = {}) {
    return [...this.ctx.store.outbound.values()]
      .filter((m) => {
        if (filter.status !== undefined && m.status !== filter.status) return false;
        if (filter.type !== undefined && m.type !== filter.type) return false;
        if (filter.to !== undefined) {
          const customer = this.ctx.store.customers.get(m.customerKey);
          if (
            m.input !== filter.to &&
            customer?.waId !== filter.to &&
            customer?.userId !== filter.to
          )
            return false;
        }
        return true;
      })
      .map((m) => presentOutbound(this.ctx, m));
  }

  /** One sent message by wamid. */
  message(wamid: string) {
    const message = this.ctx.store.outbound.get(wamid);
    if (!message) throw controlErrors.notFound(`Sent message ${wamid}`);
    return presentOutbound(this.ctx, message);
  }

  /** Messages customers sent. */
  inboundMessages(filter: { from?: string } = {}) {
    return [...this.ctx.store.inbound.values()]
      .filter(
        (m) => filter.from === undefined || m.customerKey === this.findCustomerKey(filter.from),
      )
      .map((m) => presentInbound(this.ctx, m));
  }

  /**
   * Reports statuses of a sent message, exactly in the order given (so `["read", "delivered"]`
   * simulates out-of-order delivery). `failed` carries `code` (default 131026).
   */
  reportStatuses(
    wamid: string,
    report: { statuses: ReportedStatus[]; code?: number; details?: string },
  ) {
    const parsed = statusReportSchema.parse(report);
    const message = this.ctx.store.outbound.get(wamid);
    if (!message) throw controlErrors.notFound(`Sent message ${wamid}`);
    const deliveries: Delivery[] = [];
    for (const status of parsed.statuses) {
      const errors =
        status === "failed" ? [webhookError(parsed.code ?? 131026, parsed.details)] : undefined;
      deliveries.push(...reportStatus(this.ctx, message, status, errors));
    }
    return { message: presentOutbound(this.ctx, message), deliveries: deliveries.map((d) => d.id) };
  }

  /** The customer read everything the business sent them (what the phone page does when open). */
  readAll(customer: string) {
    const key = this.findCustomerKey(customer);
    if (key === undefined) throw controlErrors.notFound(`Customer ${customer}`);
    const unread = [...this.ctx.store.outbound.values()].filter(
      (m) => m.customerKey === key && (m.status === "sent" || m.status === "delivered"),
    );
    for (const message of unread) reportStatus(this.ctx, message, "read");
    return { read: unread.map((m) => m.wamid) };
  }

  /** Every customer. */
  customers() {
    return [...this.ctx.store.customers.values()].map((c) => presentCustomer(this.ctx, c));
  }

  /** Creates or changes a customer (undeliverable → 131026, marketingOptOut → 131050, hidePhone → BSUID only). */
  updateCustomer(
    ref: { waId?: string; userId?: string },
    patch: z.infer<typeof customerPatchSchema>,
  ) {
    const parsed = customerPatchSchema.parse(patch);
    const customer = this.ctx.store.upsertCustomer(
      { waId: ref.waId, userId: ref.userId, name: parsed.name, username: parsed.username },
      { includeBsuid: this.ctx.settings.includeBsuid },
    );
    if (parsed.hidePhone !== undefined) customer.hidePhone = parsed.hidePhone;
    if (parsed.undeliverable !== undefined) customer.undeliverable = parsed.undeliverable;
    if (parsed.marketingOptOut !== undefined) customer.marketingOptOut = parsed.marketingOptOut;
    this.ctx.store.changed({ kind: "customer", customerKey: customer.key });
    return presentCustomer(this.ctx, customer);
  }

  /** A customer's conversation both ways, with the typing indicator (for the phone page). */
  conversation(customer: string) {
    const key = this.findCustomerKey(customer);
    const found = key === undefined ? undefined : this.ctx.store.customers.get(key);
    if (!found) return { customer: null, typing: false, messages: [] };
    return {
      customer: presentCustomer(this.ctx, found),
      typing: found.typingUntil !== undefined && found.typingUntil > this.ctx.clock.now(),
      messages: this.ctx.store
        .thread(found.key)
        .map((item) =>
          item.direction === "in"
            ? presentInbound(this.ctx, item.message)
            : presentOutbound(this.ctx, item.message),
        ),
    };
  }

  /** Every template on the WABA (all statuses). */
  templates() {
    return this.ctx.store.templateList().map((t) => presentTemplate(t));
  }

  /** Adds a template (validated like Meta's create), in the given status (default APPROVED). */
  addTemplate(definition: unknown, status: TemplateStatus = "APPROVED") {
    const parsed: TemplateDefinition = parseTemplateDefinition(definition);
    const clash = this.ctx.store
      .templateList()
      .some(
        (t) =>
          t.name === parsed.name &&
          t.language === parsed.language &&
          t.status !== "PENDING_DELETION",
      );
    if (clash)
      throw controlErrors.conflict(`Template ${parsed.name} (${parsed.language}) already exists.`);
    return presentTemplate(insertTemplate(this.ctx, { ...parsed, status }));
  }

  /**
   * Meta's review: move a template (by id, or by name and optional language) to APPROVED,
   * REJECTED (with `reason`), PAUSED, DISABLED... and send the status webhook.
   */
  setTemplateStatus(
    idOrName: string,
    status: TemplateStatus,
    options: { language?: string; reason?: string } = {},
  ) {
    if (!(templateStatuses as readonly string[]).includes(status)) {
      throw controlErrors.validation(`status must be one of ${templateStatuses.join(", ")}`);
    }
    const templates = this.findTemplates(idOrName, options.language);
    const deliveries = templates.flatMap((t) =>
      setTemplateStatus(this.ctx, t, status, options.reason),
    );
    return {
      templates: templates.map((t) => presentTemplate(t)),
      deliveries: deliveries.map((d) => d.id),
    };
  }

  /** Tokens and their states. */
  tokens() {
    return [...this.ctx.store.tokens.values()].map((t) => ({ ...t }));
  }

  /** Adds a token (random unless given); `permitted: false` makes it authenticate but get 403 code 10. */
  createToken(options: { token?: string; permitted?: boolean } = {}) {
    const token = options.token ?? `EAAEmulator${randomBytes(18).toString("base64url")}`;
    this.ctx.store.tokens.set(token, {
      token,
      state: "active",
      permitted: options.permitted ?? true,
    });
    return { token, state: "active" as const, permitted: options.permitted ?? true };
  }

  /** Revokes (190/460) or expires (190/463) a token; the default token when none is given. */
  revokeToken(token?: string, mode: "revoked" | "expired" = "revoked") {
    const found = this.ctx.store.tokens.get(token ?? this.ctx.defaultToken);
    if (!found) throw controlErrors.notFound("Token");
    found.state = mode;
    return { token: found.token, state: found.state };
  }

  /** Makes a token valid again. */
  restoreToken(token?: string) {
    const found = this.ctx.store.tokens.get(token ?? this.ctx.defaultToken);
    if (!found) throw controlErrors.notFound("Token");
    found.state = "active";
    found.permitted = true;
    return { token: found.token, state: found.state };
  }

  /** Adds a Graph-side fault (delays, 5xx, 429-like codes, resets, malformed JSON, token revocation, async failures...). */
  addGraphFault(spec: GraphFaultSpec) {
    return this.ctx.faults.addGraph(graphFaultSchema.parse(spec));
  }

  /** Adds a webhook-side fault (delay, duplicate, drop, bad or missing signature). */
  addWebhookFault(spec: WebhookFaultSpec) {
    return this.ctx.faults.addWebhook(webhookFaultSchema.parse(spec));
  }

  /** Active faults. */
  faults() {
    return this.ctx.faults.list();
  }

  /** Removes one fault. */
  removeFault(id: string): void {
    if (!this.ctx.faults.remove(id)) throw controlErrors.notFound(`Fault ${id}`);
  }

  /** Removes all faults of one side, or all. */
  clearFaults(side?: "graph" | "webhook"): void {
    this.ctx.faults.clear(side);
  }

  /** Current behaviour settings. */
  settings() {
    return structuredClone(this.ctx.settings);
  }

  /** Changes behaviour settings (deep partial). */
  updateSettings(patch: SettingsPatch) {
    this.ctx.settings = mergeSettings(this.ctx.settings, settingsPatchSchema.parse(patch));
    return this.settings();
  }

  /** Moves the emulator clock forward (24-hour window, URL expiry, rate-limit windows). */
  advanceClock(ms: number) {
    if (!Number.isFinite(ms) || ms < 0)
      throw controlErrors.validation("ms must be a non-negative number");
    this.ctx.clock.advance(ms);
    this.ctx.store.changed({ kind: "customer" });
    return { offsetMs: this.ctx.clock.offset, now: new Date(this.ctx.clock.now()).toISOString() };
  }

  /** Webhook deliveries, oldest first. */
  deliveries(filter: { kind?: string; state?: DeliveryState; withBody?: boolean } = {}) {
    const { withBody, ...rest } = filter;
    return this.ctx.sender.list(rest).map((d) => presentDelivery(d, withBody ?? true));
  }

  /** One delivery. */
  delivery(id: string) {
    const delivery = this.ctx.sender.get(id);
    if (!delivery) throw controlErrors.notFound(`Delivery ${id}`);
    return presentDelivery(delivery);
  }

  /** Resolves when a delivery has ended (delivered, or failed for good). */
  async waitForDelivery(id: string) {
    return presentDelivery(await this.ctx.sender.wait(id));
  }

  /** Resolves when no webhook is pending (no attempt in flight, no retry waiting). */
  waitForWebhooks(timeoutMs?: number): Promise<void> {
    return this.ctx.sender.idle(timeoutMs);
  }

  /** Receiver timing and delivery counts (median/p99 against Meta's 250 ms / 1 s guidance). */
  webhookStats() {
    return this.ctx.sender.stats();
  }

  /** The last Graph API calls the app made. */
  requests() {
    return [...this.ctx.store.requests];
  }

  /** Back to the start state: messages, customers, media, templates (re-seeded), tokens (re-seeded), faults, clock, settings. */
  reset(options: { keepWebhook?: boolean } = {}): void {
    this.hooks.reset({ keepWebhook: options.keepWebhook ?? true });
  }

  private findCustomerKey(ref: string): string | undefined {
    if (this.ctx.store.customers.has(ref)) return ref;
    return this.ctx.store.findCustomer({ waId: ref, userId: ref })?.key;
  }

  private findTemplates(idOrName: string, language?: string): Template[] {
    const byId = this.ctx.store.templates.get(idOrName);
    if (byId) return [byId];
    const byName = this.ctx.store
      .templateList()
      .filter((t) => t.name === idOrName && (language === undefined || t.language === language));
    if (byName.length === 0) throw controlErrors.notFound(`Template ${idOrName}`);
    return byName;
  }
}

function parseInbound(input: unknown): InboundInput {
  const parsed = inboundInputSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw controlErrors.validation(
    `Invalid simulated message${issue ? ` at ${issue.path.join(".") || "(root)"}: ${issue.message}` : ""}`,
    { issues: parsed.error.issues.slice(0, 5) },
  );
}
