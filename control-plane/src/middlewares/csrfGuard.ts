import type { RequestHandler } from "express";
import { crossOriginRequest, unsupportedMediaType } from "../apiErrors.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF defence for state-changing requests: they must carry an `Origin` equal to this server's
 * own origin (browsers always send it on POST/DELETE) and declare a JSON body, which a
 * cross-site form cannot. SameSite=Strict on the session cookie is the second line. With
 * `secure` (a TLS proxy in front) the expected scheme is https whatever the proxy forwards.
 */
export function csrfGuard(options: { secure: boolean }): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.headers.origin;
    const host = req.headers.host;
    if (
      origin === undefined ||
      host === undefined ||
      !sameOrigin(origin, host, options.secure ? "https" : req.protocol)
    )
      return next(crossOriginRequest());
    const contentType = req.headers["content-type"] ?? "";
    if (!/^application\/json\s*(;|$)/i.test(contentType)) return next(unsupportedMediaType());
    next();
  };
}

function sameOrigin(origin: string, host: string, protocol: string): boolean {
  try {
    const url = new URL(origin);
    return url.host === host.toLowerCase() && url.protocol === `${protocol}:`;
  } catch {
    return false;
  }
}
