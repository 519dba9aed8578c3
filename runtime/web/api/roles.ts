import type {
  RoleCreateRequest,
  RolePayload,
  RoleUpdateRequest,
} from "../../contracts/permissions.js";
import { apiRequest } from "./client.js";

export { listRoles } from "./accounts.js";

/** Defines a custom role (permission `roles.manage`). */
export function createRole(request: RoleCreateRequest): Promise<RolePayload> {
  return apiRequest<RolePayload>("POST", "/api/roles", request);
}

/** Renames a custom role or replaces its permissions. */
export function updateRole(key: string, request: RoleUpdateRequest): Promise<RolePayload> {
  return apiRequest<RolePayload>("PATCH", `/api/roles/${encodeURIComponent(key)}`, request);
}

/** Deletes a custom role nobody holds. */
export async function deleteRole(key: string): Promise<void> {
  await apiRequest<null>("DELETE", `/api/roles/${encodeURIComponent(key)}`);
}
