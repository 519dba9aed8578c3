import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestComponents,
  getTestServer,
  jsonBody,
  type TestComponents,
  type TestServer,
  unreachableRedis,
} from "../test/support.js";

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

describe("GET /healthz", () => {
  it("answers 200 while the process is alive", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await jsonBody(response)).toEqual({ ok: true });
  });
});

describe("GET /readyz", () => {
  it("answers 200 when the database, the migrations and Redis are all fine", async () => {
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await jsonBody(response)).toEqual({
      ok: true,
      data: { checks: { database: "ok", migrations: "ok", redis: "ok" } },
    });
  });

  it("answers 503 naming Redis when Redis is unreachable", async () => {
    const redis = unreachableRedis();
    const broken = await getTestServer({ ...components, redis });
    try {
      const startedAt = Date.now();
      const response = await fetch(`${broken.url}/readyz`);
      expect(Date.now() - startedAt).toBeLessThan(2_500);
      expect(response.status).toBe(503);
      const body = await response.json();
      expect(body).toEqual({
        ok: false,
        error: "not_ready",
        status: 503,
        message: "Not ready: redis.",
        data: { checks: { database: "ok", migrations: "ok", redis: "failed" } },
      });
      expect(JSON.stringify(body)).not.toContain("127.0.0.1");
    } finally {
      await broken.close();
      redis.disconnect();
    }
  });

  it("answers 503 naming migrations while the schema is not migrated", async () => {
    const unmigrated = await createTestComponents({ migrate: false });
    const fresh = await getTestServer(unmigrated);
    try {
      const response = await fetch(`${fresh.url}/readyz`);
      expect(response.status).toBe(503);
      expect((await jsonBody(response)).data.checks).toEqual({
        database: "ok",
        migrations: "failed",
        redis: "ok",
      });
    } finally {
      await fresh.close();
      await unmigrated.cleanup();
    }
  });
});

describe("every response", () => {
  it("carries the security headers", async () => {
    const response = await fetch(`${server.url}/healthz`);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("same-origin");
    expect(response.headers.get("x-powered-by")).toBeNull();
  });
});
