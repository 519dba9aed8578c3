import { existsSync } from "node:fs";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import express, { type Express } from "express";
import type { ControlPlane } from "./controlPlane.js";
import type { Logger } from "./logger.js";
import { authenticate } from "./middlewares/authenticate.js";
import { csrfGuard } from "./middlewares/csrfGuard.js";
import { apiNotFound, errorHandler } from "./middlewares/errorHandler.js";
import { securityHeaders } from "./middlewares/securityHeaders.js";
import { auditRouter } from "./routes/audit/index.js";
import { doctorRouter } from "./routes/doctor/index.js";
import { openapiRouter } from "./routes/openapi/index.js";
import { operationsRouter } from "./routes/operations/index.js";
import { sessionRouter } from "./routes/session/index.js";
import { staffRouter } from "./routes/staff/index.js";
import { tenantsRouter } from "./routes/tenants/index.js";
import type { ServerContext } from "./server/context.js";
import { LoginRateLimiter } from "./server/loginRateLimiter.js";
import { OperationRunner } from "./server/operationRunner.js";
import {
  type ControlPlaneSocketServer,
  createSocketServer,
  disconnectSession,
  disconnectStaff,
  socketOperationEvents,
} from "./sockets/createSocketServer.js";

/** The built dashboard (`npm run build:dashboard -w @atende/control-plane`). */
export const DEFAULT_DASHBOARD_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../dist/dashboard",
);

/** Options of `createControlPlaneServer`. */
export interface ControlPlaneServerOptions {
  /** Built dashboard assets; the API works without them. */
  dashboardDir?: string;
  /** Set when served over HTTPS (cookie Secure, HSTS). */
  secure?: boolean;
  /** Trust X-Forwarded-For from this many proxies (for the audit IP and the login limit). */
  trustProxy?: number;
  sessionTtlMs?: number;
  sessionIdleMs?: number;
  /** Failed sign-ins allowed per address in `loginWindowMs`. */
  loginMaxFailures?: number;
  loginWindowMs?: number;
}

/** The API server: Express and Socket.IO on one HTTP server (not yet listening). */
export interface ControlPlaneServer {
  app: Express;
  httpServer: HttpServer;
  io: ControlPlaneSocketServer;
  /** Waits for operations started through the API to finish. */
  drain(): Promise<void>;
  /** Closes Socket.IO and the HTTP server (not the control plane). */
  close(): Promise<void>;
}

/**
 * Composition root of `atende control-plane serve`: thin routes over the control-plane library,
 * staff sessions in the registry store, live progress over Socket.IO.
 */
export function createControlPlaneServer(
  cp: ControlPlane,
  options: ControlPlaneServerOptions = {},
): ControlPlaneServer {
  const logger: Logger = cp.logger.child({ component: "api" });
  let io: ControlPlaneSocketServer | undefined;
  const operations = new OperationRunner(logger);
  const ctx: ServerContext = {
    cp,
    logger,
    sessionTtlMs: options.sessionTtlMs ?? 12 * 3_600_000,
    sessionIdleMs: options.sessionIdleMs ?? 2 * 3_600_000,
    secureCookies: options.secure ?? false,
    loginLimiter: new LoginRateLimiter(
      options.loginMaxFailures ?? 10,
      options.loginWindowMs ?? 15 * 60_000,
    ),
    operations,
    disconnectSession: (token) => {
      if (io) disconnectSession(io, token);
    },
    disconnectStaff: (staffId) => {
      if (io) disconnectStaff(io, staffId);
    },
  };

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", options.trustProxy ?? false);
  app.use(securityHeaders({ hsts: options.secure ?? false }));
  app.use(csrfGuard({ secure: options.secure ?? false }));
  app.use(express.json({ limit: "64kb" }));
  app.use(authenticate(ctx));
  app.use(openapiRouter());
  app.use(sessionRouter(ctx));
  app.use(tenantsRouter(ctx));
  app.use(operationsRouter(ctx));
  app.use(doctorRouter(ctx));
  app.use(auditRouter(ctx));
  app.use(staffRouter(ctx));
  app.use("/api", apiNotFound);
  const dashboardDir = options.dashboardDir ?? DEFAULT_DASHBOARD_DIR;
  if (existsSync(path.join(dashboardDir, "index.html"))) {
    app.use(
      "/assets",
      express.static(path.join(dashboardDir, "assets"), { immutable: true, maxAge: "1y" }),
    );
    // One HTML shell for every page path; the dashboard routes on the client.
    app.get(/^\/(?!api\/|socket\.io\/).*/, (_req, res) => {
      res.sendFile(path.join(dashboardDir, "index.html"));
    });
  } else {
    logger.warn({ dashboardDir }, "dashboard not built; serving the API only");
  }
  app.use(errorHandler(logger));

  // Express must be the request listener before Socket.IO attaches (it wraps existing ones).
  const httpServer = createHttpServer(app);
  io = createSocketServer(httpServer, ctx);
  operations.events = socketOperationEvents(io);
  const socketServer = io;
  return {
    app,
    httpServer,
    io: socketServer,
    drain: () => operations.drain(),
    async close() {
      // io.close() also closes the HTTP server it is attached to.
      await new Promise<void>((resolve) => {
        socketServer.close(() => resolve());
      });
    },
  };
}
