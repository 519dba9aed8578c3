import os from "node:os";

/** The p-th percentile (nearest rank) of `values`, rounded to 0.01; NaN when empty. */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return rankOf(sorted, p);
}

/** The p-th percentile of values already sorted ascending. */
export function rankOf(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const value = sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  return Math.round(value * 100) / 100;
}

/** p50, p90, p99 and max of `values`. */
export function summary(values: ArrayLike<number>) {
  const sorted = Float64Array.from(values).sort();
  return {
    p50: rankOf(sorted, 50),
    p90: rankOf(sorted, 90),
    p99: rankOf(sorted, 99),
    max: rankOf(sorted, 100),
  };
}

/** The machine a result was measured on. */
export function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
  };
}
