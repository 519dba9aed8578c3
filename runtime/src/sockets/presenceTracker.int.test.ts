import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestComponents, type TestComponents } from "../test/support.js";
import { PRESENCE_TTL_MS, PresenceTracker } from "./presenceTracker.js";

/** Presence in Redis, shared by every web process: several tabs, and a process that died. */
let components: TestComponents;
let presence: PresenceTracker;

beforeAll(async () => {
  components = await createTestComponents({ migrate: false });
  presence = new PresenceTracker(components);
});

afterAll(async () => {
  await components?.cleanup();
});

describe("PresenceTracker", () => {
  it("counts a user online from the first socket to the last, whichever process holds them", async () => {
    expect(await presence.connected(1, "tab-a")).toBe(true);
    expect(await presence.connected(1, "tab-b")).toBe(false);
    expect(await presence.onlineAmong([1, 2])).toEqual(new Set([1]));
    expect(await presence.disconnected(1, "tab-a")).toBe(false);
    expect(await presence.disconnected(1, "tab-a")).toBe(false);
    expect(await presence.disconnected(1, "tab-b")).toBe(true);
    expect(await presence.onlineAmong([1])).toEqual(new Set());
  });

  it("forgets the sockets of a process that died once their heartbeat is overdue, and keeps refreshed ones", async () => {
    const longAgo = Date.now() - PRESENCE_TTL_MS - 1_000;
    await presence.connected(3, "crashed-process-socket", longAgo);
    await presence.connected(4, "live-socket", longAgo);
    await presence.refresh([{ userId: 4, socketId: "live-socket" }]);
    expect(await presence.onlineAmong([3, 4])).toEqual(new Set([4]));
    // The leftover does not keep the user online: the next socket is announced again.
    expect(await presence.connected(3, "new-tab")).toBe(true);
    // A refresh does not bring back a socket that disconnected meanwhile.
    await presence.disconnected(4, "live-socket");
    await presence.refresh([{ userId: 4, socketId: "live-socket" }]);
    expect(await presence.onlineAmong([4])).toEqual(new Set());
  });
});
