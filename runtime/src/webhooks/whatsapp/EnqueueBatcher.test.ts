import { describe, expect, it } from "vitest";
import { EnqueueBatcher } from "./EnqueueBatcher.js";

describe("EnqueueBatcher", () => {
  it("sends keys of several requests as one batch after the delay", async () => {
    const batches: string[][] = [];
    const batcher = new EnqueueBatcher({
      flush: async (keys) => {
        batches.push(keys);
      },
      onError: () => {},
      maxDelayMs: 5,
    });
    batcher.add(["m:1"]);
    batcher.add(["m:2", "s:3:read"]);
    expect(batches).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(batches).toEqual([["m:1", "m:2", "s:3:read"]]);
  });

  it("sends a full batch at once, and the rest on close", async () => {
    const batches: string[][] = [];
    const batcher = new EnqueueBatcher({
      flush: async (keys) => {
        batches.push(keys);
      },
      onError: () => {},
      maxKeys: 2,
      maxDelayMs: 10_000,
    });
    batcher.add(["a", "b", "c"]);
    expect(batches).toEqual([["a", "b", "c"]]);
    batcher.add(["d"]);
    await batcher.close();
    expect(batches).toEqual([["a", "b", "c"], ["d"]]);
  });

  it("reports a failed batch instead of throwing", async () => {
    const failures: number[] = [];
    const batcher = new EnqueueBatcher({
      flush: async () => {
        throw new Error("redis away");
      },
      onError: (_error, keys) => failures.push(keys),
    });
    batcher.add(["a", "b"]);
    await batcher.close();
    expect(failures).toEqual([2]);
  });
});
