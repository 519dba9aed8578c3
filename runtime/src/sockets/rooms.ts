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

/**
 * Room of one user's sockets when the user may work conversations (`conversations.viewAssigned`):
 * `tenant:{t}:assignee:{u}`. Conversation events go to their assignee here, not to the user
 * room, so a user whose role lost the permission stops receiving them.
 */
export function assigneeRoom(tenant: string, userId: number): string {
  return `tenant:${tenant}:assignee:${userId}`;
}

/**
 * Room of the members of one queue (team) who may work conversations: `tenant:{t}:queue:{q}`.
 * Unassigned conversations waiting in the queue are sent here. Joined at connection time.
 */
export function queueRoom(tenant: string, queueId: number): string {
  return `tenant:${tenant}:queue:${queueId}`;
}

/**
 * Room of the sockets looking at one conversation (`conversation:open`, after a visibility
 * check): `tenant:{t}:conversation:{c}`. Carries what only matters while the thread is open
 * (other agents typing).
 */
export function conversationRoom(tenant: string, conversationId: number): string {
  return `tenant:${tenant}:conversation:${conversationId}`;
}
