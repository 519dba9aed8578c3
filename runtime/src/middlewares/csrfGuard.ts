import type { RequestHandler } from "express";
import { crossOriginRequest, unsupportedMediaType } from "../errors.js";
import { isSameOrigin } from "../utils/origin.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * First line of CSRF defence for state-changing API requests: they must declare a JSON body
 * (which a cross-site form cannot, and cross-site `fetch` cannot without a CORS preflight the
 * runtime never answers) and, when the browser sends `Origin`, it must be this site.
 * SameSite=Lax on the session cookie is the second line; per-session tokens come later.
 */
export function csrfGuard(options: { publicUrl: string }): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.headers.origin;
    if (origin !== undefined && !isSameOrigin(origin, req.headers.host, options.publicUrl)) {
      return next(crossOriginRequest());
    }
    if (!req.is("application/json")) {
      // req.is() is null for bodiless requests; DELETE has no body but must still opt in.
      const contentType = req.headers["content-type"] ?? "";
      if (!/^application\/json\s*(;|$)/i.test(contentType)) return next(unsupportedMediaType());
    }
    next();
  };
}
