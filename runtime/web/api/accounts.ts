import type {
  ManagedUserPayload,
  OneTimePasswordPayload,
  PasswordChangeRequest,
  UserCreateRequest,
  UserUpdateRequest,
} from "../../contracts/accounts.js";
import type { UserPayload } from "../../contracts/api.js";
import type { AuditPagePayload } from "../../contracts/audit.js";
import type { RolePayload } from "../../contracts/permissions.js";
import { apiRequest } from "./client.js";

/** Replaces the signed-in user's password; the server rotates the session cookie. */
export function changePassword(request: PasswordChangeRequest): Promise<UserPayload> {
  return apiRequest<UserPayload>("PUT", "/api/me/password", request);
}

/** Every user, with account state (permission `users.manage`). */
export function listUsers(): Promise<ManagedUserPayload[]> {
  return apiRequest<ManagedUserPayload[]>("GET", "/api/users");
}

/** Adds a user; the answer carries the one-time password, shown once. */
export function createUser(request: UserCreateRequest): Promise<OneTimePasswordPayload> {
  return apiRequest<OneTimePasswordPayload>("POST", "/api/users", request);
}

/** Renames, changes the role of, or disables / enables a user. */
export function updateUser(id: number, request: UserUpdateRequest): Promise<ManagedUserPayload> {
  return apiRequest<ManagedUserPayload>("PATCH", `/api/users/${id}`, request);
}

/** Gives a user a new one-time password (their sessions and second factor end). */
export function resetPassword(id: number): Promise<OneTimePasswordPayload> {
  return apiRequest<OneTimePasswordPayload>("POST", `/api/users/${id}/password-reset`);
}

/** Lifts a sign-in lockout. */
export function unlockUser(id: number): Promise<ManagedUserPayload> {
  return apiRequest<ManagedUserPayload>("DELETE", `/api/users/${id}/lockout`);
}

/** Every role (built-in and custom) with its permissions. */
export function listRoles(): Promise<RolePayload[]> {
  return apiRequest<RolePayload[]>("GET", "/api/roles");
}

/** A page of the activity log, newest first (permission `audit.view`). */
export function readAuditLog(filters: Record<string, string>): Promise<AuditPagePayload> {
  const query = new URLSearchParams(
    Object.entries(filters).filter(([, value]) => value.trim() !== ""),
  ).toString();
  return apiRequest<AuditPagePayload>("GET", `/api/audit${query === "" ? "" : `?${query}`}`);
}

/** Where the CSV export of the same filters downloads from. */
export function auditExportUrl(filters: Record<string, string>): string {
  const query = new URLSearchParams(
    Object.entries(filters).filter(([key, value]) => key !== "before" && value.trim() !== ""),
  ).toString();
  return `/api/audit/export.csv${query === "" ? "" : `?${query}`}`;
}
