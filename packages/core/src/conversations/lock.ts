import { SpanStatusCode, trace } from "@opentelemetry/api";
import { type Lock, LockTimeoutError, type RateLimiter } from "@parley/infra";
import type { CoreDeps, ServiceContext } from "../context";
import { ServiceError } from "../errors";

// A short lease: a process that dies holding it blocks the conversation only this long.
const LOCK_OPTIONS = { ttlMs: 6_000, waitMs: 5_000 };

/**
 * The error of a turn whose lease on the conversation ran out (or whose renewal was refused) before
 * it committed: nothing of the turn was saved and another holder may be running, so the message is
 * refused like one that met a busy lock (`unavailable` + Retry-After: 503) and may be sent again
 * (internal).
 */
export function lockLost(conversationId: string, cause: unknown): ServiceError {
  return new ServiceError(
    "unavailable",
    "conversation-busy",
    `the conversation ${conversationId} could not be kept locked for this message (the server is busy); nothing was saved, retry shortly`,
    { retryAfterSeconds: 1, cause },
  );
}

/**
 * Throws {@link lockLost} when `lock` is no longer held (its signal aborted): call it right before a
 * turn's commit, so a turn whose effects were cut short by the lost lease (an aborted model call
 * takes the flow's error branch) is never committed as the conversation's outcome (internal).
 */
export function assertLockHeld(lock: Lock, conversationId: string): void {
  if (lock.signal.aborted) throw lockLost(conversationId, lock.signal.reason);
}

/**
 * Runs `fn` holding the conversation's lock (Redis in cluster mode, in-process when embedded), so
 * one conversation's messages are processed strictly one after another whichever process gets
 * them; a lock that stays busy becomes `conversation-busy`, and so does a lease lost while `fn` runs
 * (the abort `lock.signal` carries, rethrown by what it cut short; see {@link assertLockHeld})
 * (internal).
 */
export async function withConversationLock<T>(
  ctx: ServiceContext,
  conversationId: string,
  fn: (lock: Lock) => Promise<T>,
): Promise<T> {
  // The span covers the wait for the lock only; the turn's own spans follow it.
  const waiting = trace
    .getTracer("parley")
    .startSpan("parley.turn.lock", { attributes: { "parley.conversation.id": conversationId } });
  let waited = false;
  const endWait = () => {
    if (!waited) waiting.end();
    waited = true;
  };
  try {
    // Keyed by tenant too: another tenant naming this id takes its own (useless) lock, never this one.
    return await ctx.deps.infra.locks.withLock(
      `conversation:${ctx.tenantId}:${conversationId}`,
      async (lock) => {
        endWait();
        try {
          return await fn(lock);
        } catch (error) {
          // The lease's abort surfacing from whatever it interrupted (a model call, the pre-commit check).
          if (lock.signal.aborted && error === lock.signal.reason) throw lockLost(conversationId, error);
          throw error;
        }
      },
      LOCK_OPTIONS,
    );
  } catch (error) {
    if (!waited) waiting.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    endWait();
    if (error instanceof LockTimeoutError) {
      throw new ServiceError(
        "unavailable",
        "conversation-busy",
        "the conversation is busy with another message; retry shortly",
        { retryAfterSeconds: 1, cause: error },
      );
    }
    throw error;
  }
}

const limiters = new WeakMap<CoreDeps, RateLimiter>();

/**
 * Spends one point of the conversation's turn budget or throws `rate-limited` (internal). Call it
 * only after the conversation was loaded for `ctx` (ownership checked); the bucket is keyed by
 * tenant and conversation.
 */
export async function consumeConversationBudget(ctx: ServiceContext, conversationId: string): Promise<void> {
  const deps = ctx.deps;
  let limiter = limiters.get(deps);
  if (!limiter) {
    limiter = deps.infra.rateLimiter({
      name: "conversation",
      points: deps.conversationRateLimit ?? 120,
      durationSeconds: 60,
    });
    limiters.set(deps, limiter);
  }
  const decision = await limiter.consume(`${ctx.tenantId}:${conversationId}`);
  if (!decision.allowed) {
    throw new ServiceError(
      "rate_limited",
      "rate-limited",
      "too many messages in this conversation; slow down",
      {
        retryAfterSeconds: decision.retryAfterSeconds,
      },
    );
  }
}
