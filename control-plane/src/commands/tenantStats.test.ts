import { describe, expect, it } from "vitest";
import { cpuPercentOf, memoryBytesOf } from "./tenantStats.js";

describe("docker stats arithmetic", () => {
  it("computes CPU percent like the Docker CLI (share of the host times online CPUs)", () => {
    expect(
      cpuPercentOf({
        cpu_stats: {
          cpu_usage: { total_usage: 2_000_000 },
          system_cpu_usage: 20_000_000,
          online_cpus: 4,
        },
        precpu_stats: { cpu_usage: { total_usage: 1_000_000 }, system_cpu_usage: 10_000_000 },
      }),
    ).toBe(40);
    // The first sample of a container has no previous one.
    expect(cpuPercentOf({ cpu_stats: {}, precpu_stats: {} })).toBe(0);
  });

  it("subtracts the page cache from memory use (cgroup v1 and v2 field names)", () => {
    expect(
      memoryBytesOf({ memory_stats: { usage: 100, stats: { total_inactive_file: 30 } } }),
    ).toBe(70);
    expect(memoryBytesOf({ memory_stats: { usage: 100, stats: { inactive_file: 40 } } })).toBe(60);
    expect(memoryBytesOf({})).toBe(0);
  });
});
