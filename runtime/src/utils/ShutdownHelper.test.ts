import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it, vi } from "vitest";
import { createLogger } from "../logger.js";
import { ShutdownHelper } from "./ShutdownHelper.js";

const logger = createLogger({ LOG_LEVEL: "silent", TENANT_ID: "test" });

describe("ShutdownHelper", () => {
  it("closes phases in order (http, sockets, queues, database, redis) whatever the registration order", async () => {
    const exit = vi.fn();
    const closed: string[] = [];
    const helper = new ShutdownHelper({ logger, timeoutMs: 1_000, exit });
    for (const phase of ["redis", "database", "queues", "sockets", "http"] as const) {
      helper.add(phase, phase, async () => {
        closed.push(phase);
      });
    }
    await helper.shutdown("test");
    expect(closed).toEqual(["http", "sockets", "queues", "database", "redis"]);
    expect(exit).toHaveBeenCalledWith(0);
  });

  it("keeps closing later resources when one step fails", async () => {
    const exit = vi.fn();
    const closed: string[] = [];
    const helper = new ShutdownHelper({ logger, timeoutMs: 1_000, exit });
    helper.add("http", "broken", async () => {
      throw new Error("boom");
    });
    helper.add("database", "db", async () => {
      closed.push("db");
    });
    await helper.shutdown("test");
    expect(closed).toEqual(["db"]);
    expect(exit).toHaveBeenCalledWith(0);
  });

  it("runs once even when signalled twice", async () => {
    const close = vi.fn(async () => {});
    const helper = new ShutdownHelper({ logger, timeoutMs: 1_000, exit: vi.fn() });
    helper.add("http", "http", close);
    await Promise.all([helper.shutdown("SIGTERM"), helper.shutdown("SIGINT")]);
    expect(close).toHaveBeenCalledTimes(1);
  });

  it("forces exit 1 when closing takes longer than the time limit", async () => {
    const exit = vi.fn();
    const helper = new ShutdownHelper({ logger, timeoutMs: 50, exit });
    helper.add("http", "hangs", () => sleep(200));
    await helper.shutdown("test");
    expect(exit.mock.calls).toEqual([[1]]);
  });
});
