import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { fileURLToPath } from "node:url";
import express, { type Express } from "express";
import { LoginThrottle } from "./auth/loginThrottle.js";
import { SessionStore } from "./auth/sessionStore.js";
import type { Components } from "./components.js";
import { personalDataFor } from "./crypto/personalData.js";
import { usesHttps } from "./env.js";
import { WhatsappSettingsStore } from "./integrations/whatsapp/WhatsappSettingsStore.js";
import { componentLogger } from "./logger.js";
import { errorHandler } from "./middlewares/errorHandler.js";
import { rateLimit, WebhookRejectionLimiter } from "./middlewares/rateLimit.js";
import { requestLogger } from "./middlewares/requestLogger.js";
import { securityHeaders } from "./middlewares/securityHeaders.js";
import { bullPrefix, QueueRegistry } from "./queues/index.js";
import { buildTasks, type TaskDeps } from "./queues/tasks/index.js";
import { scheduleWhatsappEvents } from "./queues/tasks/ProcessWhatsappEventsTask.js";
import { closeRedis } from "./redis.js";
import { apiRouter } from "./routes/api/index.js";
import { healthRouter } from "./routes/health.js";
import { pagesRouter } from "./routes/pages.js";
import { AccessChangePublisher, applyAccessChanges } from "./sockets/accessChanges.js";
import {
  createSocketServer,
  disconnectSession,
  type SocketServer,
} from "./sockets/createSocketServer.js";
import { relayTenantEvents, TenantEventPublisher } from "./sockets/tenantEvents.js";
import { EnqueueBatcher } from "./webhooks/whatsapp/EnqueueBatcher.js";
import { InboundDispatcher } from "./webhooks/whatsapp/InboundDispatcher.js";
import { whatsappWebhookRouter } from "./webhooks/whatsapp/index.js";

/** Options of `createApp` beyond the components. */
export interface AppOptions {
  /** Session store; one is built from the components when omitted. */
  sessions?: SessionStore;
  /** Ends a session's live sockets on logout; a no-op without Socket.IO. */
  disconnectSession?: (sessionKey: string) => void;
  /** Built web assets; defaults to `public/` beside the bundle (`/app/public` in the image). */
  publicDir?: string;
  /** Queue producers; one is built on the components' Redis when omitted. */
  queues?: QueueRegistry;
  /** The WhatsApp settings cache shared by the settings API and the webhook. */
  whatsappSettings?: WhatsappSettingsStore;
  /** Hands stored webhook events to processing; one is built on `queues` when omitted. */
  inboundDispatcher?: InboundDispatcher;
  /** Tells every web process when users' access changed; one is built when omitted. */
  accessChanges?: AccessChangePublisher;
  /** Retry delays of the jobs this process queues (tests shorten them, as for the workers). */
  retryDelays?: Pick<TaskDeps, "mediaRetryDelayMs" | "sendRetryDelayMs">;
}

/**
 * Builds what hands stored webhook events to processing: here while this process has room
 * (`INBOUND_INLINE_BATCHES`), else batched into jobs for the worker role.
 */
export function createInboundDispatcher(components: Components, deps: TaskDeps): InboundDispatcher {
  const log = componentLogger(components.logger, "webhooks");
  const queue = new EnqueueBatcher({
    flush: (eventKeys) => scheduleWhatsappEvents(deps.queues, eventKeys),
    onError: (error, keys) =>
      log.warn(
        { err: error, events: keys },
        "queueing webhook events failed; the sweep will retry",
      ),
  });
  const processTask = buildTasks(components, deps).processWhatsappEvents;
  return new InboundDispatcher({
    processHere: async (eventKeys) => {
      const outcome = await processTask.processAndAnnounce(eventKeys);
      return { failedKeys: outcome.failed.map((failure) => failure.eventKey) };
    },
    queue,
    logger: log,
    maxInline: components.env.INBOUND_INLINE_BATCHES,
    maxInlinePerSecond: components.env.INBOUND_INLINE_MAX_PER_SECOND,
  });
}

/** Builds the session store every part of the web role shares. */
export function createSessionStore(components: Pick<Components, "env" | "redis">): SessionStore {
  return new SessionStore({
    redis: components.redis,
    prefix: components.env.REDIS_PREFIX,
    idleMinutes: components.env.SESSION_IDLE_MINUTES,
    absoluteHours: components.env.SESSION_ABSOLUTE_HOURS,
  });
}

/** Builds the sign-in lockout counters every web process of the tenant shares (in Redis). */
export function createLoginThrottle(components: Pick<Components, "env" | "redis">): LoginThrottle {
  const { env } = components;
  return new LoginThrottle({
    redis: components.redis,
    prefix: env.REDIS_PREFIX,
    keySecret: env.SESSION_SECRET,
    limits: {
      maxFailuresPerAccount: env.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerIp: env.LOGIN_MAX_FAILURES_PER_IP,
      lockoutMinutes: env.LOGIN_LOCKOUT_MINUTES,
    },
  });
}

/**
 * The Express application: health probes, the JSON API and the inbox pages, behind security
 * headers, with one error handler at the end. Opens no connection of its own.
 */
export function createApp(
  components: Components,
  options: AppOptions &
    Required<
      Pick<
        AppOptions,
        "sessions" | "queues" | "whatsappSettings" | "inboundDispatcher" | "accessChanges"
      >
    >,
): Express {
  const { env, db, redis, logger } = components;
  const log = componentLogger(logger, "http");
  // Built by `createServer`, which also closes them: this function only wires them.
  const { sessions, whatsappSettings, queues, inboundDispatcher, accessChanges } = options;
  const publicDir = options.publicDir ?? fileURLToPath(new URL("./public", import.meta.url));

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", env.TRUST_PROXY);
  // Limits on what anyone may call without a session (login, the webhook); see rateLimit.ts.
  const perMinute = (group: string, limit: number) =>
    rateLimit({ redis, prefix: env.REDIS_PREFIX, group, limit, windowMs: 60_000, logger: log });
  const webhookRejections = new WebhookRejectionLimiter({
    limit: env.RATE_LIMIT_WEBHOOK_REJECTED_PER_MINUTE,
    windowMs: 60_000,
  });
  app.get(
    "/webhooks/whatsapp",
    perMinute("webhook-verify", env.RATE_LIMIT_WEBHOOK_VERIFY_PER_MINUTE),
  );
  app.post("/webhooks/whatsapp", webhookRejections.guard);
  // First and alone: Meta's server-to-server calls need none of the browser-facing middleware
  // (security headers, access log, sessions, CSRF guard), and this is the hot path.
  app.use(
    "/webhooks/whatsapp",
    whatsappWebhookRouter({
      db,
      settings: whatsappSettings,
      personalData: personalDataFor(env.ENCRYPTION_KEY),
      logger: componentLogger(components.logger, "webhooks"),
      enqueue: (eventKeys) => inboundDispatcher.add(eventKeys),
    }),
  );
  app.use(securityHeaders({ hsts: usesHttps(env) }));
  app.use(healthRouter({ db, redis }));
  app.use(requestLogger(log));
  app.post("/api/session", perMinute("login", env.RATE_LIMIT_LOGIN_PER_MINUTE));
  app.use(
    "/api",
    apiRouter({
      env,
      db,
      sessions,
      throttle: createLoginThrottle(components),
      disconnectSession: options.disconnectSession ?? (() => {}),
      whatsappSettings,
      events: new TenantEventPublisher({ redis, env }),
      redis,
      queues,
      access: accessChanges,
    }),
  );
  const pages = pagesRouter({ db, sessions }, publicDir);
  if (pages === undefined) log.warn({ publicDir }, "web assets not found; pages are not served");
  else app.use(pages);
  app.use(errorHandler(log));
  return app;
}

/** The web role's servers: Express and Socket.IO sharing one HTTP server (not yet listening). */
export interface RuntimeServer {
  app: Express;
  httpServer: HttpServer;
  io: SocketServer;
  sessions: SessionStore;
  queues: QueueRegistry;
  whatsappSettings: WhatsappSettingsStore;
  /** Stops relaying tenant events and closes the queue producers (not the components). */
  closeBackground(): Promise<void>;
}

/**
 * Composition root of the web role: one HTTP server carrying Express and Socket.IO, sharing one
 * session store. The caller listens and owns shutdown.
 */
export function createServer(components: Components, options: AppOptions = {}): RuntimeServer {
  const sessions = options.sessions ?? createSessionStore(components);
  const queues =
    options.queues ??
    new QueueRegistry({
      connection: components.redis,
      prefix: bullPrefix(components.env),
      logger: components.logger,
    });
  const whatsappSettings =
    options.whatsappSettings ??
    new WhatsappSettingsStore({ db: components.db, encryptionKey: components.env.ENCRYPTION_KEY });
  // Socket.IO needs the HTTP server, and logout (in Express) needs Socket.IO: bind late.
  let io: SocketServer | undefined;
  const events = new TenantEventPublisher({ redis: components.redis, env: components.env });
  const inboundDispatcher =
    options.inboundDispatcher ??
    createInboundDispatcher(components, { queues, events, ...options.retryDelays });
  const accessChanges =
    options.accessChanges ??
    new AccessChangePublisher({
      redis: components.redis,
      env: components.env,
      logger: componentLogger(components.logger, "sockets"),
    });
  const app = createApp(components, {
    ...options,
    sessions,
    queues,
    whatsappSettings,
    inboundDispatcher,
    accessChanges,
    disconnectSession: (sessionKey) => {
      // Here at once; in the tenant's other web processes through Redis.
      if (io !== undefined) disconnectSession(io, components.env.TENANT_ID, sessionKey);
      void accessChanges.sessionsEnded([sessionKey]);
    },
  });
  // Express must be the request listener before Socket.IO attaches: Socket.IO wraps the
  // listeners present at attach time and hands them every non-Socket.IO request.
  const httpServer = createHttpServer(app);
  io = createSocketServer(httpServer, {
    ...components,
    sessions,
    whatsappSettings,
    events,
  });
  // Workers (maybe in another process) publish broadcasts on Redis; this process relays them.
  const subscriber = components.redis.duplicate();
  // Without a listener an error would crash the process; the main connection already logs them.
  subscriber.on("error", () => {});
  const log = componentLogger(components.logger, "sockets");
  const following = { io, subscriber, db: components.db, env: components.env, logger: log };
  void relayTenantEvents(following).catch((error: unknown) => {
    log.error({ err: error }, "tenant event relay not started");
  });
  void applyAccessChanges(following).catch((error: unknown) => {
    log.error({ err: error }, "access changes not followed");
  });
  const closeBackground = async () => {
    // Closing the subscribed connection ends the relay (and any pending subscribe). While
    // Redis is away ioredis may never emit "end" after disconnect(), so do not wait for it then.
    if (subscriber.status === "ready") await closeRedis(subscriber);
    else subscriber.disconnect();
    await inboundDispatcher.close();
    await queues.close();
  };
  return { app, httpServer, io, sessions, queues, whatsappSettings, closeBackground };
}

/**
 * For a process running only the worker role: `/healthz` and `/readyz`, so the image's
 * HEALTHCHECK works whatever the role.
 */
export function createHealthApp(components: Components): Express {
  const app = express();
  app.disable("x-powered-by");
  app.use(securityHeaders({ hsts: false }));
  app.use(healthRouter(components));
  app.use(errorHandler(componentLogger(components.logger, "http")));
  return app;
}
