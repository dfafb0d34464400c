import { BudgetExceeded, type ExpressionBudget } from "./budget";

/** Continuous CPU time (ms) an evaluation runs before it yields the event loop. */
const SLICE_MS = 2;

/** Runs `callback` after pending I/O (setImmediate where it exists: Node; else a 0 ms timer). */
const yieldNow: (callback: () => void) => void =
  typeof setImmediate === "function"
    ? (callback) => setImmediate(callback)
    : (callback) => setTimeout(callback, 0);

/**
 * Shares the event loop between long evaluations and everything else. An evaluation that has
 * run a slice waits for its turn; turns are spaced so that long evaluations together take at
 * most about half of the wall time, and the I/O of other conversations runs between slices.
 * Short evaluations (the usual mapping, microseconds) never reach a slice and never wait.
 */
class SliceScheduler {
  private nextFreeAt = 0;

  /** Resolves when the caller, which just ran `ranMs` of CPU, may run its next slice. */
  wait(ranMs: number): Promise<void> {
    const now = performance.now();
    const startAt = Math.max(now, this.nextFreeAt) + ranMs;
    this.nextFreeAt = startAt;
    const delay = startAt - now;
    return new Promise((resolve) => {
      if (delay < 1) yieldNow(resolve);
      else setTimeout(resolve, delay);
    });
  }
}

const scheduler = new SliceScheduler();

/**
 * Meters one evaluation: called at every JSONata evaluation step, it counts the CPU time the
 * evaluation uses (not the time it waits), stops it past `budget.timeoutMs` or
 * `budget.maxWallMs`, and makes it yield after each slice. Each built-in call between two steps
 * is bounded by the size caps, so the time between two checks is bounded too.
 */
export class CpuMeter {
  private usedMs = 0;
  private sliceStartedAt: number;
  private readonly startedAt: number;

  constructor(private readonly budget: ExpressionBudget) {
    this.startedAt = performance.now();
    this.sliceStartedAt = this.startedAt;
  }

  /** CPU time used so far, in ms. */
  cpuMs(now = performance.now()): number {
    return this.usedMs + (now - this.sliceStartedAt);
  }

  /** Called before each step: throws past the budget, or returns a promise when it is time to yield. */
  step(): Promise<void> | undefined {
    const now = performance.now();
    const slice = now - this.sliceStartedAt;
    if (this.usedMs + slice > this.budget.timeoutMs) {
      throw new BudgetExceeded(
        "EXPRESSION_TIMEOUT",
        `Expression used more than ${this.budget.timeoutMs} ms of CPU time`,
      );
    }
    if (slice < SLICE_MS) return undefined;
    if (now - this.startedAt > this.budget.maxWallMs) {
      throw new BudgetExceeded(
        "EXPRESSION_TIMEOUT",
        `Expression ran longer than ${this.budget.maxWallMs} ms (waits included)`,
      );
    }
    this.usedMs += slice;
    return scheduler.wait(slice).then(() => {
      this.sliceStartedAt = performance.now();
    });
  }
}
