/**
 * When to restart a supervised process that died, and when to stop trying. Used by `parley start`
 * (runtime and studio children) and by the runtime's cluster primary (its workers), so both behave
 * and report the same way.
 *
 * Policy: the n-th consecutive crash waits `initialDelayMs * 2^(n-1)`, capped at `maxDelayMs`. A
 * process that ran for `stableAfterMs` before dying starts the count again (it was healthy; this is
 * a new incident). More than `maxCrashes` crashes within `windowMs` means restarting does not help
 * (a bad configuration, a broken build, a poison input): the supervisor gives up on that process.
 */
export interface RestartPolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly stableAfterMs: number;
  readonly maxCrashes: number;
  readonly windowMs: number;
}

/** 0.5 s, 1 s, 2 s, ... up to 30 s; reset after a minute up; give up after 5 crashes in 5 minutes. */
export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  stableAfterMs: 60_000,
  maxCrashes: 5,
  windowMs: 5 * 60_000,
};

/** What to do after a crash. */
export type RestartDecision =
  | { readonly action: "restart"; readonly attempt: number; readonly delayMs: number }
  | { readonly action: "give-up"; readonly crashes: number; readonly windowMs: number };

/**
 * The crash history of one supervised process (one per child or worker slot).
 * @example
 * const history = new CrashHistory(DEFAULT_RESTART_POLICY);
 * const decision = history.recordCrash(startedAt);
 * if (decision.action === "restart") setTimeout(respawn, decision.delayMs);
 */
export class CrashHistory {
  readonly #policy: RestartPolicy;
  readonly #now: () => number;
  readonly #crashes: number[] = [];
  #consecutive = 0;

  constructor(policy: RestartPolicy = DEFAULT_RESTART_POLICY, now: () => number = Date.now) {
    this.#policy = policy;
    this.#now = now;
  }

  /** Records that the process started at `startedAt` died unexpectedly now, and decides. */
  recordCrash(startedAt: number): RestartDecision {
    const now = this.#now();
    const policy = this.#policy;
    if (now - startedAt >= policy.stableAfterMs) this.#consecutive = 0;
    this.#consecutive += 1;
    this.#crashes.push(now);
    while (this.#crashes.length > 0 && now - (this.#crashes[0] as number) > policy.windowMs) {
      this.#crashes.shift();
    }
    if (this.#crashes.length > policy.maxCrashes) {
      return { action: "give-up", crashes: this.#crashes.length, windowMs: policy.windowMs };
    }
    const delayMs = Math.min(policy.initialDelayMs * 2 ** (this.#consecutive - 1), policy.maxDelayMs);
    return { action: "restart", attempt: this.#consecutive, delayMs };
  }
}

/** "exit code 1" or "signal SIGKILL", for crash reports. */
export function describeExit(code: number | null, signal: string | null): string {
  if (signal) return `signal ${signal}`;
  return `exit code ${code ?? "unknown"}`;
}

/** A terminal line for a decision, e.g. "restart 2 in 1 s (gives up after 5 crashes within 5 min)". */
export function describeDecision(
  decision: RestartDecision,
  policy: RestartPolicy = DEFAULT_RESTART_POLICY,
): string {
  if (decision.action === "give-up") {
    return `it crashed ${decision.crashes} times within ${minutes(decision.windowMs)}; not restarting it again`;
  }
  return (
    `restart attempt ${decision.attempt} in ${seconds(decision.delayMs)} ` +
    `(gives up after ${policy.maxCrashes} crashes within ${minutes(policy.windowMs)})`
  );
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;
const minutes = (ms: number) => `${Number((ms / 60_000).toFixed(1))} min`;
