import { BudgetExceeded, type ExpressionBudget } from "./budget";

/**
 * Continuous CPU time (ms) an evaluation runs before it yields the event loop. Measured with
 * bench/engine/expressions.ts (10 runaways, idle machine): 1 ms gave an unrelated turn's p95 6.2x idle,
 * 0.25 ms 2.9-4.1x, 0.1 ms 1.3-2.35x (median 1.5x), at the price of a long but legitimate
 * expression (a 200-step loop, ~0.5 ms of CPU) taking ~5 ms of wall time.
 */
const SLICE_MS = 0.1;
/** After a slice of s ms, long evaluations rest REST_FACTOR × s ms: together they take at most a third of the time. */
const REST_FACTOR = 2;

/** Runs `callback` after pending I/O (setImmediate where it exists: Node; else a 0 ms timer). */
const yieldNow: (callback: () => void) => void =
  typeof setImmediate === "function"
    ? (callback) => setImmediate(callback)
    : (callback) => setTimeout(callback, 0);

/**
 * Shares the event loop between long evaluations and everything else. An evaluation that has
 * run a slice queues for its next one; slices are granted one per event-loop turn (so the I/O of
 * other conversations runs between any two), and after a slice of s ms the next is granted no
 * sooner than 2s ms later, so long evaluations together take at most about a third of the time.
 * Short evaluations (the usual mapping, microseconds) never reach a slice and never wait.
 */
class SliceScheduler {
  private readonly waiting: (() => void)[] = [];
  private granting = false;
  private restUntil = 0;

  /** Resolves when the caller, which just ran `ranMs` of CPU, may run its next slice. */
  wait(ranMs: number): Promise<void> {
    this.restUntil = Math.max(this.restUntil, performance.now() + REST_FACTOR * ranMs);
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      if (!this.granting) {
        this.granting = true;
        yieldNow(this.grant);
      }
    });
  }

  private readonly grant = (): void => {
    // Node computes timer deadlines from when the event loop last woke up, which is stale after a
    // busy slice (a timer can fire early): check the clock and wait again until it is time.
    const rest = this.restUntil - performance.now();
    if (rest > 0) {
      setTimeout(this.grant, Math.ceil(rest));
      return;
    }
    const next = this.waiting.shift();
    if (!next) {
      this.granting = false;
      return;
    }
    next(); // its slice runs in the microtasks right after this callback
    yieldNow(this.grant);
  };
}

const scheduler = new SliceScheduler();

/**
 * Meters one evaluation. Called at every JSONata evaluation step, it counts the CPU time the
 * evaluation uses (not the time it waits), stops it past `budget.timeoutMs` or
 * `budget.maxWallMs`, and makes it yield after each slice; each built-in call between two steps
 * is bounded by the size caps, so the time between two checks is bounded too. Built-ins charge
 * what they allocate ({@link EvaluationMeter.charge}), so many values that are each within the
 * caps cannot add up past `budget.maxAllocated` either.
 */
export class EvaluationMeter {
  private allocated = 0;
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

  /** Counts `units` (characters, or about 8 per array item) of memory a built-in just allocated. */
  charge(units: number): void {
    this.allocated += units;
    if (this.allocated > this.budget.maxAllocated) {
      throw new BudgetExceeded(
        "EXPRESSION_TOO_LARGE",
        `Expression built more than ${this.budget.maxAllocated} characters of values in total`,
      );
    }
  }
}
