import express, { type NextFunction, type Request, type Response, Router } from "express";
import { type EmulatorContext, later } from "../context.js";
import { GraphError, graphErrors, newFbtraceId } from "../errors.js";
import type { GraphFaultSpec, Stored } from "../state/faults.js";
import type { AccessToken } from "../state/types.js";
import { setTemplateStatus } from "../webhooks/templateStatus.js";
import { deleteMedia, downloadMedia, liveMedia, mediaInfo, uploadMedia } from "./media.js";
import { markRead, sendMessage } from "./messages.js";
import { phoneNumberInfo, wabaInfo } from "./phoneNumbers.js";
import { parseMessagesBody } from "./sendSchema.js";
import {
  createTemplate,
  deleteTemplates,
  editTemplate,
  listTemplates,
  presentTemplate,
} from "./templates.js";

const versionPattern = /^v\d{1,3}\.0$/;
const maxLoggedRequests = 10_000;

type Locals = {
  token?: AccessToken;
  faults?: Stored<GraphFaultSpec>[];
  code?: number;
  messageType?: string;
};

/** The absolute base URL the caller used (for media URLs and `paging.next`). */
export function baseUrlOf(req: Request): string {
  return `${req.protocol}://${req.get("host") ?? "127.0.0.1"}`;
}

/**
 * Checks `Authorization: Bearer <token>` (or `access_token=`): unknown → 190, revoked → 190/460,
 * expired → 190/463, no WhatsApp permission → 403 code 10.
 */
export function authenticate(ctx: EmulatorContext, req: Request): AccessToken {
  const header = req.get("authorization");
  const fromHeader = header?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
  const fromQuery = typeof req.query.access_token === "string" ? req.query.access_token : undefined;
  const token = fromHeader ?? fromQuery;
  if (token === undefined || token === "") throw graphErrors.missingToken();
  const known = ctx.store.tokens.get(token);
  if (!known) throw graphErrors.invalidToken();
  if (known.state === "revoked") throw graphErrors.revokedToken();
  if (known.state === "expired") throw graphErrors.expiredToken();
  if (!known.permitted) throw graphErrors.permissionDenied();
  return known;
}

/**
 * The fake `graph.facebook.com`, mounted at `/:version`: any `vNN.0` is accepted. Middleware order:
 * version check → request log → latency → auth → body parsing → faults → routes → Meta-shaped errors.
 */
export function createGraphRouter(ctx: EmulatorContext): Router {
  const router = Router({ mergeParams: true });

  router.use((req: Request<{ version?: string }>, res, next) => {
    const version = req.params.version ?? "";
    const started = performance.now();
    res.on("finish", () => {
      const locals = res.locals as Locals;
      ctx.store.requests.push({
        at: new Date().toISOString(),
        method: req.method,
        path: req.originalUrl.split("?")[0] ?? "",
        status: res.statusCode,
        code: locals.code,
        messageType: locals.messageType,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      });
      if (ctx.store.requests.length > maxLoggedRequests) ctx.store.requests.shift();
    });
    if (!versionPattern.test(version)) return next(graphErrors.unknownVersion(version));
    next();
  });

  router.use(async (_req, _res, next) => {
    if (ctx.settings.graphLatencyMs > 0) await sleep(ctx.settings.graphLatencyMs);
    next();
  });

  router.use((req, res, next) => {
    (res.locals as Locals).token = authenticate(ctx, req);
    next();
  });

  router.use(express.json({ limit: "5mb", type: ["application/json", "application/*+json"] }));
  router.use(express.urlencoded({ extended: false, limit: "1mb" }));

  router.use(async (req, res, next) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const isMessages = req.method === "POST" && req.path.endsWith("/messages");
    const isSend = isMessages && !("status" in body);
    const messageType = isSend ? (typeof body.type === "string" ? body.type : "text") : undefined;
    const to =
      typeof body.to === "string"
        ? body.to
        : typeof body.recipient === "string"
          ? body.recipient
          : undefined;
    const locals = res.locals as Locals;
    if (messageType !== undefined) locals.messageType = messageType;
    const fired = ctx.faults.takeGraph({
      method: req.method,
      path: req.path,
      isSend,
      messageType,
      to,
    });
    locals.faults = fired;
    for (const fault of fired) {
      if (fault.kind === "delay") await sleep(fault.ms);
    }
    for (const fault of fired) {
      switch (fault.kind) {
        case "reset":
          req.socket.destroy();
          return;
        case "malformedJson":
          res
            .status(200)
            .type("application/json")
            .send('{"messaging_product":"whatsapp","messages":[{"id":');
          return;
        case "revokeToken": {
          const token = locals.token;
          if (token) token.state = fault.mode ?? "revoked";
          return next(
            token?.state === "expired" ? graphErrors.expiredToken() : graphErrors.revokedToken(),
          );
        }
        case "error":
          return next(
            new GraphError({
              code: fault.code,
              ...(fault.status === undefined ? {} : { status: fault.status }),
              ...(fault.subcode === undefined ? {} : { subcode: fault.subcode }),
              ...(fault.message === undefined ? {} : { message: fault.message }),
              ...(fault.details === undefined ? {} : { details: fault.details }),
            }),
          );
        default:
          break;
      }
    }
    next();
  });

  router.post("/:id/messages", async (req: Request<{ id: string }>, res) => {
    requireId(ctx.business.phoneNumberId, req.params.id, "post");
    const parsed = parseMessagesBody(req.body);
    if (parsed.kind === "read") {
      res.json(markRead(ctx, parsed));
      return;
    }
    const result = await sendMessage(ctx, parsed, (res.locals as Locals).faults ?? []);
    res.json(result);
  });

  router.post(
    "/:id/media",
    express.raw({ type: "multipart/form-data", limit: "110mb" }),
    async (req: Request<{ id: string }>, res) => {
      requireId(ctx.business.phoneNumberId, req.params.id, "post");
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      res.json(await uploadMedia(ctx, req.get("content-type"), raw));
    },
  );

  router.get("/:id/message_templates", (req: Request<{ id: string }>, res) => {
    requireId(ctx.business.wabaId, req.params.id, "get");
    res.json(
      listTemplates(
        ctx,
        req.query as Record<string, unknown>,
        `${baseUrlOf(req)}${req.originalUrl}`,
      ),
    );
  });

  router.post("/:id/message_templates", (req: Request<{ id: string }>, res) => {
    requireId(ctx.business.wabaId, req.params.id, "post");
    const created = createTemplate(ctx, req.body);
    const delay = ctx.settings.autoApproveTemplatesMs;
    if (delay !== null) {
      later(ctx, delay, () => {
        const template = ctx.store.templates.get(created.id);
        if (template?.status === "PENDING") setTemplateStatus(ctx, template, "APPROVED");
      });
    }
    res.json(created);
  });

  router.delete("/:id/message_templates", (req: Request<{ id: string }>, res) => {
    requireId(ctx.business.wabaId, req.params.id, "delete");
    res.json(
      deleteTemplates(ctx, { ...(req.query as Record<string, unknown>), ...bodyObject(req.body) }),
    );
  });

  router.get("/:id/phone_numbers", (req: Request<{ id: string }>, res) => {
    requireId(ctx.business.wabaId, req.params.id, "get");
    res.json({
      data: [phoneNumberInfo(ctx, fieldsOf(req))],
      paging: { cursors: { before: "QVFI", after: "QVFI" } },
    });
  });

  router.get("/:id", (req: Request<{ id: string }>, res) => {
    const { id } = req.params;
    if (id === ctx.business.phoneNumberId) {
      res.json(phoneNumberInfo(ctx, fieldsOf(req)));
      return;
    }
    if (id === ctx.business.wabaId) {
      res.json(wabaInfo(ctx, fieldsOf(req)));
      return;
    }
    const template = ctx.store.templates.get(id);
    if (template) {
      res.json(presentTemplate(template, fieldsOf(req)));
      return;
    }
    const media = liveMedia(ctx, id);
    const owner = req.query.phone_number_id;
    if (typeof owner === "string" && owner !== ctx.business.phoneNumberId) {
      throw graphErrors.invalidParameter(`Media ${id} does not belong to phone number ${owner}`);
    }
    res.json(mediaInfo(ctx, media, baseUrlOf(req)));
  });

  router.post("/:id", (req: Request<{ id: string }>, res) => {
    const template = ctx.store.templates.get(req.params.id);
    if (!template) throw graphErrors.unknownObject(req.params.id, "post");
    res.json(editTemplate(ctx, template, req.body));
  });

  router.delete("/:id", (req: Request<{ id: string }>, res) => {
    res.json(deleteMedia(ctx, req.params.id));
  });

  router.use((req: Request, _res: Response, next: NextFunction) => {
    next(graphErrors.unknownObject(req.path.split("/")[1] ?? "", req.method));
  });

  router.use(graphErrorHandler(ctx));
  return router;
}

/** `GET <media url>`: the bytes, behind the bearer token, while the URL is valid. */
export function createAttachmentRouter(ctx: EmulatorContext): Router {
  const router = Router();
  router.get("/", (req, res) => {
    authenticate(ctx, req);
    const media = downloadMedia(ctx, req.query as Record<string, unknown>);
    res
      .status(200)
      .type(media.mimeType)
      .set("Content-Length", String(media.data.length))
      .send(media.data);
  });
  router.use(graphErrorHandler(ctx));
  return router;
}

/** Writes Meta's error body for GraphErrors; anything else becomes 500 code 131000. */
export function graphErrorHandler(ctx: EmulatorContext) {
  return (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    let graphError: GraphError;
    if (error instanceof GraphError) {
      graphError = error;
    } else if (isBodyParserError(error)) {
      graphError =
        error.type === "entity.too.large"
          ? new GraphError({ code: 100, status: 413, details: "The request body is too large." })
          : graphErrors.invalidParameter("The request body could not be parsed as JSON");
    } else {
      ctx.logger.error({ err: error }, "graph handler failed");
      graphError = new GraphError({ code: 131000 });
    }
    (res.locals as Locals).code = graphError.code;
    res.status(graphError.status).set(graphError.headers).json(graphError.toBody(newFbtraceId()));
  };
}

function requireId(expected: string, given: string, method: string): void {
  if (given !== expected) throw graphErrors.unknownObject(given, method);
}

function fieldsOf(req: Request): string[] | undefined {
  const fields = req.query.fields;
  return typeof fields === "string"
    ? fields
        .split(",")
        .map((f) => f.trim())
        .filter(Boolean)
    : undefined;
}

function bodyObject(body: unknown): Record<string, unknown> {
  return body !== null && typeof body === "object" && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}

function isBodyParserError(error: unknown): error is { type: string } {
  return (
    typeof error === "object" &&
    error !== null &&
    typeof (error as { type?: unknown }).type === "string"
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
