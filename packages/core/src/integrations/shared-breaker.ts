import type { CoreDeps } from "../context";

/**
 * The open state of an integration's circuit breaker, shared by every runtime process through
 * the shared cache (Redis in cluster mode). Each process keeps its own cockatiel breaker (it counts
 * the failures it sees); when one opens, it publishes "open until" here with the breaker's pause as
 * the entry's lifetime, so the other processes fail fast too instead of each needing its own run of
 * failures against a partner that is down. A successful probe clears it. Reads are memoised for a
 * second per process, so the hot path makes at most one cache read per integration per second.
 */
export interface SharedOpen {
  /** When the breaker opened (epoch ms). */
  openedAt: number;
  /** When calls may probe again (epoch ms). */
  until: number;
}

/** How long a process trusts its last read of the shared state. */
const READ_EVERY_MS = 1_000;

const keyOf = (tenantId: string, integrationId: string) => `integration-breaker:${tenantId}:${integrationId}`;

const memo = new WeakMap<CoreDeps, Map<string, { readAt: number; value: SharedOpen | null }>>();

function memoOf(deps: CoreDeps) {
  let map = memo.get(deps);
  if (!map) {
    map = new Map();
    memo.set(deps, map);
  }
  return map;
}

/** Publishes that the breaker opened in this process (for `halfOpenAfterMs`). */
export async function publishBreakerOpen(
  deps: CoreDeps,
  tenantId: string,
  integrationId: string,
  halfOpenAfterMs: number,
): Promise<void> {
  const now = Date.now();
  const value: SharedOpen = { openedAt: now, until: now + halfOpenAfterMs };
  memoOf(deps).set(keyOf(tenantId, integrationId), { readAt: now, value });
  await deps.infra.cache.set(keyOf(tenantId, integrationId), value, { ttlMs: halfOpenAfterMs });
}

/** Publishes that a probe succeeded: the breaker is closed for every process. */
export async function publishBreakerClosed(
  deps: CoreDeps,
  tenantId: string,
  integrationId: string,
): Promise<void> {
  memoOf(deps).set(keyOf(tenantId, integrationId), { readAt: Date.now(), value: null });
  await deps.infra.cache.delete(keyOf(tenantId, integrationId));
}

/**
 * The shared open state of an integration's breaker, or null when no process has it open
 * (`fresh` skips the memo: the studio's view reads it as it is now).
 */
export async function sharedBreakerOpen(
  deps: CoreDeps,
  tenantId: string,
  integrationId: string,
  options: { fresh?: boolean } = {},
): Promise<SharedOpen | null> {
  const key = keyOf(tenantId, integrationId);
  const now = Date.now();
  const known = memoOf(deps).get(key);
  let value = known && !options.fresh && now - known.readAt < READ_EVERY_MS ? known.value : undefined;
  if (value === undefined) {
    // A cache that cannot answer must not stop calls: the local breaker still protects this process.
    value = (await deps.infra.cache.get<SharedOpen>(key).catch(() => undefined)) ?? null;
    memoOf(deps).set(key, { readAt: now, value });
  }
  return value && value.until > now ? value : null;
}
