/** One dependency the runtime needs before it can serve turns (database, Redis, schema version, ...). */
export interface ReadinessCheck {
  readonly name: string;
  /** Resolves when the dependency is usable; rejects with an error that says what is wrong. */
  check(): Promise<void>;
}

/** Outcome of one readiness check, as reported by `GET /ready`. */
export interface ReadinessResult {
  readonly name: string;
  readonly ok: boolean;
  readonly error?: string;
  readonly durationMs: number;
}

/** Runs every check concurrently, each bounded by `timeoutMs`, and never throws. */
export async function runReadinessChecks(
  checks: readonly ReadinessCheck[],
  timeoutMs = 2_000,
): Promise<ReadinessResult[]> {
  return Promise.all(
    checks.map(async ({ name, check }) => {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          check(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return { name, ok: true, durationMs: performance.now() - started };
      } catch (error) {
        return { name, ok: false, error: (error as Error).message, durationMs: performance.now() - started };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
}
