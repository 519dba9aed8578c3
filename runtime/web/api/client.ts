import type { MePayload } from "../../contracts/accounts.js";
import type { SessionCreateRequest, UserPayload } from "../../contracts/api.js";
import type { ApiFailure, ErrorId } from "../../contracts/error-ids.js";

/** A failed API call: the server's error id, or `network_error` when no answer came. */
export class ApiError extends Error {
  readonly id: ErrorId | "network_error";
  readonly status: number;
  /** The failure's details, e.g. `{ field, errors }` of a `validation_error`. */
  readonly data: Record<string, unknown> | undefined;

  constructor(
    id: ErrorId | "network_error",
    status: number,
    message: string,
    data?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "ApiError";
    this.id = id;
    this.status = status;
    this.data = data;
  }
}

/**
 * Calls the runtime's JSON API on this origin. State-changing calls always declare a JSON body,
 * which the server's CSRF guard requires.
 * @throws ApiError
 */
export async function apiRequest<T>(
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
  path: string,
  body?: unknown,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        ...(method === "GET" ? {} : { "Content-Type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError("network_error", 0, "network error");
  }
  const payload = (await response.json().catch(() => undefined)) as
    | { ok: true; data: T }
    | ApiFailure
    | undefined;
  if (payload === undefined)
    throw new ApiError("internal_error", response.status, "unexpected response");
  if (!payload.ok) throw new ApiError(payload.error, payload.status, payload.message, payload.data);
  return payload.data;
}

/** Signs in; the server sets the session cookie. */
export function createSession(credentials: SessionCreateRequest): Promise<UserPayload> {
  return apiRequest<UserPayload>("POST", "/api/session", credentials);
}

/** Signs out (idempotent). */
export async function deleteSession(): Promise<void> {
  await apiRequest<null>("DELETE", "/api/session");
}

/** The signed-in user and their permissions; rejects with `authentication_required` when signed out. */
export function fetchMe(): Promise<MePayload> {
  return apiRequest<MePayload>("GET", "/api/me");
}
