import type { BreakerState, IntegrationSettings } from "@parley/contract";
import { integrationSettingsSchema } from "@parley/contract";
import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleAll,
} from "cockatiel";
import type { CoreDeps } from "../context";
import { publishBreakerClosed, publishBreakerOpen, sharedBreakerOpen } from "./shared-breaker";

/** The settings of an integration with every default filled in. */
export const settingsOf = (settings: unknown): IntegrationSettings =>
  integrationSettingsSchema.parse(settings ?? {});

interface BreakerEntry {
  policy: CircuitBreakerPolicy;
  signature: string;
  halfOpenAfterMs: number;
  /** When it last opened (epoch ms). */
  openedAt: number;
}

const breakers = new WeakMap<CoreDeps, Map<string, BreakerEntry>>();

/**
 * The circuit breaker of an integration in this process (cockatiel), its opening shared with the
 * other processes (see shared-breaker): opens after
 * `failureThreshold` consecutive failed calls (all attempts failed), fails calls fast while
 * open, and half-opens after `halfOpenAfterMs` to let one call probe. Changing the breaker
 * settings starts a new breaker.
 */
export function breakerOf(
  deps: CoreDeps,
  tenantId: string,
  integrationId: string,
  settings: IntegrationSettings,
): CircuitBreakerPolicy {
  let map = breakers.get(deps);
  if (!map) {
    map = new Map();
    breakers.set(deps, map);
  }
  const key = `${tenantId}:${integrationId}`;
  const signature = `${settings.breaker.failureThreshold}:${settings.breaker.halfOpenAfterMs}`;
  const existing = map.get(key);
  if (existing?.signature === signature) return existing.policy;
  const policy = circuitBreaker(handleAll, {
    halfOpenAfter: settings.breaker.halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(settings.breaker.failureThreshold),
  });
  const entry: BreakerEntry = {
    policy,
    signature,
    halfOpenAfterMs: settings.breaker.halfOpenAfterMs,
    openedAt: 0,
  };
  const failed = (error: unknown) =>
    deps.logger?.warn({ integrationId, error: String(error) }, "could not share the breaker state");
  policy.onBreak(() => {
    entry.openedAt = Date.now();
    void publishBreakerOpen(deps, tenantId, integrationId, entry.halfOpenAfterMs).catch(failed);
  });
  policy.onReset(() => {
    void publishBreakerClosed(deps, tenantId, integrationId).catch(failed);
  });
  map.set(key, entry);
  return policy;
}

/** The breaker state of an integration in this process (internal). */
function localBreakerState(deps: CoreDeps, tenantId: string, integrationId: string): BreakerState {
  const entry = breakers.get(deps)?.get(`${tenantId}:${integrationId}`);
  switch (entry?.policy.state) {
    case CircuitState.Open:
      // cockatiel moves to half-open on the next call once the pause is over; show it as such.
      return Date.now() - entry.openedAt >= entry.halfOpenAfterMs ? "half-open" : "open";
    case CircuitState.Isolated:
      return "open";
    case CircuitState.HalfOpen:
      return "half-open";
    default:
      return "closed";
  }
}

/**
 * The breaker state of an integration across the runtime processes: this process's breaker, or
 * "open" while another process has it open (see shared-breaker); "closed" when it never ran.
 */
export async function breakerStateOf(
  deps: CoreDeps,
  tenantId: string,
  integrationId: string,
): Promise<BreakerState> {
  const local = localBreakerState(deps, tenantId, integrationId);
  if (local !== "closed") return local;
  return (await sharedBreakerOpen(deps, tenantId, integrationId, { fresh: true })) ? "open" : "closed";
}

/**
 * Whether calls of an integration fail fast because another process opened its breaker: only
 * when this process's own breaker is closed (when open or probing, cockatiel decides).
 */
export async function openElsewhere(
  deps: CoreDeps,
  tenantId: string,
  integrationId: string,
): Promise<boolean> {
  if (localBreakerState(deps, tenantId, integrationId) !== "closed") return false;
  return (await sharedBreakerOpen(deps, tenantId, integrationId)) !== null;
}

export { BrokenCircuitError };

/** Methods a retry cannot repeat the effect of. */
const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

/**
 * Whether a failed attempt is tried again: 429 and 503 on any method (the server asked to come
 * back later), other 5xx and network failures only on idempotent methods.
 */
export function retryable(method: string, outcome: { status?: number; networkError?: boolean }): boolean {
  if (outcome.status === 429 || outcome.status === 503) return true;
  if (!IDEMPOTENT.has(method)) return false;
  return outcome.networkError === true || outcome.status === 502 || outcome.status === 504;
}

/** `Retry-After` in ms (seconds or an HTTP date), or undefined. */
export function retryAfterMs(headers: Record<string, string>, now: number): number | undefined {
  const value = Object.entries(headers).find(([name]) => name.toLowerCase() === "retry-after")?.[1];
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before retry `attempt` (1-based): exponential from `initialMs`, capped at `maxMs`,
 * with full jitter over its upper half so processes retrying together spread out; a server's
 * `Retry-After` wins (also capped at `maxMs`).
 */
export function backoffMs(settings: IntegrationSettings, attempt: number, retryAfter?: number): number {
  const { initialMs, maxMs } = settings.backoff;
  if (retryAfter !== undefined) return Math.min(maxMs, retryAfter);
  const exponential = Math.min(maxMs, initialMs * 2 ** (attempt - 1));
  return Math.round(exponential / 2 + (Math.random() * exponential) / 2);
}

/** Resolves after `ms`, or rejects when `signal` aborts first. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
