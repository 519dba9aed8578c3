import { type Request, Router } from "express";
import type { Knex } from "knex";
import {
  type MePayload,
  type PasswordChangeRequest,
  PasswordChangeSchema,
  type PasswordConfirmRequest,
  PasswordConfirmSchema,
  type SessionsEndedPayload,
  type TotpConfirmRequest,
  TotpConfirmSchema,
  type TotpEnrolmentPayload,
} from "../../../../contracts/accounts.js";
import type { ApiSuccess, UserPayload } from "../../../../contracts/api.js";
import { SESSION_COOKIE, sessionCookieOptions } from "../../../auth/sessionCookie.js";
import type { SessionStore } from "../../../auth/sessionStore.js";
import { passwordChanger } from "../../../commands/passwordChanger.js";
import { totpConfirmer, totpDisabler, totpEnroller } from "../../../commands/totpEnroller.js";
import { userSessionsEnder } from "../../../commands/userSessionsEnder.js";
import { FieldCipher } from "../../../crypto/fieldCipher.js";
import type { Env } from "../../../env.js";
import { actorOf, authenticate, requireAuth } from "../../../middlewares/authenticate.js";
import { validate } from "../../../middlewares/validate.js";
import { presentUser } from "../../../presenters/presentUser.js";

/**
 * The signed-in user's own account: `GET /api/me`, `PUT /api/me/password` (also how a one-time
 * password is replaced; rotates the session cookie) and `DELETE /api/me/sessions` (log out
 * everywhere). These work while a password change is pending; nothing else does.
 */
export function meRouter(deps: {
  env: Env;
  db: Knex;
  sessions: SessionStore;
  disconnectSession: (sessionKey: string) => void;
}): Router {
  const router = Router();
  const cookieOptions = sessionCookieOptions(deps.env);
  const cipher = new FieldCipher(deps.env.ENCRYPTION_KEY);
  router.use(authenticate(deps, { allowPendingPasswordChange: true }));

  router.get("/", (req, res) => {
    res.setHeader("Cache-Control", "no-store");
    const { user, permissions } = requireAuth(req);
    const body: ApiSuccess<MePayload> = {
      ok: true,
      data: {
        ...presentUser(user),
        permissions: [...permissions].sort(),
        totpEnabled: user.hasTotp,
      },
    };
    res.json(body);
  });

  router.put(
    "/password",
    validate(PasswordChangeSchema),
    async (
      req: Request<Record<string, string>, ApiSuccess<UserPayload>, PasswordChangeRequest>,
      res,
    ) => {
      const { sessionId, user } = await passwordChanger({
        ...deps,
        actor: actorOf(req),
        currentPassword: req.body.currentPassword,
        newPassword: req.body.newPassword,
      });
      res.cookie(SESSION_COOKIE, sessionId, {
        ...cookieOptions,
        maxAge: deps.sessions.absoluteLifetimeMs,
      });
      res.json({ ok: true, data: presentUser(user) });
    },
  );

  router.delete("/sessions", async (req, res) => {
    const ended = await userSessionsEnder({ ...deps, actor: actorOf(req) });
    res.clearCookie(SESSION_COOKIE, cookieOptions);
    const body: ApiSuccess<SessionsEndedPayload> = { ok: true, data: { ended } };
    res.json(body);
  });

  // Second factor: start (password again), confirm with a code, turn off (password again).
  router.post(
    "/totp",
    validate(PasswordConfirmSchema),
    async (req: Request<Record<string, string>, unknown, PasswordConfirmRequest>, res) => {
      const enrolment = await totpEnroller({
        db: deps.db,
        cipher,
        actor: actorOf(req),
        password: req.body.password,
        issuer: `atende ${deps.env.TENANT_ID}`,
      });
      const body: ApiSuccess<TotpEnrolmentPayload> = { ok: true, data: enrolment };
      res.setHeader("Cache-Control", "no-store");
      res.json(body);
    },
  );

  router.post(
    "/totp/confirm",
    validate(TotpConfirmSchema),
    async (req: Request<Record<string, string>, unknown, TotpConfirmRequest>, res) => {
      await totpConfirmer({ db: deps.db, cipher, actor: actorOf(req), code: req.body.code });
      res.json({ ok: true, data: { totpEnabled: true } });
    },
  );

  router.delete(
    "/totp",
    validate(PasswordConfirmSchema),
    async (req: Request<Record<string, string>, unknown, PasswordConfirmRequest>, res) => {
      await totpDisabler({
        db: deps.db,
        cipher,
        actor: actorOf(req),
        password: req.body.password,
      });
      res.json({ ok: true, data: { totpEnabled: false } });
    },
  );

  return router;
}
