import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { fileURLToPath } from "node:url";
import express, { type Express } from "express";
import { SessionStore } from "./auth/sessionStore.js";
import type { Components } from "./components.js";
import { usesHttps } from "./env.js";
import { componentLogger } from "./logger.js";
import { errorHandler } from "./middlewares/errorHandler.js";
import { requestLogger } from "./middlewares/requestLogger.js";
import { securityHeaders } from "./middlewares/securityHeaders.js";
import { apiRouter } from "./routes/api/index.js";
import { healthRouter } from "./routes/health.js";
import { pagesRouter } from "./routes/pages.js";
import {
  createSocketServer,
  disconnectSession,
  type SocketServer,
} from "./sockets/createSocketServer.js";

/** Options of `createApp` beyond the components. */
export interface AppOptions {
  /** Session store; one is built from the components when omitted. */
  sessions?: SessionStore;
  /** Ends a session's live sockets on logout; a no-op without Socket.IO. */
  disconnectSession?: (sessionKey: string) => void;
  /** Built web assets; defaults to `public/` beside the bundle (`/app/public` in the image). */
  publicDir?: string;
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

/**
 * The Express application: health probes, the JSON API and the inbox pages, behind security
 * headers, with one error handler at the end. Opens no connection of its own.
 */
export function createApp(components: Components, options: AppOptions = {}): Express {
  const { env, db, redis, logger } = components;
  const log = componentLogger(logger, "http");
  const sessions = options.sessions ?? createSessionStore(components);
  const publicDir = options.publicDir ?? fileURLToPath(new URL("./public", import.meta.url));

  const app = express();
  app.disable("x-powered-by");
  app.use(securityHeaders({ hsts: usesHttps(env) }));
  app.use(healthRouter({ db, redis }));
  app.use(requestLogger(log));
  app.use(
    "/api",
    apiRouter({
      env,
      db,
      sessions,
      disconnectSession: options.disconnectSession ?? (() => {}),
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
}

/**
 * Composition root of the web role: one HTTP server carrying Express and Socket.IO, sharing one
 * session store. The caller listens and owns shutdown.
 */
export function createServer(components: Components, options: AppOptions = {}): RuntimeServer {
  const sessions = options.sessions ?? createSessionStore(components);
  // Socket.IO needs the HTTP server, and logout (in Express) needs Socket.IO: bind late.
  let io: SocketServer | undefined;
  const app = createApp(components, {
    ...options,
    sessions,
    disconnectSession: (sessionKey) => {
      if (io !== undefined) disconnectSession(io, components.env.TENANT_ID, sessionKey);
    },
  });
  // Express must be the request listener before Socket.IO attaches: Socket.IO wraps the
  // listeners present at attach time and hands them every non-Socket.IO request.
  const httpServer = createHttpServer(app);
  io = createSocketServer(httpServer, { ...components, sessions });
  return { app, httpServer, io, sessions };
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
