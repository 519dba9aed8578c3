import type { ApiFailure, ErrorId } from "../contracts/error-ids.js";

/**
 * A failure the runtime reports on purpose. Domain code throws these through the factory
 * functions below; only `middlewares/errorHandler.ts` turns them into HTTP responses.
 */
export class AppError extends Error {
  /** Stable snake_case identifier the browser can rely on. */
  readonly id: ErrorId;
  /** HTTP status the error maps to. */
  readonly status: number;
  /** Machine-readable details safe to show the client (never secrets). */
  readonly data: Record<string, unknown> | undefined;
  /** True when the error means a bug or an outage and should be logged at error level. */
  readonly isReportable: boolean;

  constructor(
    id: ErrorId,
    status: number,
    message: string,
    options: { data?: Record<string, unknown>; isReportable?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.id = id;
    this.status = status;
    this.data = options.data;
    this.isReportable = options.isReportable ?? false;
  }
}

/** A request body, query or parameter failed its schema. */
export const validationError = (message: string, data?: Record<string, unknown>) =>
  new AppError("validation_error", 400, message, data === undefined ? {} : { data });

/** The body claimed to be JSON but did not parse. */
export const invalidJson = () =>
  new AppError("invalid_json", 400, "The request body is not valid JSON.");

/** The body exceeded the size limit. */
export const payloadTooLarge = () =>
  new AppError("payload_too_large", 413, "The request body is too large.");

/** A state-changing request did not declare a JSON body (part of the CSRF guard). */
export const unsupportedMediaType = () =>
  new AppError(
    "unsupported_media_type",
    415,
    "Send the request with Content-Type: application/json.",
  );

/** A state-changing request came from another origin (CSRF guard). */
export const crossOriginRequest = () =>
  new AppError("cross_origin_request", 403, "Requests from another origin are not allowed.");

/** The request needs a signed-in user and has no valid session. */
export const authenticationRequired = () =>
  new AppError("authentication_required", 401, "Sign in to continue.");

/** Login failed. Deliberately says neither which part was wrong nor whether the user exists. */
export const invalidCredentials = () =>
  new AppError("invalid_credentials", 401, "E-mail or password is incorrect.");

/** The signed-in user's role does not allow this. */
export const forbidden = () =>
  new AppError("forbidden", 403, "Your role does not allow this action.");

/** A webhook's `X-Hub-Signature-256` is missing or does not match its body. */
export const invalidSignature = () =>
  new AppError("invalid_signature", 401, "The request signature is missing or invalid.");

/** The WhatsApp channel has no settings (or no app secret) yet. */
export const whatsappNotConfigured = () =>
  new AppError("whatsapp_not_configured", 503, "WhatsApp is not configured for this tenant yet.");

/** No route or resource matches. */
export const notFound = (what = "resource") =>
  new AppError("not_found", 404, `The requested ${what} does not exist.`);

/** A dependency (database, Redis) is down; the client may retry later. */
export const serviceUnavailable = (cause?: unknown) =>
  new AppError("service_unavailable", 503, "The service is temporarily unavailable.", {
    isReportable: true,
    cause,
  });

/** Result of mapping any thrown value to the API's error shape. */
export interface MappedError {
  status: number;
  body: ApiFailure;
  /** Whether the caller should log the original error at error level. */
  isReportable: boolean;
}

/**
 * Maps any thrown value to the one JSON error shape. Unknown errors become `internal_error`
 * with a generic message, so internals (SQL, stack traces, hostnames) never reach the client.
 */
export function mapError(error: unknown): MappedError {
  const appError =
    error instanceof AppError ? error : (fromHttpError(error) ?? fromDependencyError(error));
  if (appError === undefined) {
    return {
      status: 500,
      body: { ok: false, error: "internal_error", status: 500, message: "Something went wrong." },
      isReportable: true,
    };
  }
  const body: ApiFailure = {
    ok: false,
    error: appError.id,
    status: appError.status,
    message: appError.message,
  };
  if (appError.data !== undefined) body.data = appError.data;
  return { status: appError.status, body, isReportable: appError.isReportable };
}

/**
 * Express's own middleware fails with http-errors: express.json() with a `type` for bad bodies,
 * express.static with status 404. Translate the ones clients cause; anything else is internal.
 */
function fromHttpError(error: unknown): AppError | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  if ("status" in error && error.status === 404) return notFound();
  if (!("type" in error)) return undefined;
  switch (error.type) {
    case "entity.parse.failed":
      return invalidJson();
    case "entity.too.large":
      return payloadTooLarge();
    case "charset.unsupported":
    case "encoding.unsupported":
      return unsupportedMediaType();
    default:
      return undefined;
  }
}

// Errors meaning MariaDB or Redis is unreachable right now: the client may retry (503), and an
// operator should see them in the logs.
const DEPENDENCY_ERROR_NAMES = new Set(["MaxRetriesPerRequestError", "KnexTimeoutError"]);
const DEPENDENCY_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "PROTOCOL_CONNECTION_LOST",
  "ER_CON_COUNT_ERROR",
]);

function fromDependencyError(error: unknown): AppError | undefined {
  if (!(error instanceof Error)) return undefined;
  // objection wraps driver errors; the driver's code sits on `nativeError`.
  const native = "nativeError" in error ? error.nativeError : error;
  const code =
    typeof native === "object" && native !== null && "code" in native ? native.code : undefined;
  if (DEPENDENCY_ERROR_NAMES.has(error.name) || DEPENDENCY_ERROR_CODES.has(String(code))) {
    return serviceUnavailable(error);
  }
  return undefined;
}
