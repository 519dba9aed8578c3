import { createHash } from "node:crypto";
import type { Request, Response } from "express";
import type { StaffView } from "../commands/staffAccounts.js";
import { recordStaffAction } from "../commands/staffAccounts.js";
import type { ControlPlane } from "../controlPlane.js";
import type { Logger } from "../logger.js";
import type { LoginRateLimiter } from "./loginRateLimiter.js";
import type { OperationRunner } from "./operationRunner.js";

/** Name of the staff session cookie. */
export const SESSION_COOKIE = "atende_cp_session";

/** Everything the routes, middlewares and sockets of one server share. */
export interface ServerContext {
  cp: ControlPlane;
  logger: Logger;
  /** Sessions end this long after sign-in, whatever the activity. */
  sessionTtlMs: number;
  /** Sessions end after this long without a request. */
  sessionIdleMs: number;
  /** Mark the cookie Secure (served over HTTPS, e.g. behind a TLS proxy). */
  secureCookies: boolean;
  loginLimiter: LoginRateLimiter;
  operations: OperationRunner;
  /** Disconnects the live sockets of a session that signed out. */
  disconnectSession(token: string): void;
  /** Disconnects the live sockets of a staff member (account disabled). */
  disconnectStaff(staffId: number): void;
}

/** The staff member of this request (set by `authenticate`). */
export function staffOf(res: Response): StaffView | undefined {
  return res.locals.staff as StaffView | undefined;
}

/** The session token in a Cookie header, if any. */
export function sessionTokenFrom(cookieHeader: string | undefined): string | undefined {
  for (const part of (cookieHeader ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === SESSION_COOKIE) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

/** A non-reversible name for a session (Socket.IO room), so tokens never sit in memory maps. */
export const sessionKey = (token: string) =>
  createHash("sha256").update(token).digest("hex").slice(0, 32);

/** Who did it, from where: the part of an audit row the request provides. */
export function auditSource(req: Request, res: Response) {
  const staff = staffOf(res);
  return {
    staffId: staff?.id ?? null,
    staffEmail: staff?.email ?? null,
    ip: req.ip ?? null,
    userAgent: req.get("user-agent") ?? null,
  };
}

/** Appends an audit row for this request; a failure to audit is logged, never swallowed silently. */
export async function audit(
  ctx: ServerContext,
  req: Request,
  res: Response,
  entry: { action: string; target?: string; outcome: string; detail?: string },
): Promise<void> {
  await recordStaffAction(ctx.cp, {
    ...auditSource(req, res),
    action: entry.action,
    target: entry.target ?? null,
    outcome: entry.outcome,
    detail: entry.detail ?? null,
  });
}
