import { type Request, Router } from "express";
import type { Knex } from "knex";
import type { ApiSuccess, UserPayload } from "../../../../contracts/api.js";
import type { LoginThrottle } from "../../../auth/loginThrottle.js";
import { SESSION_COOKIE, sessionCookieOptions } from "../../../auth/sessionCookie.js";
import type { SessionStore } from "../../../auth/sessionStore.js";
import { sessionCreator } from "../../../commands/sessionCreator.js";
import { sessionDestroyer } from "../../../commands/sessionDestroyer.js";
import { FieldCipher } from "../../../crypto/fieldCipher.js";
import type { Env } from "../../../env.js";
import { loadSession } from "../../../middlewares/authenticate.js";
import { validate } from "../../../middlewares/validate.js";
import { presentUser } from "../../../presenters/presentUser.js";
import { type SessionCreateRequest, SessionCreateSchema } from "./schema.js";

/**
 * `POST /api/session` signs in (sets the session cookie); `DELETE /api/session` signs out and is
 * idempotent (answers 200 and clears the cookie even without a session).
 */
export function sessionRouter(deps: {
  env: Env;
  db: Knex;
  sessions: SessionStore;
  throttle: LoginThrottle;
  disconnectSession: (sessionKey: string) => void;
}): Router {
  const router = Router();
  const cookieOptions = sessionCookieOptions(deps.env);
  const cipher = new FieldCipher(deps.env.ENCRYPTION_KEY);

  router.post(
    "/",
    validate(SessionCreateSchema),
    async (
      req: Request<Record<string, string>, ApiSuccess<UserPayload>, SessionCreateRequest>,
      res,
    ) => {
      const { sessionId, user } = await sessionCreator({
        db: deps.db,
        sessions: deps.sessions,
        throttle: deps.throttle,
        email: req.body.email,
        password: req.body.password,
        totpCode: req.body.totpCode,
        cipher,
        ip: req.ip,
        userAgent: req.get("user-agent"),
      });
      res.cookie(SESSION_COOKIE, sessionId, {
        ...cookieOptions,
        maxAge: deps.sessions.absoluteLifetimeMs,
      });
      res.status(201).json({ ok: true, data: presentUser(user) });
    },
  );

  router.delete("/", loadSession(deps), async (req, res) => {
    if (req.auth !== undefined) {
      await sessionDestroyer({
        db: deps.db,
        sessions: deps.sessions,
        userId: req.auth.user.id,
        sessionKey: req.auth.session.key,
        ip: req.ip,
        userAgent: req.get("user-agent"),
        disconnectSockets: deps.disconnectSession,
      });
    }
    res.clearCookie(SESSION_COOKIE, cookieOptions);
    res.json({ ok: true, data: null });
  });

  return router;
}
