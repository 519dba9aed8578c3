import { readFileSync } from "node:fs";
import { Router } from "express";

const assets = {
  "phone.js": { type: "text/javascript; charset=utf-8" },
  "phone.css": { type: "text/css; charset=utf-8" },
} as const;

/** The page is served with a strict CSP: no inline script or style, nothing from other origins. */
const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

function read(name: string): string {
  return readFileSync(new URL(name, import.meta.url), "utf8");
}

/**
 * `/phone`: the emulated customer's phone. A static page plus one script and one stylesheet; the
 * script talks only to the control API (`/_emulator/...`) of the same origin.
 */
export function createPhoneRouter(): Router {
  const router = Router();
  const html = read("phone.html");
  const files = Object.fromEntries(Object.keys(assets).map((name) => [name, read(name)])) as Record<
    keyof typeof assets,
    string
  >;

  router.use((_req, res, next) => {
    res.set({
      "Content-Security-Policy": contentSecurityPolicy,
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
      "Cache-Control": "no-store",
    });
    next();
  });
  router.get("/", (_req, res) => {
    res.type("text/html; charset=utf-8").send(html);
  });
  for (const [name, { type }] of Object.entries(assets)) {
    router.get(`/${name}`, (_req, res) => {
      res.type(type).send(files[name as keyof typeof assets]);
    });
  }
  return router;
}
