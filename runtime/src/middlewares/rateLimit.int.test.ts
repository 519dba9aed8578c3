import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../logger.js";
import {
  createTestComponents,
  getTestServer,
  jsonBody,
  type TestComponents,
  type TestServer,
  unreachableRedis,
} from "../test/support.js";
import {
  configureWhatsapp,
  inboundPayload,
  postWebhook,
  type TestWhatsappSecrets,
} from "../test/whatsapp.js";
import { errorHandler } from "./errorHandler.js";
import { rateLimit, WebhookRejectionLimiter } from "./rateLimit.js";

let components: TestComponents;
let server: TestServer;
let secrets: TestWhatsappSecrets;
const logger = createLogger({ LOG_LEVEL: "silent", TENANT_ID: "test" });

beforeAll(async () => {
  components = await createTestComponents({
    env: {
      RATE_LIMIT_LOGIN_PER_MINUTE: "3",
      RATE_LIMIT_WEBHOOK_VERIFY_PER_MINUTE: "2",
      RATE_LIMIT_WEBHOOK_REJECTED_PER_MINUTE: "3",
    },
  });
  server = await getTestServer(components);
  secrets = await configureWhatsapp(components, {}, server.whatsappSettings);
});

afterAll(async () => {
  await server?.close();
  await components?.cleanup();
});

/** A small app behind one limiter; `trust proxy` lets tests pose as several addresses. */
async function limitedApp(handler: express.RequestHandler) {
  const app = express();
  app.set("trust proxy", true);
  app.get("/limited", handler, (_req, res) => {
    res.json({ ok: true });
  });
  app.post("/hook", handler, (req, res) => {
    res.status(req.query.fail === "1" ? 401 : 200).end();
  });
  app.use(errorHandler(logger));
  const httpServer = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => httpServer.once("listening", resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => httpServer.close(resolve)),
  };
}

const from = (ip: string) => ({ headers: { "X-Forwarded-For": ip } });

describe("rate limits on public endpoints", () => {
  it("refuses the sign-in after the limit with 429 rate_limited and Retry-After", async () => {
    const attempt = () =>
      fetch(`${server.url}/api/session`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email: "ninguem@example.com", password: "errada" }),
      });
    for (let i = 0; i < 3; i++) expect((await attempt()).status).toBe(401);
    const refused = await attempt();
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = await jsonBody(refused);
    expect(body.error).toBe("rate_limited");
    expect(body.data.retryAfterSeconds).toBe(retryAfter);
    // Other API routes are not part of the sign-in limit.
    expect((await fetch(`${server.url}/api/me`)).status).toBe(401);
  });

  it("limits the webhook verification handshake per address", async () => {
    const verify = () =>
      fetch(
        `${server.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${secrets.verifyToken}&hub.challenge=42`,
      );
    expect((await verify()).status).toBe(200);
    expect((await verify()).status).toBe(200);
    const refused = await verify();
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  it("never throttles signed deliveries, even from an address that sent garbage", async () => {
    for (let i = 0; i < 3; i++) {
      const garbage = await postWebhook(server.url, secrets.appSecret, {}, { signature: null });
      expect(garbage.status).toBe(401);
    }
    // Over the limit: unsigned deliveries are refused before their body is read.
    const refused = await postWebhook(server.url, secrets.appSecret, {}, { signature: null });
    expect(refused.status).toBe(429);
    expect((await jsonBody(refused)).error).toBe("rate_limited");

    // A burst of Meta's deliveries from the same address all get through.
    const responses = await Promise.all(
      Array.from({ length: 300 }, (_, index) =>
        postWebhook(
          server.url,
          secrets.appSecret,
          inboundPayload([{ type: "text", text: { body: `rajada ${index}` } }], {
            waId: `55119${String(index).padStart(8, "0")}`,
          }),
        ),
      ),
    );
    expect(responses.filter((response) => response.status !== 200)).toEqual([]);
    expect(Number((await components.db("whatsapp_inbox_events").count({ n: "*" }))[0]?.n)).toBe(
      300,
    );
    // A forged but well-formed signature is still checked (401), not waved through.
    const forged = await postWebhook(
      server.url,
      secrets.appSecret,
      {},
      { signature: `sha256=${"0".repeat(64)}` },
    );
    expect(forged.status).toBe(401);
  });

  it("counts each address separately and starts again when the window ends", async () => {
    const app = await limitedApp(
      rateLimit({
        redis: components.redis,
        prefix: components.env.REDIS_PREFIX,
        group: "unit",
        limit: 2,
        windowMs: 1_500,
        logger,
      }),
    );
    try {
      // Start right after a window turns, so the three requests share one.
      await new Promise((resolve) => setTimeout(resolve, 1_500 - (Date.now() % 1_500) + 20));
      const statuses = async (ip: string, count: number) => {
        const result: number[] = [];
        for (let i = 0; i < count; i++) {
          result.push((await fetch(`${app.url}/limited`, from(ip))).status);
        }
        return result;
      };
      expect(await statuses("203.0.113.1", 3)).toEqual([200, 200, 429]);
      expect(await statuses("203.0.113.2", 2)).toEqual([200, 200]);
      await new Promise((resolve) => setTimeout(resolve, 1_600));
      expect(await statuses("203.0.113.1", 1)).toEqual([200]);
    } finally {
      await app.close();
    }
  });

  it("lets requests through when Redis is unreachable", async () => {
    const redis = unreachableRedis();
    const app = await limitedApp(
      rateLimit({ redis, prefix: "x", group: "down", limit: 1, windowMs: 60_000, logger }),
    );
    try {
      expect((await fetch(`${app.url}/limited`)).status).toBe(200);
      expect((await fetch(`${app.url}/limited`)).status).toBe(200);
    } finally {
      redis.disconnect();
      await app.close();
    }
  }, 20_000);

  it("forgets refused webhook deliveries when the window ends, per address", async () => {
    const limiter = new WebhookRejectionLimiter({ limit: 1, windowMs: 1_000 });
    const app = await limitedApp(limiter.guard);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_000 - (Date.now() % 1_000) + 20));
      const post = (ip: string, fail: boolean) =>
        fetch(`${app.url}/hook${fail ? "?fail=1" : ""}`, { method: "POST", ...from(ip) });
      expect((await post("198.51.100.7", true)).status).toBe(401);
      expect((await post("198.51.100.7", false)).status).toBe(429);
      expect((await post("198.51.100.8", false)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect((await post("198.51.100.7", false)).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
