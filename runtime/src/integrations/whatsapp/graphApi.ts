import type { FailureReason } from "../../../contracts/whatsapp-failures.js";

/** Where and as whom a Graph call goes: the tenant's saved WhatsApp settings. */
export interface GraphTarget {
  /** E.g. `https://graph.facebook.com` (no trailing slash, no version). */
  graphApiBaseUrl: string;
  /** E.g. `v23.0`. */
  graphApiVersion: string;
  accessToken: string;
}

/** Options of one Graph call. */
export interface GraphRequestOptions {
  /** Time limit of the whole call (default 15 s). */
  timeoutMs?: number;
  /** Query parameters (never the token: it goes in the Authorization header). */
  query?: Record<string, string>;
}

/** Default time limit of one Graph call. */
export const GRAPH_TIMEOUT_MS = 15_000;

/** How much of Meta's own explanation an error message keeps. */
const MAX_DETAILS = 300;

/** Where a Meta error code lands, and whether a later attempt may succeed. */
export interface GraphFailureClass {
  reason: FailureReason;
  retryable: boolean;
}

/**
 * A failed Graph call: Meta's error (protocols.md A4/A7) or a transport failure, classified into
 * a stable `reason` an agent understands and whether retrying may help. The message names the
 * call, the HTTP status and Meta's code and details, never the access token.
 */
export class GraphApiError extends Error {
  /** HTTP status; 0 when no answer came (network error, timeout). */
  readonly status: number;
  readonly code?: number;
  readonly subcode?: number;
  readonly fbtraceId?: string;
  readonly retryable: boolean;
  readonly reason: FailureReason;

  constructor(props: {
    message: string;
    status: number;
    code?: number;
    subcode?: number;
    fbtraceId?: string;
    reason: FailureReason;
    retryable: boolean;
  }) {
    super(props.message);
    this.name = "GraphApiError";
    this.status = props.status;
    if (props.code !== undefined) this.code = props.code;
    if (props.subcode !== undefined) this.subcode = props.subcode;
    if (props.fbtraceId !== undefined) this.fbtraceId = props.fbtraceId;
    this.reason = props.reason;
    this.retryable = props.retryable;
  }
}

/**
 * Maps Meta's error `code` (and the HTTP status when there is no code) to a reason and whether
 * to retry (protocols.md A7: branch on `code`, not on titles). Rate limits, Meta's transient
 * failures, 429 and 5xx are retryable; everything that needs a person (token, window, payload,
 * template, recipient) is not.
 */
export function classifyGraphFailure(status: number, code?: number): GraphFailureClass {
  if (code !== undefined) {
    const known = classifyCode(status, code);
    if (known !== undefined) return known;
  }
  if (status === 401) return { reason: "token_invalid", retryable: false };
  if (status === 403) return { reason: "permission_denied", retryable: false };
  if (status === 429) return { reason: "rate_limited", retryable: true };
  if (status >= 500) return { reason: "meta_unavailable", retryable: true };
  return { reason: "unknown", retryable: false };
}

function classifyCode(status: number, code: number): GraphFailureClass | undefined {
  const no = (reason: FailureReason) => ({ reason, retryable: false });
  const yes = (reason: FailureReason) => ({ reason, retryable: true });
  switch (code) {
    case 131047:
      return no("window_closed");
    case 4:
    case 80007:
    case 130429:
    case 131048:
    case 131056:
      return yes("rate_limited");
    case 0:
    case 190:
      return no("token_invalid");
    case 10:
    case 3:
    case 131005:
      return no("permission_denied");
    case 368:
    case 131031:
    case 131042:
    case 133010:
      return no("account_blocked");
    case 131026:
      return no("recipient_unavailable");
    case 131021:
    case 131030:
      return no("recipient_invalid");
    case 131049:
    case 131050:
      return no("marketing_limited");
    case 131052:
    case 131053:
      return no("media_unavailable");
    case 100:
      // Graph answers 100 with an OAuth status when the token cannot see the object.
      if (status === 401) return no("token_invalid");
      if (status === 403) return no("permission_denied");
      return no("invalid_parameter");
    case 131008:
    case 131009:
      return no("invalid_parameter");
    case 132015:
      return no("template_paused");
    case 132016:
      return no("template_disabled");
    case 1:
    case 2:
    case 131000:
    case 131016:
    case 131057:
      return yes("meta_unavailable");
    default:
      if (code >= 200 && code <= 299) return no("permission_denied");
      if (code >= 132000 && code <= 132099) return no("template_invalid");
      return undefined;
  }
}

/** Meta's error body (A4), read defensively. */
interface GraphErrorBody {
  error?: {
    message?: unknown;
    code?: unknown;
    error_subcode?: unknown;
    error_data?: { details?: unknown };
    fbtrace_id?: unknown;
  };
}

/**
 * The one way the runtime calls Meta's Graph API: `{base}/{version}{path}` with the bearer token
 * in a header, a JSON or multipart body, a time limit, and Meta's errors turned into
 * `GraphApiError`. Answers 2xx with the parsed JSON body (`{}` when empty).
 *
 * A 2xx answer whose body is not JSON is a `GraphApiError` with reason `unknown`, retryable only
 * for GET: a POST may already have taken effect (a message sent twice is worse than one failed).
 */
export async function graphRequest<T>(
  target: GraphTarget,
  method: "GET" | "POST" | "DELETE",
  path: string,
  body?: unknown,
  options: GraphRequestOptions = {},
): Promise<T> {
  const url = graphUrl(target, path);
  for (const [key, value] of Object.entries(options.query ?? {})) {
    url.searchParams.set(key, value);
  }
  const headers: Record<string, string> = {
    Authorization: `Bearer ${target.accessToken}`,
    "User-Agent": "atende-runtime",
  };
  let payload: string | FormData | undefined;
  if (body instanceof FormData) {
    payload = body;
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const what = `Graph ${method} ${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      ...(payload === undefined ? {} : { body: payload }),
      signal: AbortSignal.timeout(options.timeoutMs ?? GRAPH_TIMEOUT_MS),
      redirect: "error",
    });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    throw new GraphApiError({
      message: `${what} ${timedOut ? "timed out" : "could not connect"}`,
      status: 0,
      reason: timedOut ? "timeout" : "network_error",
      retryable: true,
    });
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    throw new GraphApiError({
      message: `${what}: answer interrupted (HTTP ${response.status})`,
      status: response.status,
      reason: timedOut ? "timeout" : "network_error",
      retryable: method === "GET" || !response.ok,
    });
  }
  let parsed: unknown;
  try {
    parsed = text === "" ? {} : JSON.parse(text);
  } catch {
    if (response.ok) {
      throw new GraphApiError({
        message: `${what}: HTTP ${response.status} with a body that is not JSON`,
        status: response.status,
        reason: "unknown",
        retryable: method === "GET",
      });
    }
    parsed = {};
  }
  if (response.ok) return parsed as T;
  throw graphApiErrorFrom(response.status, parsed, what, target.accessToken);
}

/** The full URL of a Graph path (`/123/messages`) for a target. */
export function graphUrl(target: GraphTarget, path: string): URL {
  const base = target.graphApiBaseUrl.replace(/\/+$/, "");
  return new URL(`${base}/${target.graphApiVersion}${path.startsWith("/") ? path : `/${path}`}`);
}

/** Builds the error for a non-2xx Graph answer; exported for callers that fetch themselves. */
export function graphApiErrorFrom(
  status: number,
  body: unknown,
  what: string,
  accessToken?: string,
): GraphApiError {
  const error = (body as GraphErrorBody | null)?.error;
  const number = (value: unknown) =>
    typeof value === "number" && Number.isFinite(value)
      ? value
      : typeof value === "string" && /^\d+$/.test(value)
        ? Number(value)
        : undefined;
  const code = number(error?.code);
  const subcode = number(error?.error_subcode);
  const fbtraceId = typeof error?.fbtrace_id === "string" ? error.fbtrace_id : undefined;
  const details =
    typeof error?.error_data?.details === "string"
      ? error.error_data.details
      : typeof error?.message === "string"
        ? error.message
        : "";
  const { reason, retryable } = classifyGraphFailure(status, code);
  const codeText =
    code === undefined ? "" : `, code ${code}${subcode === undefined ? "" : `/${subcode}`}`;
  const detailText =
    details === "" ? "" : `: ${redact(details, accessToken).slice(0, MAX_DETAILS)}`;
  return new GraphApiError({
    message: `${what} failed (HTTP ${status}${codeText}, ${reason})${detailText}`,
    status,
    ...(code === undefined ? {} : { code }),
    ...(subcode === undefined ? {} : { subcode }),
    ...(fbtraceId === undefined ? {} : { fbtraceId }),
    reason,
    retryable,
  });
}

/** Meta never echoes the token, but a proxy in between might: strip it anyway. */
function redact(text: string, accessToken: string | undefined): string {
  if (accessToken === undefined || accessToken.length < 8) return text;
  return text.split(accessToken).join("[redacted]");
}
