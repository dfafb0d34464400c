import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
} from "cockatiel";
import { ProviderError } from "../providers/provider-error";

/** Breaker settings (from the route policy). */
export interface BreakerSettings {
  failures: number;
  halfOpenAfterMs: number;
}

/** State of one model's circuit, for the studio and tests. */
export type BreakerState = "closed" | "open" | "half-open" | "isolated";

const STATE_NAMES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: "closed",
  [CircuitState.Open]: "open",
  [CircuitState.HalfOpen]: "half-open",
  [CircuitState.Isolated]: "isolated",
};

/**
 * One cockatiel circuit breaker per tenant + provider + model. Only health failures count (429,
 * 5xx, timeouts, network errors): a refusal or invalid JSON says nothing about the service's health.
 * The first settings seen for a key win. Bounded: the least recently created breakers are dropped.
 */
export class BreakerRegistry {
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();

  constructor(private readonly maxEntries = 10_000) {}

  /** The breaker for a model, created with `settings` when new. */
  get(key: string, settings: BreakerSettings): CircuitBreakerPolicy {
    let breaker = this.breakers.get(key);
    if (!breaker) {
      breaker = circuitBreaker(
        handleWhen((error) => error instanceof ProviderError && error.unhealthy),
        { halfOpenAfter: settings.halfOpenAfterMs, breaker: new ConsecutiveBreaker(settings.failures) },
      );
      if (this.breakers.size >= this.maxEntries) {
        const oldest = this.breakers.keys().next().value;
        if (oldest !== undefined) this.breakers.delete(oldest);
      }
      this.breakers.set(key, breaker);
    }
    return breaker;
  }

  /** Current state of a model's circuit (`closed` when it was never used). */
  stateOf(key: string): BreakerState {
    const breaker = this.breakers.get(key);
    return breaker ? STATE_NAMES[breaker.state] : "closed";
  }
}

/** Whether an error is cockatiel refusing a call because the circuit is open. */
export function isBrokenCircuit(error: unknown): boolean {
  return error instanceof BrokenCircuitError;
}

/** Key of a model's breaker and latency statistics. */
export function modelKey(tenantId: string, provider: string, model: string): string {
  return `${tenantId}\u0000${provider}\u0000${model}`;
}
