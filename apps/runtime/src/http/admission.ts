import { HttpProblem } from "./problem";

/**
 * Admission control for API requests: at most `limit` run at once, the rest wait in arrival order
 * for up to `maxWaitMs` and are then refused with 503 + Retry-After. Under overload this keeps
 * database transactions from timing out mid-turn (a refused request did nothing and can be resent).
 */
export class Admission {
  private running = 0;
  private readonly waiting: { resolve: () => void; timer: NodeJS.Timeout }[] = [];

  constructor(
    private readonly limit: number,
    private readonly maxWaitMs: number,
  ) {}

  /** Requests running right now. */
  get inFlight(): number {
    return this.running;
  }

  /** Runs `fn` once admitted. @throws HttpProblem 503 `overloaded` when the wait is too long. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      await new Promise<void>((resolve, reject) => {
        const entry = {
          resolve,
          timer: setTimeout(() => {
            this.waiting.splice(this.waiting.indexOf(entry), 1);
            reject(
              new HttpProblem(503, "overloaded", "the runtime is at capacity; retry shortly", {
                retryAfterSeconds: 1,
              }),
            );
          }, this.maxWaitMs),
        };
        this.waiting.push(entry);
      });
    } else {
      this.running += 1;
    }
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) {
        clearTimeout(next.timer);
        next.resolve(); // the slot passes to the next request
      } else {
        this.running -= 1;
      }
    }
  }
}
