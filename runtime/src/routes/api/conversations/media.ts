import { type Request, Router } from "express";
import type { Knex } from "knex";
import { z } from "zod";
import { MediaUploadQuerySchema } from "../../../../contracts/outbound-messages.js";
import type { SessionStore } from "../../../auth/sessionStore.js";
import { messageMediaReader } from "../../../commands/messageMediaReader.js";
import { outboundMediaUploader } from "../../../commands/outboundMediaUploader.js";
import type { Env } from "../../../env.js";
import {
  crossOriginRequest,
  payloadTooLarge,
  unsupportedMediaType,
  validationError,
} from "../../../errors.js";
import { MEDIA_LIMITS } from "../../../integrations/whatsapp/mediaLimits.js";
import { authenticate, requireAuth } from "../../../middlewares/authenticate.js";
import { requirePermission } from "../../../middlewares/requirePermission.js";
import { isSameOrigin } from "../../../utils/origin.js";
import { conversationIdOf } from "./index.js";

/** Header an upload must carry: a cross-site form cannot set it, cross-site fetch needs CORS. */
export const UPLOAD_HEADER = "x-atende-upload";

/** How long a browser may keep a media file: files never change once stored. */
const MEDIA_MAX_AGE_SECONDS = 3_600;

/**
 * What a served file may do if opened on its own: nothing (no scripts, no plugins, no forms,
 * an opaque origin), beyond showing itself.
 */
const MEDIA_CONTENT_SECURITY_POLICY =
  "sandbox; default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'";

/** `:messageId` of a media route. */
function messageIdOf(req: Request): number {
  const parsed = z.coerce
    .number()
    .int()
    .positive()
    .max(Number.MAX_SAFE_INTEGER)
    .safeParse(req.params.messageId);
  if (!parsed.success) throw validationError("Invalid message id.", { field: "messageId" });
  return parsed.data;
}

/** `Content-Disposition` with an ASCII fallback and the UTF-8 name (RFC 6266). */
function contentDisposition(kind: "inline" | "attachment", filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** Largest file of any kind (documents, 100 MB): anything longer is refused unread. */
const MAX_UPLOAD_BYTES = Math.max(...Object.values(MEDIA_LIMITS).map((limit) => limit.maxBytes));

/**
 * `POST /api/conversations/:id/media?kind=image[&filename=…]`: the body is the file itself with
 * its type as `Content-Type`. Mounted before the JSON CSRF guard (a file is not JSON), so it has
 * its own: the `X-Atende-Upload: 1` header and, when sent, a same-site `Origin`. Answers 201 with
 * the upload's id for `POST /:id/messages` (`message.uploadId`).
 *
 * `GET /api/conversations/:id/messages/:messageId/media` serves a message's stored file to a
 * user who may see the conversation (404 otherwise, and while it is pending or failed): its
 * stored type with `nosniff`, a sandboxing CSP, `private` caching, inline only for images, audio
 * and video, as an attachment otherwise.
 */
export function conversationMediaRouter(deps: {
  env: Env;
  db: Knex;
  sessions: SessionStore;
}): Router {
  const router = Router();
  router.post("/:id/media", (req, _res, next) => {
    const origin = req.headers.origin;
    if (origin !== undefined && !isSameOrigin(origin, req.headers.host, deps.env.PUBLIC_URL)) {
      return next(crossOriginRequest());
    }
    if (req.get(UPLOAD_HEADER) !== "1") return next(unsupportedMediaType());
    next();
  });
  router.post(
    "/:id/media",
    authenticate(deps),
    requirePermission("messages.send"),
    async (req, res) => {
      const query = MediaUploadQuerySchema.safeParse(req.query);
      if (!query.success) {
        const issue = query.error.issues[0];
        const field = issue?.path.join(".") ?? "";
        throw validationError(`Invalid ${field || "query"}: ${issue?.message}`, { field });
      }
      const declared = req.get("content-length");
      const contentLength = declared === undefined ? undefined : Number(declared);
      if (contentLength !== undefined && contentLength > MAX_UPLOAD_BYTES) {
        req.resume();
        throw payloadTooLarge();
      }
      const data = await outboundMediaUploader({
        db: deps.db,
        auth: requireAuth(req),
        conversationId: conversationIdOf(req),
        kind: query.data.kind,
        filename: query.data.filename,
        contentType: req.get("content-type"),
        contentLength: Number.isFinite(contentLength) ? contentLength : undefined,
        body: req,
        mediaDir: deps.env.MEDIA_DIR,
      });
      res.status(201).json({ ok: true, data });
    },
  );
  router.get(
    "/:id/messages/:messageId/media",
    authenticate(deps),
    requirePermission("conversations.viewAssigned", "conversations.viewAll"),
    async (req, res, next) => {
      const file = await messageMediaReader({
        db: deps.db,
        auth: requireAuth(req),
        conversationId: conversationIdOf(req),
        messageId: messageIdOf(req),
        mediaDir: deps.env.MEDIA_DIR,
      });
      res.setHeader("Content-Type", file.mimeType);
      res.setHeader("X-Content-Type-Options", "nosniff");
      res.setHeader("Content-Security-Policy", MEDIA_CONTENT_SECURITY_POLICY);
      res.setHeader("Cache-Control", `private, max-age=${MEDIA_MAX_AGE_SECONDS}`);
      res.setHeader(
        "Content-Disposition",
        contentDisposition(file.inline ? "inline" : "attachment", file.filename),
      );
      // sendFile keeps the Content-Type set above and answers Range requests (audio, video).
      res.sendFile(
        file.relativePath,
        { root: deps.env.MEDIA_DIR, dotfiles: "allow", cacheControl: false },
        (error) => {
          if (error === undefined || res.headersSent) return;
          // The error answer is JSON, not the file's type (a file missing from the volume: 404).
          for (const header of ["Content-Type", "Content-Disposition", "Cache-Control"]) {
            res.removeHeader(header);
          }
          next(error);
        },
      );
    },
  );
  return router;
}
