/**
 * Exponentially weighted moving average of observed latency per model (successful calls only),
 * for the latency-based strategy. Bounded like the breaker registry.
 */
export class LatencyTracker {
  private readonly averages = new Map<string, number>();

  constructor(
    /** Weight of the newest observation (0..1). */
    private readonly alpha = 0.3,
    private readonly maxEntries = 10_000,
  ) {}

  /** Adds one observation in milliseconds. */
  observe(key: string, latencyMs: number): void {
    const previous = this.averages.get(key);
    if (previous === undefined && this.averages.size >= this.maxEntries) {
      const oldest = this.averages.keys().next().value;
      if (oldest !== undefined) this.averages.delete(oldest);
    }
    this.averages.set(
      key,
      previous === undefined ? latencyMs : previous + this.alpha * (latencyMs - previous),
    );
  }

  /** The moving average, or undefined when the model was never observed. */
  averageOf(key: string): number | undefined {
    return this.averages.get(key);
  }
}
