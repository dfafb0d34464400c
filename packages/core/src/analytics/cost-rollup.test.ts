import { describe, expect, it } from "vitest";
import { histogramQuantile } from "./cost-rollup";

/** The view's bucket of a latency: floor(8 * log2(1 + ms)). */
const bucketOf = (ms: number) => Math.floor((8 * Math.log(1 + ms)) / Math.log(2));
/** A histogram of latencies as the rollups hold it: [bucket, calls, latency sum]. */
function histogram(latencies: number[]): [number, number, number][] {
  const rows = new Map<number, [number, number, number]>();
  for (const ms of latencies) {
    const row = rows.get(bucketOf(ms)) ?? [bucketOf(ms), 0, 0];
    row[1] += 1;
    row[2] += ms;
    rows.set(row[0], row);
  }
  return [...rows.values()];
}
/** percentile_cont over the raw values. */
function exact(latencies: number[], p: number): number {
  const sorted = [...latencies].sort((a, b) => a - b);
  const position = p * (sorted.length - 1);
  const low = Math.floor(position);
  return sorted[low]! + (position - low) * (sorted[Math.ceil(position)]! - sorted[low]!);
}

describe("latency percentiles from the cost rollups' histogram", () => {
  it("is null without calls and exact when each bucket's calls share one latency", () => {
    expect(histogramQuantile([], 0.5)).toBeNull();
    expect(histogramQuantile([[10, 0, 0]], 0.5)).toBeNull();
    const latencies = [5, 100, 100, 300, 2_000];
    for (const p of [0, 0.5, 0.95, 1]) {
      expect(histogramQuantile(histogram(latencies), p)).toBeCloseTo(exact(latencies, p), 9);
    }
  });

  it("stays within one bucket (about 9%) of percentile_cont over many spread latencies", () => {
    // A deterministic spread from 20 ms to 20 s (no Math.random: the same figures every run).
    const latencies = Array.from({ length: 5_000 }, (_, i) => 20 * 1000 ** (((i * 7919) % 5_000) / 5_000));
    for (const p of [0.5, 0.95, 0.99]) {
      const approx = histogramQuantile(histogram(latencies), p)!;
      expect(Math.abs(approx - exact(latencies, p)) / exact(latencies, p)).toBeLessThan(0.09);
    }
  });
});
