import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express, { type Express, type Response } from "express";
import { type Logger, pino } from "pino";
import { Clock } from "./clock.js";
import type { BusinessInfo, EmulatorContext } from "./context.js";
import { EmulatorControl } from "./control/controller.js";
import { createControlRouter } from "./control/router.js";
import { createAttachmentRouter, createGraphRouter } from "./graph/router.js";
import { parseTemplateDefinition } from "./graph/templateRules.js";
import { insertTemplate } from "./graph/templates.js";
import { createPhoneRouter } from "./phone/router.js";
import {
  defaultSettings,
  mergeSettings,
  type SettingsPatch,
  settingsPatchSchema,
} from "./settings.js";
import { FaultStore } from "./state/faults.js";
import { EmulatorStore } from "./state/store.js";
import type { TemplateStatus } from "./state/types.js";
import { WebhookSender, type WebhookTarget } from "./webhooks/sender.js";

/** A template to have on the WABA from the start (Meta's create body plus a status). */
export interface SeedTemplate {
  name: string;
  language: string;
  category: string;
  components: Record<string, unknown>[];
  parameter_format?: "POSITIONAL" | "NAMED";
  /** Default APPROVED. */
  status?: TemplateStatus;
}

/** Options of `createCloudApiEmulator`. Every one has a default. */
export interface CloudApiEmulatorOptions {
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Port for `start()` when none is passed. Default 0 (any free port). */
  port?: number;
  /** The access token the emulator accepts from the start. Default `EAAEmulatorAccessToken`. */
  accessToken?: string;
  /** Default `200000000000002`. */
  phoneNumberId?: string;
  /** Default `100000000000001`. */
  wabaId?: string;
  /** The business number's digits. Default `5511999990000`. */
  displayPhoneNumber?: string;
  /** Default `Atende Demo`. */
  verifiedName?: string;
  /** Where to send webhooks (can also be set later through the control API). */
  webhook?: WebhookTarget;
  /** Behaviour overrides (see settings.ts; `compressedTimings` for tests). */
  settings?: SettingsPatch;
  /** Templates on the WABA at start and after reset. Default `sampleTemplates`. */
  templates?: SeedTemplate[];
  /** Logger; default: pino at `logLevel` on stderr. */
  logger?: Logger;
  /** Used when no logger is given. Default `silent`. */
  logLevel?: string;
  /** Source of real time (tests rarely need it; prefer `control.advanceClock`). */
  now?: () => number;
}

/** A running (or ready-to-start) emulator. */
export interface CloudApiEmulator {
  /** The Express app (usable without `start()`, e.g. mounted elsewhere). */
  readonly app: Express;
  /** The HTTP server once started. */
  readonly server: Server | undefined;
  /** `http://127.0.0.1:<port>` once started. Point the Graph client's base URL here. */
  readonly url: string;
  /** Fake ids and the default token. */
  readonly phoneNumberId: string;
  readonly wabaId: string;
  readonly accessToken: string;
  /** The control surface (same operations as `/_emulator/*`). */
  readonly control: EmulatorControl;
  /** Listens on `port` (default options.port or a free port); resolves with the URL. */
  start(port?: number): Promise<string>;
  /** Stops listening, cancels pending webhooks and timers. */
  stop(): Promise<void>;
}

/** Meta's sample template plus two Brazilian ones, all APPROVED. */
export const sampleTemplates: SeedTemplate[] = [
  {
    name: "hello_world",
    language: "en_US",
    category: "UTILITY",
    components: [
      { type: "HEADER", format: "TEXT", text: "Hello World" },
      {
        type: "BODY",
        text: "Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification from the Cloud API, hosted by Meta. Thank you for taking the time to test with us.",
      },
      { type: "FOOTER", text: "WhatsApp Business Platform sample message" },
    ],
  },
  {
    name: "pedido_enviado",
    language: "pt_BR",
    category: "UTILITY",
    components: [
      { type: "HEADER", format: "TEXT", text: "Pedido {{1}}", example: { header_text: ["#123"] } },
      {
        type: "BODY",
        text: "Olá {{1}}, seu pedido {{2}} foi enviado.",
        example: { body_text: [["Maria", "#123"]] },
      },
      { type: "FOOTER", text: "Loja Exemplo" },
      {
        type: "BUTTONS",
        buttons: [
          { type: "QUICK_REPLY", text: "Rastrear" },
          {
            type: "URL",
            text: "Ver pedido",
            url: "https://loja.example/p/{{1}}",
            example: ["https://loja.example/p/123"],
          },
        ],
      },
    ],
  },
  {
    name: "retomar_atendimento",
    language: "pt_BR",
    category: "UTILITY",
    parameter_format: "NAMED",
    components: [
      {
        type: "BODY",
        text: "Olá {{cliente}}, podemos continuar o seu atendimento?",
        example: { body_text_named_params: [{ param_name: "cliente", example: "Maria" }] },
      },
      {
        type: "BUTTONS",
        buttons: [
          { type: "QUICK_REPLY", text: "Sim" },
          { type: "QUICK_REPLY", text: "Não" },
        ],
      },
    ],
  },
];

/**
 * Creates a local fake of the WhatsApp Cloud API (protocols.md part A): the Graph endpoints under
 * `/{vNN.0}/...`, the media download URL, signed webhooks to the app, the `/_emulator` control API
 * and the `/phone` page.
 */
export function createCloudApiEmulator(options: CloudApiEmulatorOptions = {}): CloudApiEmulator {
  const host = options.host ?? "127.0.0.1";
  const business: BusinessInfo = {
    phoneNumberId: options.phoneNumberId ?? "200000000000002",
    wabaId: options.wabaId ?? "100000000000001",
    displayPhoneNumber: options.displayPhoneNumber ?? "5511999990000",
    verifiedName: options.verifiedName ?? "Atende Demo",
  };
  const logger =
    options.logger ??
    pino(
      { level: options.logLevel ?? "silent", base: { service: "whatsapp-cloud-emulator" } },
      pino.destination(2),
    );
  const initialSettings = mergeSettings(
    defaultSettings(),
    settingsPatchSchema.parse(options.settings ?? {}),
  );
  const seeds = options.templates ?? sampleTemplates;
  const accessToken = options.accessToken ?? "EAAEmulatorAccessToken";

  const store = new EmulatorStore();
  const faults = new FaultStore();
  const clock = new Clock(options.now);
  let webhookTarget: WebhookTarget | undefined = options.webhook;
  const ctx: EmulatorContext = {
    business,
    store,
    clock,
    faults,
    logger,
    defaultToken: accessToken,
    settings: initialSettings,
    get webhookTarget() {
      return webhookTarget;
    },
    set webhookTarget(target) {
      webhookTarget = target;
    },
    timers: new Set(),
    sender: new WebhookSender({
      target: () => webhookTarget,
      settings: () => ctx.settings.webhook,
      faults,
      logger,
    }),
  };

  const seed = () => {
    store.tokens.set(accessToken, { token: accessToken, state: "active", permitted: true });
    for (const template of seeds) {
      const definition = parseTemplateDefinition(template);
      insertTemplate(ctx, { ...definition, status: template.status ?? "APPROVED" });
    }
  };
  seed();

  const sse = { open: new Set<Response>() };
  const control = new EmulatorControl(ctx, {
    reset: ({ keepWebhook }) => {
      for (const timer of ctx.timers) clearTimeout(timer);
      ctx.timers.clear();
      ctx.sender.reset();
      faults.clear();
      clock.reset();
      store.clear();
      ctx.settings = initialSettings;
      if (!keepWebhook) webhookTarget = options.webhook;
      seed();
    },
  });

  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.use("/_emulator", createControlRouter(ctx, control, sse));
  app.use("/phone", createPhoneRouter());
  app.use("/whatsapp_business/attachments", createAttachmentRouter(ctx));
  app.get("/", (_req, res) => {
    res.redirect(302, "/phone");
  });
  app.get("/favicon.ico", (_req, res) => {
    res.status(204).end();
  });
  app.use("/:version", createGraphRouter(ctx));

  let server: Server | undefined;
  let url = "";

  return {
    app,
    get server() {
      return server;
    },
    get url() {
      if (!url) throw new Error("The emulator is not started: call start() first.");
      return url;
    },
    phoneNumberId: business.phoneNumberId,
    wabaId: business.wabaId,
    accessToken,
    control,
    async start(port = options.port ?? 0) {
      if (server) return url;
      const listening = app.listen(port, host);
      await new Promise<void>((resolve, reject) => {
        listening.once("listening", () => resolve());
        listening.once("error", reject);
      });
      server = listening;
      server.keepAliveTimeout = 5_000;
      const address = server.address() as AddressInfo;
      url = `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
      logger.info({ url }, "whatsapp cloud api emulator listening");
      return url;
    },
    async stop() {
      for (const timer of ctx.timers) clearTimeout(timer);
      ctx.timers.clear();
      ctx.sender.stop();
      for (const res of sse.open) res.end();
      sse.open.clear();
      const current = server;
      server = undefined;
      if (!current) return;
      await new Promise<void>((resolve, reject) => {
        current.close((error) => (error ? reject(error) : resolve()));
        current.closeAllConnections();
      });
    },
  };
}

/** A random secret, e.g. for a test's app secret. */
export function randomSecret(): string {
  return randomBytes(16).toString("hex");
}
