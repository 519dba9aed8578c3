import type { Knex } from "knex";
import { expect } from "vitest";
import { SESSION_COOKIE } from "../auth/sessionCookie.js";
import type { User } from "../models/User.js";
import { buildUser } from "./factories.js";
import { type JsonBody, jsonBody } from "./support.js";

/** A user signed in through the real sign-in route, with the cookie to send as them. */
export interface SignedIn {
  user: User;
  password: string;
  cookie: string;
}

/**
 * Signs in with an e-mail and password through `POST /api/session`, expecting it to work.
 * @returns the `Cookie` header value that carries the session
 */
export async function sessionCookie(
  serverUrl: string,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<string> {
  const response = await fetch(`${serverUrl}/api/session`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify({ email, password }),
  });
  expect(response.status).toBe(201);
  const line = response.headers.getSetCookie().find((it) => it.startsWith(`${SESSION_COOKIE}=`));
  return (line ?? "").split(";")[0] ?? "";
}

/** Creates a user with `role` (and `name`) and signs them in. */
export async function signIn(
  serverUrl: string,
  db: Knex,
  options: { role: string; name?: string },
): Promise<SignedIn> {
  const { user, password } = await buildUser(db, options);
  return { user, password, cookie: await sessionCookie(serverUrl, user.email, password) };
}

/** A JSON call to the API as the holder of `cookie`; `path` is below `/api`. */
export type ApiCall = (
  method: string,
  path: string,
  body?: unknown,
) => Promise<{ status: number; body: JsonBody }>;

/** Builds an {@link ApiCall} for the person whose session `cookie` is. */
export function apiCall(serverUrl: string, cookie: string): ApiCall {
  return async (method, path, body) => {
    const response = await fetch(`${serverUrl}/api${path}`, {
      method,
      headers: { "Content-Type": "application/json", Cookie: cookie },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: await jsonBody(response) };
  };
}
