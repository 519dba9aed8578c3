import type { Knex } from "knex";
import type { AgentDirectoryEntry } from "../../contracts/conversations.js";
import { RoleCatalog } from "../auth/roleCatalog.js";
import type { PresenceTracker } from "../sockets/presenceTracker.js";

/**
 * The users a conversation can be given to (`GET /api/agents`, the transfer picker): active
 * users whose role lets them work conversations (`conversations.viewAssigned` or `.viewAll`),
 * with their queues and whether they have the inbox open now, sorted by name. Nothing else
 * about them (no e-mail, no sign-in details).
 */
export async function agentDirectory(props: {
  db: Knex;
  presence: PresenceTracker;
}): Promise<AgentDirectoryEntry[]> {
  const users = (await props
    .db("users")
    .whereNull("disabled_at")
    .orderBy([{ column: "name" }, { column: "id" }])
    .select("id", "name", "role")) as Array<{ id: number; name: string; role: string }>;
  const catalog = RoleCatalog.for(props.db);
  const workers: typeof users = [];
  for (const user of users) {
    const permissions = await catalog.permissionsOf(user.role);
    if (permissions.has("conversations.viewAssigned") || permissions.has("conversations.viewAll")) {
      workers.push(user);
    }
  }
  if (workers.length === 0) return [];
  const ids = workers.map((user) => Number(user.id));
  const memberships = (await props
    .db("queue_members")
    .whereIn("user_id", ids)
    .orderBy("queue_id")
    .select("user_id", "queue_id")) as Array<{ user_id: number; queue_id: number }>;
  const queuesOf = new Map<number, number[]>();
  for (const row of memberships) {
    const list = queuesOf.get(Number(row.user_id)) ?? [];
    list.push(Number(row.queue_id));
    queuesOf.set(Number(row.user_id), list);
  }
  const online = await props.presence.onlineAmong(ids);
  return workers.map((user) => ({
    id: Number(user.id),
    name: user.name,
    role: user.role,
    online: online.has(Number(user.id)),
    queueIds: queuesOf.get(Number(user.id)) ?? [],
  }));
}
