import type { RequestHandler } from "express";
import type { Logger } from "../logger.js";

/**
 * One access-log line per request when the response is sent: method, path, status, duration.
 * Mounted after the health probes (which run every few seconds and would drown everything
 * else); fingerprinted assets are skipped for the same reason.
 */
export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    if (req.path.startsWith("/assets/")) return next();
    const startedAt = process.hrtime.bigint();
    res.on("finish", () => {
      const durationMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
      logger.info(
        {
          method: req.method,
          path: req.path,
          status: res.statusCode,
          durationMs: Math.round(durationMs * 10) / 10,
        },
        "request",
      );
    });
    next();
  };
}
