import { writeFileSync } from "node:fs";

/** One measured step of `parley start`, in milliseconds since the CLI process started. */
export interface PhaseTiming {
  readonly phase: string;
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * Records how long each start-up phase took (database open, migrate, seed, children ready, ...), so
 * the startup benchmark can say where the seconds go. Times are relative to the process's own start
 * (`performance.now()`), which includes loading the CLI itself.
 */
export class StartupTimings {
  readonly #phases: PhaseTiming[] = [];

  /** Runs `work` and records it as `phase` (also when it fails: the time was spent). */
  async measure<T>(phase: string, work: () => Promise<T> | T): Promise<T> {
    const startMs = performance.now();
    try {
      return await work();
    } finally {
      this.#phases.push({ phase, startMs: Math.round(startMs), endMs: Math.round(performance.now()) });
    }
  }

  /** Records a phase that began at `startMs` and ends now. */
  record(phase: string, startMs: number): void {
    this.#phases.push({ phase, startMs: Math.round(startMs), endMs: Math.round(performance.now()) });
  }

  /** The phases recorded so far, in the order they ended. */
  phases(): readonly PhaseTiming[] {
    return [...this.#phases];
  }

  /**
   * Writes the phases and this process's memory (MB) as JSON to `file` when it is set (`PARLEY_STARTUP_TIMINGS`, used by
   * bench/startup); a write failure never stops the product.
   */
  writeTo(file: string | undefined): void {
    if (!file) return;
    try {
      const memory = Object.fromEntries(
        Object.entries(process.memoryUsage()).map(([kind, bytes]) => [kind, Math.round(bytes / 1_048_576)]),
      );
      const report = { pid: process.pid, phases: this.#phases, memoryMb: memory };
      writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    } catch {
      // a diagnostics file is not worth failing start-up for
    }
  }
}
