import { afterEach, describe, expect, it, vi } from "vitest";
import { everyWithoutOverlap } from "./every-without-overlap";

describe("everyWithoutOverlap", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("skips ticks while a run is still going, reports failures and tries again at the next tick", async () => {
    vi.useFakeTimers();
    let finish: (() => void) | undefined;
    let runs = 0;
    const errors: unknown[] = [];
    const timer = everyWithoutOverlap(
      1_000,
      () => {
        runs += 1;
        if (runs === 2) return Promise.reject(new Error("boom"));
        return new Promise<void>((resolve) => {
          finish = resolve;
        });
      },
      (error) => errors.push(error),
      { now: true },
    );
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(runs).toBe(1);
    finish!();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(2);
    expect(errors).toEqual([new Error("boom")]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(3);
    clearInterval(timer);
  });

  it("waits for the first tick without `now`", async () => {
    vi.useFakeTimers();
    const task = vi.fn(() => Promise.resolve());
    const timer = everyWithoutOverlap(500, task, () => {});
    expect(task).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(500);
    expect(task).toHaveBeenCalledTimes(1);
    clearInterval(timer);
  });
});
