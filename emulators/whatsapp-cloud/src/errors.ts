import { randomBytes } from "node:crypto";

/**
 * Meta's error catalogue as the emulator uses it (protocols.md A4 "Graph error response" and the
 * A7 error table). `title` is what Meta puts in webhook `errors[].title`; `status` is the HTTP
 * status the emulator answers with when the error is synchronous.
 */
export const metaErrorCatalog = {
  4: { status: 400, title: "Application request limit reached" },
  10: { status: 403, title: "Application does not have permission for this action" },
  100: { status: 400, title: "Invalid parameter" },
  190: { status: 401, title: "Invalid OAuth access token" },
  368: { status: 403, title: "Temporarily blocked for policies violations" },
  80007: { status: 400, title: "Rate limit issues" },
  130429: { status: 400, title: "Rate limit hit" },
  131000: { status: 500, title: "Something went wrong" },
  131005: { status: 403, title: "Access denied" },
  131008: { status: 400, title: "Required parameter is missing" },
  131009: { status: 400, title: "Parameter value is not valid" },
  131016: { status: 503, title: "Service unavailable" },
  131021: { status: 400, title: "Recipient cannot be sender" },
  131026: { status: 400, title: "Message undeliverable" },
  131030: { status: 400, title: "Recipient phone number not in allowed list" },
  131031: { status: 403, title: "Account has been locked" },
  131042: { status: 400, title: "Business eligibility payment issue" },
  131047: { status: 400, title: "Re-engagement message" },
  131048: { status: 400, title: "Spam rate limit hit" },
  131049: {
    status: 400,
    title: "This message was not delivered to maintain healthy ecosystem engagement.",
  },
  131050: {
    status: 400,
    title:
      "Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.",
  },
  131051: { status: 400, title: "Message type unknown" },
  131052: { status: 400, title: "Media download error" },
  131053: { status: 400, title: "Media upload error" },
  131056: { status: 400, title: "(Business Account, Consumer Account) pair rate limit hit" },
  131057: { status: 500, title: "Account in maintenance mode" },
  132000: {
    status: 400,
    title: "Number of parameters does not match the expected number of params",
  },
  132001: { status: 404, title: "Template name does not exist in the translation" },
  132005: { status: 400, title: "Translated text too long" },
  132007: { status: 400, title: "Template Format Character Policy Violated" },
  132012: { status: 400, title: "Parameter format does not match format in the created template" },
  132015: { status: 400, title: "Template is Paused" },
  132016: { status: 400, title: "Template is disabled" },
  133010: { status: 400, title: "Account not registered" },
} as const satisfies Record<number, { status: number; title: string }>;

/** Default `error_data.details` for codes whose details Meta words the same way every time. */
const defaultDetails: Partial<Record<number, string>> = {
  130429: "Cloud API message throughput has been reached.",
  131000: "Something went wrong. Please try again later.",
  131016: "A service is temporarily unavailable. Please try again later.",
  131026: "Message Undeliverable.",
  131047:
    "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
  131049:
    "In order to maintain a healthy ecosystem engagement, the message failed to be delivered.",
  131050: "The recipient has chosen to stop receiving marketing messages from your business.",
  131051: "Message type is currently not supported.",
  131056:
    "Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.",
  80007: "The WhatsApp Business Account has reached its rate limit.",
};

/** Where Meta's error-code documentation lives; copied into webhook `errors[].href`. */
export const errorCodesHref =
  "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/";

/** The title Meta uses for a code, or a generic one for codes the catalogue does not know. */
export function titleOf(code: number): string {
  return (metaErrorCatalog as Record<number, { title: string }>)[code]?.title ?? "Unknown error";
}

/** The HTTP status the emulator uses for a code when it fails synchronously. */
export function httpStatusOf(code: number): number {
  return (metaErrorCatalog as Record<number, { status: number }>)[code]?.status ?? 400;
}

/** The details text Meta gives for a code, when it is fixed. */
export function defaultDetailsOf(code: number): string | undefined {
  return defaultDetails[code];
}

/** A Graph API failure, answered as `{ error: { message, type, code, error_subcode?, error_data?, fbtrace_id } }`. */
export class GraphError extends Error {
  /** HTTP status of the response. */
  readonly status: number;
  /** Meta's numeric error code (branch on this, never on the message). */
  readonly code: number;
  /** Meta's `type`, e.g. `OAuthException`. */
  readonly type: string;
  /** Optional `error_subcode`. */
  readonly subcode: number | undefined;
  /** `error_data.details`, when Meta gives one. */
  readonly details: string | undefined;
  /** Extra headers (e.g. `WWW-Authenticate` on 401). */
  readonly headers: Record<string, string>;

  constructor(init: {
    code: number;
    message?: string;
    status?: number;
    type?: string;
    subcode?: number;
    details?: string;
    headers?: Record<string, string>;
  }) {
    super(init.message ?? `(#${init.code}) ${titleOf(init.code)}`);
    this.name = "GraphError";
    this.code = init.code;
    this.status = init.status ?? httpStatusOf(init.code);
    this.type = init.type ?? "OAuthException";
    this.subcode = init.subcode;
    this.details = init.details ?? defaultDetailsOf(init.code);
    this.headers = init.headers ?? {};
  }

  /** Meta's JSON body for this error. */
  toBody(fbtraceId: string = newFbtraceId()): GraphErrorBody {
    return {
      error: {
        message: this.message,
        type: this.type,
        code: this.code,
        ...(this.subcode === undefined ? {} : { error_subcode: this.subcode }),
        ...(this.details === undefined
          ? {}
          : { error_data: { messaging_product: "whatsapp", details: this.details } }),
        fbtrace_id: fbtraceId,
      },
    };
  }
}

/** Meta's error body shape. */
export interface GraphErrorBody {
  error: {
    message: string;
    type: string;
    code: number;
    error_subcode?: number;
    error_data?: { messaging_product: "whatsapp"; details: string };
    fbtrace_id: string;
  };
}

/** An opaque trace id shaped like Meta's (`AbCdEf123...`). */
export function newFbtraceId(): string {
  return `A${randomBytes(16).toString("base64url").slice(0, 22)}`;
}

/** The object the webhook `errors[]` arrays carry (failed statuses, unsupported messages, `value.errors`). */
export interface WebhookError {
  code: number;
  title: string;
  message: string;
  error_data?: { details: string };
  href?: string;
}

/** Builds a webhook `errors[]` item for a code, with Meta's title and default details. */
export function webhookError(code: number, details?: string): WebhookError {
  const title = titleOf(code);
  const text = details ?? defaultDetailsOf(code);
  return {
    code,
    title,
    message: title,
    ...(text === undefined ? {} : { error_data: { details: text } }),
    href: errorCodesHref,
  };
}

export const graphErrors = {
  /** 100: a parameter is malformed or breaks one of Meta's limits. */
  invalidParameter: (details: string, subcode?: number) =>
    new GraphError({
      code: 100,
      details,
      ...(subcode === undefined ? {} : { subcode }),
    }),
  /** 131008: a required parameter is missing. */
  missingParameter: (details: string) => new GraphError({ code: 131008, details }),
  /** 131009: a parameter has an invalid value. */
  invalidValue: (details: string) => new GraphError({ code: 131009, details }),
  /** 190 without a token. */
  missingToken: () =>
    new GraphError({
      code: 190,
      message: "An active access token must be used to query information about the current user.",
      headers: { "WWW-Authenticate": 'OAuth "Facebook Platform" "invalid_token" "missing token"' },
    }),
  /** 190 for a token the emulator does not know. */
  invalidToken: () =>
    new GraphError({
      code: 190,
      message: "Invalid OAuth access token - Cannot parse access token",
      headers: {
        "WWW-Authenticate":
          'OAuth "Facebook Platform" "invalid_token" "Invalid OAuth access token - Cannot parse access token"',
      },
    }),
  /** 190/460 for a revoked token. */
  revokedToken: () =>
    new GraphError({
      code: 190,
      subcode: 460,
      message:
        "Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.",
      headers: {
        "WWW-Authenticate": 'OAuth "Facebook Platform" "invalid_token" "session invalidated"',
      },
    }),
  /** 190/463 for an expired token. */
  expiredToken: () =>
    new GraphError({
      code: 190,
      subcode: 463,
      message: "Error validating access token: Session has expired.",
      headers: {
        "WWW-Authenticate": 'OAuth "Facebook Platform" "invalid_token" "session expired"',
      },
    }),
  /** 10: the token lacks `whatsapp_business_messaging` / `whatsapp_business_management`. */
  permissionDenied: () =>
    new GraphError({
      code: 10,
      message: "(#10) Application does not have permission for this action",
    }),
  /** 100/33: unknown object id (Meta's wording). */
  unknownObject: (id: string, method = "get") =>
    new GraphError({
      code: 100,
      subcode: 33,
      type: "GraphMethodException",
      message: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
      details: undefined,
    }),
  /** A version path segment that is not `vNN.0`. */
  unknownVersion: (segment: string) =>
    new GraphError({
      code: 2500,
      status: 400,
      message: `Unknown path components: /${segment}`,
    }),
  /** Any other code from the catalogue. */
  byCode: (code: number, details?: string) =>
    new GraphError({ code, ...(details === undefined ? {} : { details }) }),
};

/** A failure of the emulator's own control API, answered in the house shape `{ ok:false, error, status, message, data? }`. */
export class ControlError extends Error {
  /** HTTP status. */
  readonly status: number;
  /** Stable snake_case id. */
  readonly id: string;
  /** Machine-readable details. */
  readonly data: Record<string, unknown> | undefined;

  constructor(id: string, status: number, message: string, data?: Record<string, unknown>) {
    super(message);
    this.name = "ControlError";
    this.id = id;
    this.status = status;
    this.data = data;
  }
}

export const controlErrors = {
  validation: (message: string, data?: Record<string, unknown>) =>
    new ControlError("validation_error", 400, message, data),
  notFound: (what: string) => new ControlError("not_found", 404, `${what} not found.`),
  conflict: (message: string) => new ControlError("conflict", 409, message),
  noWebhook: () =>
    new ControlError(
      "webhook_not_configured",
      409,
      "No webhook target is configured: PUT /_emulator/webhook with { url, appSecret, verifyToken } first.",
    ),
};
