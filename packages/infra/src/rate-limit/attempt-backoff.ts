import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from "rate-limiter-flexible";
import { z } from "zod";
import { InfraError } from "../internal/infra-error";
import { assertKey } from "../internal/keys";
import type { RateLimitStore } from "./flexible-rate-limiter";

/** Options of an {@link AttemptBackoff}; validated when it is created. */
export const attemptBackoffOptionsSchema = z.object({
  /** Names the backoff in keys and errors, e.g. `sign-in-account`. */
  name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, '_' or '-'"),
  /** Attempts that pass without any wait. */
  freeAttempts: z.number().int().positive(),
  /** The wait after the last free attempt; it doubles after every further attempt. */
  baseDelaySeconds: z.number().int().positive().default(1),
  /** The longest wait. */
  maxDelaySeconds: z.number().int().positive(),
  /** How long a key's attempts are remembered after its first one. */
  lifetimeSeconds: z.number().int().positive(),
});

/** Options of an {@link AttemptBackoff} (see {@link attemptBackoffOptionsSchema}). */
export type AttemptBackoffOptions = z.input<typeof attemptBackoffOptionsSchema>;

/** The answer of {@link AttemptBackoff.attempt}. */
export type AttemptDecision =
  | {
      readonly allowed: true;
      /** Gives the attempt back (it did not count: it succeeded, or another check refused it). */
      refund(): Promise<void>;
    }
  | { readonly allowed: false; readonly retryAfterMs: number; readonly retryAfterSeconds: number };

/**
 * Exponential backoff of attempts per key (sign-in per account, per client address): the first
 * `freeAttempts` pass; after them one attempt passes per waiting period, which starts at
 * `baseDelaySeconds` and doubles up to `maxDelaySeconds`; the others are refused with the wait.
 * Attempts count when they start, so parallel requests cannot slip through together; a success
 * calls {@link AttemptBackoff.reset} (forget the key) or the decision's `refund` (take back one).
 */
export interface AttemptBackoff {
  readonly options: z.output<typeof attemptBackoffOptionsSchema>;
  /** Claims an attempt for `key`, or says how long to wait. */
  attempt(key: string): Promise<AttemptDecision>;
  /** Forgets every attempt of `key`. */
  reset(key: string): Promise<void>;
}

/** The wait after gated attempt `n` (1-based): base * 2^(n-1), capped. */
export function backoffDelaySeconds(
  options: Pick<z.output<typeof attemptBackoffOptionsSchema>, "baseDelaySeconds" | "maxDelaySeconds">,
  n: number,
): number {
  return Math.min(options.maxDelaySeconds, options.baseDelaySeconds * 2 ** Math.min(n - 1, 40));
}

/**
 * Builds an {@link AttemptBackoff} over rate-limiter-flexible (Redis-backed in cluster mode, so
 * every process sees the same counters; in-process otherwise). Three counters per key, as in
 * rate-limiter-flexible's ExpressBruteFlexible: free attempts, gated attempts, and a gate whose
 * first claimant in a waiting period passes (an atomic increment decides, so concurrent attempts
 * cannot all pass).
 * @throws InfraError `INVALID_OPTIONS` naming the bad option.
 */
export function createAttemptBackoff(store: RateLimitStore, options: AttemptBackoffOptions): AttemptBackoff {
  const parsed = attemptBackoffOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InfraError(
      "INVALID_OPTIONS",
      `attempt backoff option "${issue.path.join(".")}" ${issue.message}`,
    );
  }
  const settings = parsed.data;
  const limiter = (part: string, points: number, duration: number): RateLimiterAbstract => {
    const keyPrefix = `${settings.name}:${part}`;
    return store.kind === "memory"
      ? new RateLimiterMemory({ points, duration, keyPrefix })
      : new RateLimiterRedis({
          points,
          duration,
          storeClient: store.redis,
          keyPrefix: `${store.keyPrefix}bo:${keyPrefix}`,
          rejectIfRedisNotReady: true,
          insuranceLimiter: new RateLimiterMemory({ points, duration, keyPrefix }),
        });
  };
  const free = limiter("free", settings.freeAttempts, settings.lifetimeSeconds);
  const gated = limiter("gated", Number.MAX_SAFE_INTEGER, settings.lifetimeSeconds);
  const gate = limiter("gate", 1, settings.maxDelaySeconds);

  const refused = (msBeforeNext: number): AttemptDecision => {
    const retryAfterMs = Math.max(1, Math.ceil(msBeforeNext));
    return { allowed: false, retryAfterMs, retryAfterSeconds: Math.ceil(retryAfterMs / 1000) };
  };

  return {
    options: settings,
    async attempt(key) {
      assertKey(key, `attempt backoff "${settings.name}"`);
      const freeUse = await consumeOrNull(free, key);
      if (freeUse) {
        // The last free attempt starts the first wait: the next one comes no sooner than base.
        if (freeUse.remainingPoints === 0) {
          await gate.penalty(key, 1, { customDuration: backoffDelaySeconds(settings, 1) });
          await gated.penalty(key, 1);
        }
        return {
          allowed: true,
          refund: async () => {
            await free.reward(key, 1);
          },
        };
      }
      const waiting = await gate.get(key);
      if (waiting && waiting.consumedPoints > 0 && waiting.msBeforeNext > 0) {
        return refused(waiting.msBeforeNext);
      }
      const done = (await gated.get(key))?.consumedPoints ?? 0;
      const claim = await gate.penalty(key, 1, {
        customDuration: backoffDelaySeconds(settings, done + 1),
      });
      // Another attempt claimed this period between the read and the claim.
      if (claim.consumedPoints !== 1) return refused(claim.msBeforeNext);
      await gated.penalty(key, 1);
      return {
        allowed: true,
        refund: async () => {
          await gated.reward(key, 1);
        },
      };
    },
    async reset(key) {
      assertKey(key, `attempt backoff "${settings.name}"`);
      await Promise.all([free.delete(key), gated.delete(key), gate.delete(key)]);
    },
  };
}

/** Consumes a point, or null when the limiter refuses (rejections other than the limit rethrow). */
async function consumeOrNull(limiter: RateLimiterAbstract, key: string): Promise<RateLimiterRes | null> {
  try {
    return await limiter.consume(key, 1);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return null;
    throw rejection;
  }
}
