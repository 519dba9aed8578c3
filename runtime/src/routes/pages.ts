import { existsSync } from "node:fs";
import { join } from "node:path";
import express, { type Response, Router } from "express";
import type { Knex } from "knex";
import type { SessionStore } from "../auth/sessionStore.js";
import { loadSession } from "../middlewares/authenticate.js";

/**
 * The inbox's pages: one HTML shell (built by scripts/build.mjs) for `/login` and `/`, plus the
 * fingerprinted assets it loads. Signed-out visitors of `/` go to `/login` and signed-in visitors
 * of `/login` go to `/`; the browser code still handles a session that expires while open.
 * @returns undefined when `publicDir` holds no build (e.g. tests running from source)
 */
export function pagesRouter(
  deps: { db: Knex; sessions: SessionStore },
  publicDir: string,
): Router | undefined {
  const shell = join(publicDir, "index.html");
  if (!existsSync(shell)) return undefined;

  const router = Router();
  const sendShell = (res: Response) => {
    // The shell names the current asset hashes, so it must never be cached.
    res.setHeader("Cache-Control", "no-store");
    res.sendFile(shell);
  };

  router.use(
    "/assets",
    express.static(join(publicDir, "assets"), {
      immutable: true,
      maxAge: "365d",
      index: false,
      fallthrough: false,
    }),
  );
  router.get("/login", loadSession(deps), (req, res) => {
    if (req.auth !== undefined) return res.redirect(303, "/");
    sendShell(res);
  });
  router.get("/", loadSession(deps), (req, res) => {
    if (req.auth === undefined) return res.redirect(303, "/login");
    sendShell(res);
  });
  // Settings pages need their permission: others are sent to the inbox (the API refuses them
  // anyway).
  for (const [page, permission] of [
    ["/settings/whatsapp", "settings.whatsapp"],
    ["/settings/users", "users.manage"],
    ["/settings/queues", "users.manage"],
    ["/settings/audit", "audit.view"],
    ["/settings/reports", "reports.view"],
    ["/settings/roles", "roles.manage"],
  ] as const) {
    router.get(page, loadSession(deps), (req, res) => {
      if (req.auth === undefined) return res.redirect(303, "/login");
      if (!req.auth.permissions.has(permission)) return res.redirect(303, "/");
      sendShell(res);
    });
  }
  return router;
}
