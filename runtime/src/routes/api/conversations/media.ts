import { Router } from "express";
import type { Knex } from "knex";
import { MediaUploadQuerySchema } from "../../../../contracts/outbound-messages.js";
import type { SessionStore } from "../../../auth/sessionStore.js";
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

/** Largest file of any kind (documents, 100 MB): anything longer is refused unread. */
const MAX_UPLOAD_BYTES = Math.max(...Object.values(MEDIA_LIMITS).map((limit) => limit.maxBytes));

/**
 * `POST /api/conversations/:id/media?kind=image[&filename=…]`: the body is the file itself with
 * its type as `Content-Type`. Mounted before the JSON CSRF guard (a file is not JSON), so it has
 * its own: the `X-Atende-Upload: 1` header and, when sent, a same-site `Origin`. Answers 201 with
 * the upload's id for `POST /:id/messages` (`message.uploadId`).
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
  return router;
}
