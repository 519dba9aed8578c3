/** Room every authenticated socket of the tenant joins: `tenant:{t}` (tenant-wide broadcasts). */
export function tenantRoom(tenant: string): string {
  return `tenant:${tenant}`;
}

/** Room every socket of one user joins: `tenant:{t}:user:{u}` (style §3). */
export function userRoom(tenant: string, userId: number): string {
  return `tenant:${tenant}:user:${userId}`;
}

/** Room of one login session's sockets, so logging out can disconnect exactly those. */
export function sessionRoom(tenant: string, sessionKey: string): string {
  return `tenant:${tenant}:session:${sessionKey}`;
}

/**
 * Room of every socket whose user holds one permission: `tenant:{t}:permission:{p}`, for events
 * only some users may see (template reviews go to `templates.manage`). Joined at connection
 * time, so a change of role or permissions applies from the next connection.
 */
export function permissionRoom(tenant: string, permission: string): string {
  return `tenant:${tenant}:permission:${permission}`;
}
