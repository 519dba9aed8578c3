import type {
  ApiFailure,
  ApiSuccess,
  BackupPayload,
  OperationStartedPayload,
  StaffPayload,
  TenantConfigPayload,
  TenantConfiguredPayload,
  TenantDetailPayload,
  TenantPayload,
  TenantStatsPayload,
} from "../src/contracts/api.js";

/** A failed API call: the server's error id, or `network_error`. */
export class ApiError extends Error {
  constructor(
    readonly id: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Calls the control-plane API on this origin; state-changing calls always send JSON (CSRF guard). */
export async function apiRequest<T>(
  method: "GET" | "POST" | "PUT" | "DELETE",
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
      ...(method === "GET" ? {} : { body: JSON.stringify(body ?? {}) }),
    });
  } catch {
    throw new ApiError("network_error", 0, "network error");
  }
  const payload = (await response.json().catch(() => undefined)) as
    | ApiSuccess<T>
    | ApiFailure
    | undefined;
  if (payload === undefined) throw new ApiError("internal_error", response.status, "bad answer");
  if (!payload.ok) throw new ApiError(payload.error, payload.status, payload.message);
  return payload.data;
}

export const api = {
  me: () => apiRequest<StaffPayload>("GET", "/api/session"),
  signIn: (email: string, password: string) =>
    apiRequest<StaffPayload>("POST", "/api/session", { email, password }),
  signOut: () => apiRequest<null>("DELETE", "/api/session"),
  tenants: () => apiRequest<TenantPayload[]>("GET", "/api/tenants"),
  tenant: (name: string) =>
    apiRequest<TenantDetailPayload>("GET", `/api/tenants/${encodeURIComponent(name)}`),
  stats: (name: string) =>
    apiRequest<TenantStatsPayload>("GET", `/api/tenants/${encodeURIComponent(name)}/stats`),
  create: (name: string, adminEmail: string) =>
    apiRequest<OperationStartedPayload>("POST", "/api/tenants", { name, adminEmail }),
  power: (name: string, action: "stop" | "start") =>
    apiRequest<OperationStartedPayload>(
      "POST",
      `/api/tenants/${encodeURIComponent(name)}/${action}`,
    ),
  destroy: (name: string, confirm: string, keepData: boolean) =>
    apiRequest<OperationStartedPayload>("DELETE", `/api/tenants/${encodeURIComponent(name)}`, {
      confirm,
      keepData,
    }),
  backups: (name: string) =>
    apiRequest<BackupPayload[]>("GET", `/api/tenants/${encodeURIComponent(name)}/backups`),
  backup: (name: string) =>
    apiRequest<OperationStartedPayload>("POST", `/api/tenants/${encodeURIComponent(name)}/backups`),
  verifyBackup: (name: string, id: string) =>
    apiRequest<OperationStartedPayload>(
      "POST",
      `/api/tenants/${encodeURIComponent(name)}/backups/${encodeURIComponent(id)}/verify`,
    ),
  /** In place (`confirm` repeats the name) or, with `as`, into a new tenant. */
  restore: (name: string, from: string, options: { as?: string; confirm?: string }) =>
    apiRequest<OperationStartedPayload>(
      "POST",
      `/api/tenants/${encodeURIComponent(name)}/restore`,
      {
        from,
        ...options,
      },
    ),
  config: (name: string) =>
    apiRequest<TenantConfigPayload>("GET", `/api/tenants/${encodeURIComponent(name)}/config`),
  /** Sets (`value`) or unsets (undefined) one setting; answers once it is applied. */
  configure: (name: string, key: string, value: string | undefined) =>
    apiRequest<TenantConfiguredPayload>(
      value === undefined ? "DELETE" : "PUT",
      `/api/tenants/${encodeURIComponent(name)}/config/${encodeURIComponent(key)}`,
      value === undefined ? {} : { value },
    ),
  upgrade: (name: string, to: string, confirm: string) =>
    apiRequest<OperationStartedPayload>(
      "POST",
      `/api/tenants/${encodeURIComponent(name)}/upgrade`,
      {
        to,
        confirm,
      },
    ),
};
