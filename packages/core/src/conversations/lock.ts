import { SpanStatusCode, trace } from "@opentelemetry/api";
import { type Lock, LockTimeoutError, type RateLimiter } from "@parley/infra";
import type { CoreDeps, ServiceContext } from "../context";
import { ServiceError } from "../errors";

// A short lease: a process that dies holding it blocks the conversation only this long.
const LOCK_OPTIONS = { ttlMs: 6_000, waitMs: 5_000 };

/**
 * Runs `fn` holding the conversation's lock (Redis in cluster mode, in-process when embedded), so
 * one conversation's messages are processed strictly one after another whichever process gets
 * them; a lock that stays busy becomes `conversation-busy` (internal).
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
      (lock) => {
        endWait();
        return fn(lock);
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
