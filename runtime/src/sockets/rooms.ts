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
