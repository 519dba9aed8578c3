import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCode, totpStep } from "../../../auth/totp.js";
import { buildUser } from "../../../test/factories.js";
import {
  createTestComponents,
  getTestServer,
  jsonBody,
  type TestComponents,
  type TestServer,
} from "../../../test/support.js";

let components: TestComponents;
let server: TestServer;

beforeAll(async () => {
  components = await createTestComponents();
  server = await getTestServer(components);
});

afterAll(async () => {
  await server?.close();
  await components?.cleanup();
});

function call(method: string, path: string, body?: unknown, cookie?: string) {
  return fetch(`${server.url}/api${path}`, {
    method,
    headers: { "Content-Type": "application/json", ...(cookie ? { Cookie: cookie } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const cookieOf = (response: Response) =>
  (response.headers.getSetCookie()[0] ?? "").split(";")[0] ?? "";

/** A user with the second factor on; returns what their phone knows. */
async function enrolledUser() {
  const { user, password } = await buildUser(components.db);
  const cookie = cookieOf(await call("POST", "/session", { email: user.email, password }));
  const started = await call("POST", "/me/totp", { password }, cookie);
  expect(started.status).toBe(200);
  const { secret, uri } = (await jsonBody(started)).data as { secret: string; uri: string };
  expect(uri).toContain(`secret=${secret}`);
  const confirmedStep = totpStep();
  const confirmed = await call(
    "POST",
    "/me/totp/confirm",
    { code: totpCode(secret, confirmedStep) },
    cookie,
  );
  expect(confirmed.status).toBe(200);
  return { user, password, secret, cookie, confirmedStep };
}

describe("two-factor sign-in", () => {
  it("asks for the code once the password is right, and signs in with it", async () => {
    const { user, password, secret, confirmedStep } = await enrolledUser();
    const withoutCode = await call("POST", "/session", { email: user.email, password });
    expect(withoutCode.status).toBe(401);
    expect((await jsonBody(withoutCode)).error).toBe("totp_required");
    expect(cookieOf(withoutCode)).toBe("");

    const wrongPassword = await call("POST", "/session", { email: user.email, password: "nope" });
    expect((await jsonBody(wrongPassword)).error).toBe("invalid_credentials");

    // A neighbouring step: codes a few seconds off still work (clock drift), once. Not the step
    // the confirmation used (when a 30-second boundary passed meanwhile): that code is spent.
    const previous = totpStep() - 1;
    const code = totpCode(secret, previous === confirmedStep ? previous + 2 : previous);
    const signedIn = await call("POST", "/session", {
      email: user.email,
      password,
      totpCode: code,
    });
    expect(signedIn.status).toBe(201);
    const me = await jsonBody(await call("GET", "/me", undefined, cookieOf(signedIn)));
    expect(me.data.totpEnabled).toBe(true);

    const replayed = await call("POST", "/session", {
      email: user.email,
      password,
      totpCode: code,
    });
    expect(replayed.status).toBe(401);
    expect((await jsonBody(replayed)).error).toBe("invalid_credentials");
  });

  it("counts wrong codes towards the lockout", async () => {
    const { user, password } = await enrolledUser();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      const response = await call("POST", "/session", {
        email: user.email,
        password,
        totpCode: "000000",
      });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
  });

  it("keeps the secret sealed in the database", async () => {
    const { user, secret } = await enrolledUser();
    const row = await components.db("users").where({ id: user.id }).first();
    expect(row.totp_secret_sealed).toBeTruthy();
    expect(JSON.stringify(row)).not.toContain(secret);
  });

  it("refuses enrolment without the password and confirmation with a wrong code", async () => {
    const { user, password } = await buildUser(components.db);
    const cookie = cookieOf(await call("POST", "/session", { email: user.email, password }));
    const noPassword = await call("POST", "/me/totp", { password: "wrong" }, cookie);
    expect(noPassword.status).toBe(400);
    expect((await jsonBody(noPassword)).data).toEqual({ field: "password" });

    expect((await call("POST", "/me/totp", { password }, cookie)).status).toBe(200);
    const wrong = await call("POST", "/me/totp/confirm", { code: "123456" }, cookie);
    expect(wrong.status).toBe(400);
    // Not confirmed: sign-in still needs only the password.
    expect((await call("POST", "/session", { email: user.email, password })).status).toBe(201);
  });

  it("turns off with the password, and an admin's password reset turns it off too", async () => {
    const first = await enrolledUser();
    expect(
      (await call("DELETE", "/me/totp", { password: first.password }, first.cookie)).status,
    ).toBe(200);
    expect(
      (await call("POST", "/session", { email: first.user.email, password: first.password }))
        .status,
    ).toBe(201);

    const second = await enrolledUser();
    const admin = await buildUser(components.db, { role: "admin" });
    const adminCookie = cookieOf(
      await call("POST", "/session", { email: admin.user.email, password: admin.password }),
    );
    const reset = await call(
      "POST",
      `/users/${second.user.id}/password-reset`,
      undefined,
      adminCookie,
    );
    const { oneTimePassword } = (await jsonBody(reset)).data as { oneTimePassword: string };
    expect(
      (await call("POST", "/session", { email: second.user.email, password: oneTimePassword }))
        .status,
    ).toBe(201);
  });
});
