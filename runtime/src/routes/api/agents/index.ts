import { Router } from "express";
import type { Redis } from "ioredis";
import type { Knex } from "knex";
import type { ApiSuccess } from "../../../../contracts/api.js";
import type { AgentDirectoryEntry } from "../../../../contracts/conversations.js";
import type { SessionStore } from "../../../auth/sessionStore.js";
import { agentDirectory } from "../../../commands/agentDirectory.js";
import type { Env } from "../../../env.js";
import { authenticate } from "../../../middlewares/authenticate.js";
import { requirePermission } from "../../../middlewares/requirePermission.js";
import { PresenceTracker } from "../../../sockets/presenceTracker.js";

/**
 * `GET /api/agents`: who conversations can be given to, with presence and queues (the transfer
 * picker; after a socket reconnect, the presence to start from). Needs
 * `conversations.viewAssigned` or `conversations.viewAll`.
 */
export function agentsRouter(deps: {
  env: Pick<Env, "REDIS_PREFIX">;
  db: Knex;
  redis: Redis;
  sessions: SessionStore;
}): Router {
  const router = Router();
  const presence = new PresenceTracker(deps);
  router.use(
    authenticate(deps),
    requirePermission("conversations.viewAssigned", "conversations.viewAll"),
  );

  router.get("/", async (_req, res) => {
    const body: ApiSuccess<AgentDirectoryEntry[]> = {
      ok: true,
      data: await agentDirectory({ db: deps.db, presence }),
    };
    res.setHeader("Cache-Control", "no-store");
    res.json(body);
  });
  return router;
}
