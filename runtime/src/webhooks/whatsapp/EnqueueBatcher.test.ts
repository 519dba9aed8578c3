import { describe, expect, it } from "vitest";
import { EnqueueBatcher } from "./EnqueueBatcher.js";

/** A flush the test completes by hand, to hold a batch "in flight". */
function manualFlush() {
  const batches: string[][] = [];
  const releases: Array<() => void> = [];
  const flush = (keys: string[]) => {
    batches.push(keys);
    return new Promise<void>((resolve) => releases.push(resolve));
  };
  const releaseNext = async () => {
    releases.shift()?.();
    // Lets the batcher's completion handlers run.
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { batches, flush, releaseNext };
}

describe("EnqueueBatcher", () => {
  it("sends the keys of a request at once when nothing is in flight", () => {
    const batches: string[][] = [];
    const batcher = new EnqueueBatcher({
      flush: async (keys) => {
        batches.push(keys);
      },
      onError: () => {},
      maxDelayMs: 10_000,
    });
    batcher.add(["m:1", "s:2:read"]);
    expect(batches).toEqual([["m:1", "s:2:read"]]);
  });

  it("gathers the keys arriving while a batch is in flight into one batch sent when it completes", async () => {
    const { batches, flush, releaseNext } = manualFlush();
    const batcher = new EnqueueBatcher({ flush, onError: () => {}, maxDelayMs: 10_000 });
    batcher.add(["m:1"]);
    batcher.add(["m:2"]);
    batcher.add(["m:3", "s:4:read"]);
    expect(batches).toEqual([["m:1"]]);
    await releaseNext();
    expect(batches).toEqual([["m:1"], ["m:2", "m:3", "s:4:read"]]);
    await releaseNext();
    batcher.add(["m:5"]);
    expect(batches).toEqual([["m:1"], ["m:2", "m:3", "s:4:read"], ["m:5"]]);
    await releaseNext();
  });

  it("sends keys waiting behind a slow batch after the delay", async () => {
    const { batches, flush, releaseNext } = manualFlush();
    const batcher = new EnqueueBatcher({ flush, onError: () => {}, maxDelayMs: 5 });
    batcher.add(["m:1"]);
    batcher.add(["m:2"]);
    batcher.add(["m:3"]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(batches).toEqual([["m:1"], ["m:2", "m:3"]]);
    await releaseNext();
    await releaseNext();
  });

  it("sends a full batch at once, even while another is in flight", async () => {
    const { batches, flush, releaseNext } = manualFlush();
    const batcher = new EnqueueBatcher({
      flush,
      onError: () => {},
      maxKeys: 2,
      maxDelayMs: 10_000,
    });
    batcher.add(["a"]);
    batcher.add(["b", "c"]);
    expect(batches).toEqual([["a"], ["b", "c"]]);
    await releaseNext();
    await releaseNext();
  });

  it("on close sends what waits behind a batch in flight and resolves once everything is sent", async () => {
    const { batches, flush, releaseNext } = manualFlush();
    const batcher = new EnqueueBatcher({ flush, onError: () => {}, maxDelayMs: 10_000 });
    batcher.add(["a"]);
    batcher.add(["b"]);
    let closed = false;
    const closing = batcher.close().then(() => {
      closed = true;
    });
    expect(batches).toEqual([["a"], ["b"]]);
    await releaseNext();
    expect(closed).toBe(false);
    await releaseNext();
    await closing;
    expect(closed).toBe(true);
  });

  it("reports a failed batch instead of throwing, and keeps sending later ones", async () => {
    const failures: number[] = [];
    const sent: string[][] = [];
    let fail = true;
    const batcher = new EnqueueBatcher({
      flush: (keys) => {
        if (fail) throw new Error("redis away");
        sent.push(keys);
        return Promise.resolve();
      },
      onError: (_error, keys) => failures.push(keys),
    });
    batcher.add(["a", "b"]);
    await batcher.close();
    fail = false;
    batcher.add(["c"]);
    await batcher.close();
    expect(failures).toEqual([2]);
    expect(sent).toEqual([["c"]]);
  });
});
