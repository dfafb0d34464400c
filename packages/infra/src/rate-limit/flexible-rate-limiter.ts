import type { Redis } from "ioredis";
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterStoreAbstract,
} from "rate-limiter-flexible";
import { InfraError } from "../internal/infra-error";
import { assertKey } from "../internal/keys";
import {
  type RateLimitDecision,
  type RateLimiter,
  type RateLimiterOptions,
  rateLimiterOptionsSchema,
} from "./rate-limiter";

/** Where a limiter keeps its counters. */
export type RateLimitStore = { kind: "memory" } | { kind: "redis"; redis: Redis; keyPrefix: string };

/**
 * Builds a {@link RateLimiter} over rate-limiter-flexible. In Redis mode counters live under
 * `<prefix>rl:<name>:<key>`; while Redis is not ready the limiter falls back to an in-process
 * limiter with the same settings, so an outage degrades to per-process limits instead of failing
 * every request.
 * @throws InfraError `INVALID_OPTIONS` naming the bad option.
 */
export function createRateLimiter(store: RateLimitStore, options: RateLimiterOptions): RateLimiter {
  const parsed = rateLimiterOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InfraError("INVALID_OPTIONS", `rate limiter option "${issue.path.join(".")}" ${issue.message}`);
  }
  const settings = {
    points: parsed.data.points,
    duration: parsed.data.durationSeconds,
    blockDuration: parsed.data.blockSeconds ?? 0,
  };
  const limiter: RateLimiterAbstract | RateLimiterStoreAbstract =
    store.kind === "memory"
      ? new RateLimiterMemory({ ...settings, keyPrefix: parsed.data.name })
      : new RateLimiterRedis({
          ...settings,
          storeClient: store.redis,
          keyPrefix: `${store.keyPrefix}rl:${parsed.data.name}`,
          rejectIfRedisNotReady: true,
          insuranceLimiter: new RateLimiterMemory({ ...settings, keyPrefix: parsed.data.name }),
        });
  return new FlexibleRateLimiter(limiter, parsed.data);
}

class FlexibleRateLimiter implements RateLimiter {
  constructor(
    private readonly limiter: RateLimiterAbstract | RateLimiterStoreAbstract,
    readonly options: RateLimiterOptions,
  ) {}

  async consume(key: string, points = 1): Promise<RateLimitDecision> {
    assertKey(key, `rate limiter "${this.options.name}"`);
    if (!Number.isInteger(points) || points < 1) {
      throw new InfraError("INVALID_POINTS", `rate limiter points must be a positive integer, got ${points}`);
    }
    try {
      return this.decision(true, await this.limiter.consume(key, points));
    } catch (rejection) {
      // rate-limiter-flexible rejects with a RateLimiterRes when the limit is hit, with an Error otherwise.
      if (rejection instanceof RateLimiterRes) return this.decision(false, rejection);
      throw rejection;
    }
  }

  async refund(key: string, points = 1): Promise<void> {
    assertKey(key, `rate limiter "${this.options.name}"`);
    if (!Number.isInteger(points) || points < 1) {
      throw new InfraError("INVALID_POINTS", `rate limiter points must be a positive integer, got ${points}`);
    }
    await this.limiter.reward(key, points);
  }

  async reset(key: string): Promise<void> {
    assertKey(key, `rate limiter "${this.options.name}"`);
    await this.limiter.delete(key);
  }

  private decision(allowed: boolean, result: RateLimiterRes): RateLimitDecision {
    const resetAfterMs = Math.max(0, Math.ceil(result.msBeforeNext));
    const retryAfterMs = allowed ? 0 : Math.max(1, resetAfterMs);
    return {
      allowed,
      limit: this.options.points,
      remaining: allowed ? result.remainingPoints : 0,
      retryAfterMs,
      retryAfterSeconds: allowed ? 0 : Math.ceil(retryAfterMs / 1000),
      resetAfterMs,
    };
  }
}
