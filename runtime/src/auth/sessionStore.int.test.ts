import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSessionStore } from "../app.js";
import { createTestComponents, type TestComponents } from "../test/support.js";
import { hashSessionId, type SessionStore } from "./sessionStore.js";

let components: TestComponents;
let sessions: SessionStore;
const HOUR = 3_600_000;

beforeAll(async () => {
  components = await createTestComponents({
    env: { SESSION_IDLE_MINUTES: "30", SESSION_ABSOLUTE_HOURS: "8" },
  });
  sessions = createSessionStore(components);
});

afterAll(async () => {
  await components?.cleanup();
});

const redisKey = (id: string) => `${components.env.REDIS_PREFIX}:session:${hashSessionId(id)}`;

describe("SessionStore", () => {
  it("expires an idle session through the Redis TTL and refreshes it on use", async () => {
    const { id } = await sessions.create(1, "hash");
    expect(await components.redis.pttl(redisKey(id))).toBeGreaterThan(29 * 60_000);
    await components.redis.pexpire(redisKey(id), 1_000);
    expect(await sessions.touch(id)).toBeDefined();
    expect(await components.redis.pttl(redisKey(id))).toBeGreaterThan(29 * 60_000);
  });

  it("never lets the idle timeout run past the absolute expiry", async () => {
    const createdAt = Date.now();
    const { id } = await sessions.create(1, "hash", createdAt);
    expect(await sessions.touch(id, createdAt + 8 * HOUR - 10_000)).toBeDefined();
    const ttl = await components.redis.pttl(redisKey(id));
    expect(ttl).toBeLessThanOrEqual(10_000);
    expect(ttl).toBeGreaterThan(0);
  });

  it("ends a session once its absolute lifetime is over, however active", async () => {
    const createdAt = Date.now();
    const { id } = await sessions.create(1, "hash", createdAt);
    expect(await sessions.touch(id, createdAt + 8 * HOUR + 1)).toBeUndefined();
    expect(await components.redis.exists(redisKey(id))).toBe(0);
  });

  it("ignores malformed ids without touching Redis keys", async () => {
    expect(await sessions.touch("*")).toBeUndefined();
    expect(await sessions.touch("")).toBeUndefined();
  });
});
