import { type CookieOptions, Router } from "express";
import { authenticationRequired, invalidCredentials } from "../../apiErrors.js";
import { signInStaff, signOutStaff } from "../../commands/staffAccounts.js";
import { inputOf, validate } from "../../middlewares/validate.js";
import { audit, SESSION_COOKIE, type ServerContext, staffOf } from "../../server/context.js";
import { SessionCreateSchema } from "./schema.js";

/** Sign-in, sign-out and "who am I" for staff. */
export function sessionRouter(ctx: ServerContext): Router {
  const router = Router();
  const cookie = (): CookieOptions => ({
    httpOnly: true,
    sameSite: "strict",
    secure: ctx.secureCookies,
    path: "/",
  });

  router.post("/api/session", validate(SessionCreateSchema), async (req, res) => {
    const { body } = inputOf(res, SessionCreateSchema);
    const ip = req.ip ?? "unknown";
    ctx.loginLimiter.check(ip);
    const signedIn = await signInStaff(ctx.cp, { ...body, sessionTtlMs: ctx.sessionTtlMs });
    if (!signedIn) {
      ctx.loginLimiter.fail(ip);
      await audit(ctx, req, res, {
        action: "session.create",
        target: body.email,
        outcome: "failed",
      });
      throw invalidCredentials();
    }
    ctx.loginLimiter.succeed(ip);
    res.locals.staff = signedIn.staff;
    await audit(ctx, req, res, {
      action: "session.create",
      target: body.email,
      outcome: "succeeded",
    });
    res.cookie(SESSION_COOKIE, signedIn.token, { ...cookie(), maxAge: ctx.sessionTtlMs });
    res.json({ ok: true, data: signedIn.staff });
  });

  router.get("/api/session", (_req, res) => {
    const staff = staffOf(res);
    if (!staff) throw authenticationRequired();
    res.json({ ok: true, data: staff });
  });

  router.delete("/api/session", async (req, res) => {
    const token = res.locals.sessionToken as string | undefined;
    if (token !== undefined) {
      await signOutStaff(ctx.cp, token);
      ctx.disconnectSession(token);
      await audit(ctx, req, res, { action: "session.delete", outcome: "succeeded" });
    }
    res.clearCookie(SESSION_COOKIE, cookie());
    res.json({ ok: true, data: null });
  });

  return router;
}
