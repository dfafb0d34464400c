import { z } from "zod";

/**
 * Fixed-window rate limiting per key: at most `points` per `durationSeconds` window, the window
 * starting at a key's first consumption.
 */
export interface RateLimiter {
  /** The options this limiter was built with. */
  readonly options: RateLimiterOptions;
  /**
   * Spends `points` (default 1) for `key` and says whether the action may go ahead. A refused call
   * still counts, so a client hammering a limit stays limited.
   */
  consume(key: string, points?: number): Promise<RateLimitDecision>;
  /**
   * Gives back `points` (default 1) consumed for `key`, e.g. when a request spent several buckets at
   * once and a narrower one refused it. Meant for points just consumed: a refund that lands after
   * the window ended gives the next window as many extra points.
   */
  refund(key: string, points?: number): Promise<void>;
  /** Forgets everything consumed for `key` (e.g. after a successful login). */
  reset(key: string): Promise<void>;
}

/** The answer of {@link RateLimiter.consume}; carries what HTTP `429` and `RateLimit-*` headers need. */
export interface RateLimitDecision {
  /** Whether the action may proceed. */
  allowed: boolean;
  /** Points per window. */
  limit: number;
  /** Points left in the current window (0 when refused). */
  remaining: number;
  /** Milliseconds until a retry can succeed; 0 when allowed. */
  retryAfterMs: number;
  /** Whole seconds for a `Retry-After` header: `ceil(retryAfterMs / 1000)`, at least 1 when refused. */
  retryAfterSeconds: number;
  /** Milliseconds until the current window (or block) ends. */
  resetAfterMs: number;
}

/** Options for a rate limiter; validated when the limiter is created. */
export const rateLimiterOptionsSchema = z.object({
  /** Names the limit in keys and errors, e.g. `api-key` or `conversation`. */
  name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, '_' or '-'"),
  /** Points allowed per window. */
  points: z.number().int().positive(),
  /** Window length in whole seconds (Redis expiry works in seconds). */
  durationSeconds: z.number().int().positive(),
  /** After exceeding the limit, refuse the key for this many seconds instead of until the window ends. */
  blockSeconds: z.number().int().nonnegative().optional(),
});

/** Options for a rate limiter (see {@link rateLimiterOptionsSchema}). */
export type RateLimiterOptions = z.infer<typeof rateLimiterOptionsSchema>;
