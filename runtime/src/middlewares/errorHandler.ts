import type { ErrorRequestHandler, RequestHandler } from "express";
import { mapError, notFound } from "../errors.js";
import type { Logger } from "../logger.js";

/**
 * The one place errors become HTTP responses: `{ ok:false, error, status, message, data? }`.
 * Unknown errors are logged with their stack and answered as `internal_error`.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const mapped = mapError(error);
    if (mapped.isReportable) {
      logger.error({ err: error, method: req.method, path: req.path }, "request failed");
    }
    res.status(mapped.status).json(mapped.body);
  };
}

/** Answers unmatched API paths with the JSON error shape rather than Express's HTML page. */
export const apiNotFound: RequestHandler = (_req, _res, next) => next(notFound("API endpoint"));
