import type { ErrorRequestHandler, RequestHandler } from "express";
import { HttpError, routeNotFound } from "../apiErrors.js";
import type { ApiFailure } from "../contracts/api.js";
import { AtendeError, categoryOf, type ErrorCategory } from "../errors.js";
import type { Logger } from "../logger.js";

/** HTTP status of each domain error category; anything else is a 500 with details hidden. */
const STATUS_OF: Partial<Record<ErrorCategory, number>> = {
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  // The tenant (an upstream of this API) misbehaved: a gateway error, not our own fault.
  unhealthy: 502,
  resources: 507,
};

/** An error as the API answers it. `reportable` errors are logged with their stack. */
export function mapError(error: unknown): {
  status: number;
  body: ApiFailure;
  reportable: boolean;
} {
  if (error instanceof HttpError) {
    return {
      status: error.status,
      body: body(error.id, error.status, error.message, error.hint),
      reportable: false,
    };
  }
  if (error instanceof AtendeError) {
    const status = STATUS_OF[categoryOf(error.id) as ErrorCategory];
    if (status !== undefined) {
      return { status, body: body(error.id, status, error.message, error.hint), reportable: false };
    }
  }
  // Express's body parser: malformed JSON or a body over the limit.
  const parserStatus = (error as { status?: number; type?: string }).status;
  if ((error as { type?: string }).type === "entity.parse.failed")
    return {
      status: 400,
      body: body("invalid_json", 400, "The body is not valid JSON."),
      reportable: false,
    };
  if (parserStatus === 413)
    return {
      status: 413,
      body: body("payload_too_large", 413, "The body is too large."),
      reportable: false,
    };
  return {
    status: 500,
    body: body("internal_error", 500, "Something went wrong on our side; it has been logged."),
    reportable: true,
  };
}

function body(error: string, status: number, message: string, hint?: string): ApiFailure {
  return { ok: false, error, status, message, ...(hint === undefined ? {} : { hint }) };
}

/** The one place errors become HTTP responses. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const mapped = mapError(error);
    if (mapped.reportable)
      logger.error({ err: error, method: req.method, path: req.path }, "request failed");
    res.status(mapped.status).json(mapped.body);
  };
}

/** Unmatched `/api/*` paths get the JSON error shape, not Express's HTML page. */
export const apiNotFound: RequestHandler = (_req, _res, next) => next(routeNotFound());
