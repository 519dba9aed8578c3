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
 * time and moved when the role's permissions change (`accessChanges.ts`).
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
 * Unassigned conversations waiting in the queue are sent here. Joined at connection time and
 * moved when the membership changes (`accessChanges.ts`).
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

/** What decides a socket's rooms: who it is and what the user may see. */
export interface SocketAccess {
  userId: number;
  sessionKey: string;
  permissions: readonly string[];
  queueIds: readonly number[];
}

/**
 * Every room a socket belongs in for what its user may see: tenant, user, session, one per
 * permission, and for users who work conversations (`conversations.viewAssigned`) their assignee
 * room and one per queue they are a member of. The server alone decides; a client never names a
 * room.
 */
export function accessRooms(tenant: string, access: SocketAccess): string[] {
  const worksConversations = access.permissions.includes("conversations.viewAssigned");
  return [
    tenantRoom(tenant),
    userRoom(tenant, access.userId),
    sessionRoom(tenant, access.sessionKey),
    ...access.permissions.map((permission) => permissionRoom(tenant, permission)),
    ...(worksConversations
      ? [
          assigneeRoom(tenant, access.userId),
          ...access.queueIds.map((queueId) => queueRoom(tenant, queueId)),
        ]
      : []),
  ];
}

/** Whether a room is one that permissions or queue membership decide (left when they change). */
export function isAccessRoom(tenant: string, room: string): boolean {
  return ["permission", "assignee", "queue"].some((kind) =>
    room.startsWith(`tenant:${tenant}:${kind}:`),
  );
}
