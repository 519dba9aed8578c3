import { request } from "node:http";

/**
 * The image's HEALTHCHECK (`node /app/healthcheck.js`): exits 0 when `/readyz` answers 200,
 * 1 otherwise. The image has no shell and no curl, hence a script.
 *
 * It reads `PORT` directly instead of importing env.ts: it runs every few seconds, so it stays
 * dependency-free (tiny bundle, fast start), and the server has already validated `PORT`.
 */
const port = Number(process.env.PORT ?? "3000");
const TIMEOUT_MS = 4_000;

const probe = request(
  { host: "127.0.0.1", port, path: "/readyz", method: "GET", timeout: TIMEOUT_MS },
  (response) => {
    response.resume();
    process.exit(response.statusCode === 200 ? 0 : 1);
  },
);
probe.on("timeout", () => probe.destroy(new Error("timed out")));
probe.on("error", (error) => {
  process.stderr.write(`healthcheck: ${error.message}\n`);
  process.exit(1);
});
probe.end();
