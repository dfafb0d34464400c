import { AsyncLocalStorage } from "node:async_hooks";
import { HttpProblem } from "./problem";

/** Admission settings of one process. */
export interface AdmissionOptions {
  /** Requests doing CPU or database work at once (a request waiting on a model does not count). */
  readonly limit: number;
  /** Longest a new request waits for a slot before 503 + Retry-After, in milliseconds. */
  readonly maxWaitMs: number;
  /**
   * Requests admitted and not finished, including those waiting on I/O: bounds memory. A request
   * past it is refused at once with 503. Default 10,000.
   */
  readonly maxInFlight?: number;
}

/** What one admitted request knows about its own slot (per async context). */
interface SlotState {
  holding: boolean;
  /** Nested or parallel I/O waits of this request; the slot comes back when the last one ends. */
  ioDepth: number;
  /** The request ended (an I/O wait it did not await may still end later; it must not take a slot). */
  finished: boolean;
}

interface Waiter {
  resolve: () => void;
  timer?: NodeJS.Timeout;
}

/**
 * Admission control for API requests. Two bounds:
 * - `limit` requests hold a slot at once (CPU and database work); the rest wait in arrival order
 *   for up to `maxWaitMs` and are then refused with 503 + Retry-After, so under overload database
 *   transactions do not time out mid-turn (a refused request did nothing and can be resent).
 * - `maxInFlight` requests exist at once, slot or not (memory); past it a request is refused at once.
 *
 * A request that waits on an external effect (a model, an http node, knowledge retrieval) gives its
 * slot back for the wait ({@link Admission.duringIoWait}) and takes one again afterwards, ahead of
 * new requests and without a deadline (it already did work worth finishing). So a slow model
 * throttles nothing: concurrency is bounded by memory, not by the model's latency.
 *
 * @example
 * const admission = new Admission({ limit: 8, maxWaitMs: 10_000 });
 * const deps = { ...core, ioWait: (fn) => admission.duringIoWait(fn) };
 * await admission.run(() => handleTurn(deps));
 */
export class Admission {
  private running = 0;
  private admitted = 0;
  private readonly waiting: Waiter[] = [];
  /** Requests coming back from an I/O wait: served before `waiting`. */
  private readonly returning: Waiter[] = [];
  private readonly slots = new AsyncLocalStorage<SlotState>();
  private readonly limit: number;
  private readonly maxWaitMs: number;
  private readonly maxInFlight: number;

  constructor(options: AdmissionOptions) {
    this.limit = options.limit;
    this.maxWaitMs = options.maxWaitMs;
    this.maxInFlight = options.maxInFlight ?? 10_000;
  }

  /** Requests holding a slot right now (doing CPU or database work). */
  get inFlight(): number {
    return this.running;
  }

  /** Requests admitted and not finished, including those waiting on I/O. */
  get admittedCount(): number {
    return this.admitted;
  }

  /**
   * Runs `fn` once admitted, holding a slot except during {@link duringIoWait}.
   * @throws HttpProblem 503 `overloaded` when the wait is too long or too many requests are in flight.
   */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.admitted >= this.maxInFlight) throw overloaded();
    this.admitted += 1;
    const state: SlotState = { holding: false, ioDepth: 0, finished: false };
    try {
      await this.acquire(false);
      state.holding = true;
      return await this.slots.run(state, fn);
    } finally {
      state.finished = true;
      this.admitted -= 1;
      if (state.holding) {
        state.holding = false;
        this.release();
      }
    }
  }

  /**
   * Runs `fn` (an await on something outside this process) without holding the caller's slot, then
   * takes a slot again before returning. Outside an admitted request it just runs `fn`.
   */
  async duringIoWait<T>(fn: () => Promise<T>): Promise<T> {
    const state = this.slots.getStore();
    if (!state || state.finished || (!state.holding && state.ioDepth === 0)) return fn();
    if (state.ioDepth === 0) {
      state.holding = false;
      this.release();
    }
    state.ioDepth += 1;
    try {
      return await fn();
    } finally {
      state.ioDepth -= 1;
      if (state.ioDepth === 0 && !state.finished) {
        await this.acquire(true);
        if (state.finished) this.release();
        else state.holding = true;
      }
    }
  }

  /** Takes a slot: at once if one is free, else after the requests ahead (returning ones first). */
  private acquire(returning: boolean): Promise<void> {
    if (this.running < this.limit && this.waiting.length + this.returning.length === 0) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const entry: Waiter = { resolve };
      if (returning) {
        this.returning.push(entry);
        return;
      }
      entry.timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(entry), 1);
        reject(overloaded());
      }, this.maxWaitMs);
      this.waiting.push(entry);
    });
  }

  /** Gives a slot back: it passes straight to the next waiter, if any. */
  private release(): void {
    const next = this.returning.shift() ?? this.waiting.shift();
    if (!next) {
      this.running -= 1;
      return;
    }
    if (next.timer) clearTimeout(next.timer);
    next.resolve();
  }
}

const overloaded = () =>
  new HttpProblem(503, "overloaded", "the runtime is at capacity; retry shortly", { retryAfterSeconds: 1 });
