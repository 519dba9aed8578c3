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

/** Too many failed sign-ins for this e-mail or from this address; the lockout ends by itself. */
export const loginLocked = (retryAfterSeconds: number) =>
  new AppError(
    "login_locked",
    429,
    `Too many failed sign-in attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s) or ask an administrator to unlock the account.`,
    { data: { retryAfterSeconds } },
  );

/** The password was right and the account has a second factor: send `totpCode` too. */
export const totpRequired = () =>
  new AppError("totp_required", 401, "Enter the 6-digit code from your authenticator app.");

/** The user signed in with a one-time password and must choose their own first. */
export const passwordChangeRequired = () =>
  new AppError(
    "password_change_required",
    403,
    "Choose a new password before continuing (PUT /api/me/password).",
  );

/**
 * A new password that does not meet the password rules: every unmet rule in the message, and as
 * ids in `data.rules` for the browser to explain in the user's language.
 */
export const weakPassword = (reasons: readonly string[], rules: readonly string[]) =>
  new AppError("weak_password", 422, `The new password is not accepted: ${reasons.join("; ")}.`, {
    data: { rules: [...rules] },
  });

/**
 * Something already exists or changed meanwhile (an e-mail address in use, a conversation
 * somebody else took, …); `data` says what the browser needs to tell the user.
 */
export const conflict = (message: string, data?: Record<string, unknown>) =>
  new AppError("conflict", 409, message, data === undefined ? {} : { data });

/**
 * The customer withdrew consent (LGPD), so this message may not go; `data` says why and since
 * when, for the inbox to explain.
 */
export const consentRevoked = (message: string, data: Record<string, unknown>) =>
  new AppError("consent_revoked", 409, message, { data });

/** Too many requests from one address; `retryAfterSeconds` says when the window ends. */
export const rateLimited = (retryAfterSeconds: number) =>
  new AppError(
    "rate_limited",
    429,
    `Too many requests. Try again in ${retryAfterSeconds} second(s).`,
    { data: { retryAfterSeconds } },
  );

/** The signed-in user's role does not allow this. */
export const forbidden = () =>
  new AppError("forbidden", 403, "Your role does not allow this action.");

/** A webhook's `X-Hub-Signature-256` is missing or does not match its body. */
export const invalidSignature = () =>
  new AppError("invalid_signature", 401, "The request signature is missing or invalid.");

/** The WhatsApp channel has no settings (or no app secret) yet. */
export const whatsappNotConfigured = () =>
  new AppError("whatsapp_not_configured", 503, "WhatsApp is not configured for this tenant yet.");

/**
 * Meta's Graph API refused or failed a request made for the user (template management, …).
 * `reason` is a stable failure id (contracts/whatsapp-failures.ts); the message carries Meta's
 * explanation, never the access token.
 */
export const whatsappRequestFailed = (
  message: string,
  data: { reason: string; code: number | null; retryable: boolean },
) => new AppError("whatsapp_request_failed", 502, message, { data });

/** A free-form message outside the 24-hour customer service window (A7): only templates may go. */
export const whatsappWindowClosed = (lastInboundAt: Date | null) =>
  new AppError(
    "whatsapp_window_closed",
    409,
    lastInboundAt === null
      ? "The customer has never written to this number: only an approved template can start the conversation."
      : "More than 24 hours have passed since the customer's last message: send an approved template instead.",
    {
      data: {
        lastInboundAt: lastInboundAt?.toISOString() ?? null,
        windowClosedAt:
          lastInboundAt === null
            ? null
            : new Date(lastInboundAt.getTime() + 86_400_000).toISOString(),
      },
    },
  );

/** An uploaded file WhatsApp would not accept (type or size, protocols.md A5). */
export const mediaRejected = (reason: string) =>
  new AppError("media_rejected", 422, `WhatsApp does not accept this file: ${reason}.`);

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
