import { describe, expect, it, vi } from "vitest";
import { createLogger } from "../../logger.js";
import { buildTestEnv } from "../../test/support.js";
import { InboundDispatcher } from "./InboundDispatcher.js";

/** A processing run the test finishes by hand. */
interface Run {
  keys: string[];
  finish(failedKeys?: string[]): void;
  fail(error: Error): void;
}

function dispatcher(
  maxInline: number,
  maxWaitMs = 20,
  maxWaitingKeys = 32,
  rate: { maxInlinePerSecond?: number; now?: () => number } = {},
) {
  const runs: Run[] = [];
  const queued: string[][] = [];
  let queueClosed = false;
  const inbound = new InboundDispatcher({
    processHere: (keys) =>
      new Promise((resolve, reject) => {
        runs.push({
          keys,
          finish: (failedKeys = []) => resolve({ failedKeys }),
          fail: reject,
        });
      }),
    queue: {
      add: (keys) => {
        if (keys.length > 0) queued.push([...keys]);
      },
      close: async () => {
        queueClosed = true;
      },
    },
    logger: createLogger(buildTestEnv()),
    maxInline,
    maxWaitMs,
    maxWaitingKeys,
    ...rate,
  });
  return { inbound, runs, queued, queueClosed: () => queueClosed };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("InboundDispatcher", () => {
  it("processes a quiet tenant's events here at once, queueing nothing", async () => {
    const { inbound, runs, queued } = dispatcher(1);
    inbound.add(["m:1", "m:2"]);
    expect(runs.map((run) => run.keys)).toEqual([["m:1", "m:2"]]);
    runs[0]?.finish();
    await settle();
    inbound.add(["m:3"]);
    expect(runs.map((run) => run.keys)).toEqual([["m:1", "m:2"], ["m:3"]]);
    expect(queued).toEqual([]);
  });

  it("gathers events arriving during a batch into the next batch here", async () => {
    const { inbound, runs, queued } = dispatcher(1);
    inbound.add(["m:1"]);
    inbound.add(["m:2"]);
    inbound.add(["m:3"]);
    expect(runs.map((run) => run.keys)).toEqual([["m:1"]]);
    runs[0]?.finish();
    await settle();
    expect(runs.map((run) => run.keys)).toEqual([["m:1"], ["m:2", "m:3"]]);
    expect(queued).toEqual([]);
  });

  it("queues for the worker role the events that waited too long: this process does not keep up", async () => {
    vi.useFakeTimers();
    try {
      const { inbound, runs, queued } = dispatcher(1, 20);
      inbound.add(["m:1"]);
      inbound.add(["m:2"]);
      vi.advanceTimersByTime(19);
      expect(queued).toEqual([]);
      inbound.add(["m:3"]);
      vi.advanceTimersByTime(1);
      expect(queued).toEqual([["m:2", "m:3"]]);
      runs[0]?.finish();
      await vi.runAllTimersAsync();
      expect(runs).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it("queues at once what waits beyond the cap: a burst goes to the worker role", () => {
    const { inbound, runs, queued } = dispatcher(1, 20, 3);
    inbound.add(["m:1"]);
    inbound.add(["m:2", "m:3"]);
    inbound.add(["m:4"]);
    expect(queued).toEqual([]);
    inbound.add(["m:5"]);
    expect(queued).toEqual([["m:2", "m:3", "m:4", "m:5"]]);
    expect(runs.map((run) => run.keys)).toEqual([["m:1"]]);
  });

  it("queues the events that failed here, so the job retries them", async () => {
    const { inbound, runs, queued } = dispatcher(1);
    inbound.add(["m:1", "m:2", "m:3"]);
    runs[0]?.finish(["m:2"]);
    await settle();
    expect(queued).toEqual([["m:2"]]);
  });

  it("queues the whole batch when processing here throws (announcing, a lost connection)", async () => {
    const { inbound, runs, queued } = dispatcher(1);
    inbound.add(["m:1", "m:2"]);
    runs[0]?.fail(new Error("Redis went away"));
    await settle();
    expect(queued).toEqual([["m:1", "m:2"]]);
  });

  it("queues everything while the tenant is busy (over the rate), and takes events here again once it calms", async () => {
    let clock = 10_000;
    const { inbound, runs, queued } = dispatcher(1, 20, 32, {
      maxInlinePerSecond: 5,
      now: () => clock,
    });
    for (let i = 1; i <= 7; i++) {
      inbound.add([`m:${i}`]);
      runs.at(-1)?.finish();
      await settle();
      clock += 100;
    }
    // Five a second are processed here; the sixth and seventh within the same second are not.
    expect(runs.flatMap((run) => run.keys)).toEqual(["m:1", "m:2", "m:3", "m:4", "m:5"]);
    expect(queued).toEqual([["m:6"], ["m:7"]]);
    // Still busy half a second later: the last second held seven.
    clock = 11_200;
    inbound.add(["m:8"]);
    expect(queued.at(-1)).toEqual(["m:8"]);
    // Two quiet seconds later it is processed here again.
    clock = 13_500;
    inbound.add(["m:9"]);
    expect(runs.at(-1)?.keys).toEqual(["m:9"]);
  });

  it("sends everything to the queue when inline processing is off (0)", () => {
    const { inbound, runs, queued } = dispatcher(0);
    inbound.add(["m:1"]);
    inbound.add(["m:2"]);
    expect(runs).toEqual([]);
    expect(queued).toEqual([["m:1"], ["m:2"]]);
  });

  it("on close, queues what waits and finishes the batches in progress, then closes the queue", async () => {
    const { inbound, runs, queued, queueClosed } = dispatcher(1);
    inbound.add(["m:1"]);
    inbound.add(["m:2"]);
    let closed = false;
    const closing = inbound.close().then(() => {
      closed = true;
    });
    await settle();
    expect(closed).toBe(false);
    expect(queueClosed()).toBe(false);
    expect(queued).toEqual([["m:2"]]);
    runs[0]?.finish();
    await closing;
    expect(queueClosed()).toBe(true);
    expect(runs).toHaveLength(1);
  });
});
