import { afterAll, describe, expect, it } from "vitest";
import {
  createTestComponents,
  getTestServer,
  type TestComponents,
  type TestServer,
} from "../test/support.js";

/**
 * Who the client is, behind a reverse proxy (`TRUST_PROXY`): the per-address sign-in limit and
 * the activity log follow `X-Forwarded-For` only from a trusted proxy. The test client connects
 * from 127.0.0.1, so `loopback` makes it the proxy.
 */
const started: Array<{ components: TestComponents; server: TestServer }> = [];

afterAll(async () => {
  for (const { components, server } of started) {
    await server.close();
    await components.cleanup();
  }
});

async function runtime(env: Record<string, string>) {
  const components = await createTestComponents({
    env: { RATE_LIMIT_LOGIN_PER_MINUTE: "2", ...env },
  });
  const server = await getTestServer(components);
  started.push({ components, server });
  const signIn = (forwardedFor: string) =>
    fetch(`${server.url}/api/session`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Forwarded-For": forwardedFor },
      body: JSON.stringify({ email: "ninguem@example.com", password: "errada" }),
    }).then((response) => response.status);
  const loggedAddresses = async () =>
    (
      await components
        .db("activity_log")
        .where({ action: "sessions.fail" })
        .orderBy("id")
        .pluck("ip")
    ).map(String);
  return { signIn, loggedAddresses };
}

describe("TRUST_PROXY", () => {
  it("ignores X-Forwarded-For by default: a client cannot pose as other addresses", async () => {
    const { signIn, loggedAddresses } = await runtime({});
    expect(await signIn("203.0.113.1")).toBe(401);
    expect(await signIn("203.0.113.2")).toBe(401);
    // A third address named in the header is still the same client: over its limit.
    expect(await signIn("203.0.113.3")).toBe(429);
    const logged = await loggedAddresses();
    expect(logged).toHaveLength(2);
    for (const address of logged) expect(address).toMatch(/127\.0\.0\.1$/);
  });

  it("counts and logs each client by the address a trusted proxy forwards", async () => {
    const { signIn, loggedAddresses } = await runtime({ TRUST_PROXY: "loopback" });
    expect(await signIn("203.0.113.1")).toBe(401);
    expect(await signIn("203.0.113.1")).toBe(401);
    expect(await signIn("203.0.113.1")).toBe(429);
    // Another customer's office behind the same proxy has its own allowance.
    expect(await signIn("203.0.113.2")).toBe(401);
    // A spoofed hop before the client's real one is not believed: the proxy's view wins.
    expect(await signIn("198.51.100.9, 203.0.113.2")).toBe(401);
    expect(await signIn("198.51.100.9, 203.0.113.2")).toBe(429);
    expect(await loggedAddresses()).toEqual([
      "203.0.113.1",
      "203.0.113.1",
      "203.0.113.2",
      "203.0.113.2",
    ]);
  });
});
