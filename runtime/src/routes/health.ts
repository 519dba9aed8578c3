import { Router } from "express";
import type { Redis } from "ioredis";
import type { Knex } from "knex";
import { pendingMigrations } from "../migrations/index.js";

/** Each readiness check answers within this time, so a hung dependency cannot hang the probe. */
const CHECK_TIMEOUT_MS = 2_000;

type CheckName = "database" | "migrations" | "redis";
type CheckResult = "ok" | "failed";

/**
 * `GET /healthz`: the process is alive (the event loop answers).
 * `GET /readyz`: the tenant can serve: the database answers `SELECT 1`, every migration is
 * applied, and Redis answers PING. 503 names the failing dependency, never hosts or errors.
 * The image's HEALTHCHECK (`healthcheck.ts`) probes `/readyz`.
 */
export function healthRouter(deps: { db: Knex; redis: Redis }): Router {
  const router = Router();
  // Migrations never un-apply in a running process, so one success is remembered.
  let migrationsComplete = false;

  const checks: Record<CheckName, () => Promise<void>> = {
    database: async () => {
      await deps.db.raw("SELECT 1");
    },
    migrations: async () => {
      if (migrationsComplete) return;
      const pending = await pendingMigrations(deps.db);
      if (pending.length > 0) throw new Error("migrations pending");
      migrationsComplete = true;
    },
    redis: async () => {
      // While ioredis reconnects, commands would wait in its offline queue: fail at once.
      if (deps.redis.status !== "ready") throw new Error("redis not connected");
      await deps.redis.ping();
    },
  };

  router.get("/healthz", (_req, res) => {
    res.json({ ok: true });
  });

  router.get("/readyz", async (_req, res) => {
    const entries = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        const result: CheckResult = await withTimeout(check(), CHECK_TIMEOUT_MS).then(
          () => "ok",
          () => "failed",
        );
        return [name as CheckName, result] as const;
      }),
    );
    const results = Object.fromEntries(entries) as Record<CheckName, CheckResult>;
    const failed = entries.filter(([, result]) => result === "failed").map(([name]) => name);
    res.setHeader("Cache-Control", "no-store");
    if (failed.length === 0) {
      res.json({ ok: true, data: { checks: results } });
      return;
    }
    res.status(503).json({
      ok: false,
      error: "not_ready",
      status: 503,
      message: `Not ready: ${failed.join(", ")}.`,
      data: { checks: results },
    });
  });

  return router;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error("timed out")), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
