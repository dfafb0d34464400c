import { z } from "zod";

/** One model a route may use, with what it can do (for cost-based selection and needs filtering). */
export const routeTargetSchema = z.object({
  /** Name of a configured provider. */
  provider: z.string().min(1),
  /** Model id (Azure: deployment name). */
  model: z.string().min(1),
  /** Context window in tokens (prompt + answer). */
  contextTokens: z.number().int().positive().default(8_192),
  /** Whether the model can be asked for a JSON object. */
  json: z.boolean().default(true),
  /** Whether the model can call tools. */
  tools: z.boolean().default(false),
  /** Per-attempt timeout for this model, overriding the route's. */
  timeoutMs: z.number().int().min(100).max(600_000).optional(),
});
/** One model a route may use. */
export type RouteTarget = z.infer<typeof routeTargetSchema>;

/**
 * A named routing policy (stored as the route row's `policy` JSON). `targets` is the ordered list;
 * `strategy` decides the order each call tries them in:
 * - `fallback`: as listed;
 * - `cost`: cheapest first by the tenant's price table (for the call's estimated tokens);
 * - `latency`: fastest first by a moving average of observed latency (untried models first).
 * Targets that cannot meet the call's needs (context size, JSON mode, tools) are skipped.
 */
export const routePolicySchema = z.object({
  strategy: z.enum(["fallback", "cost", "latency"]).default("fallback"),
  targets: z.array(routeTargetSchema).min(1, "a route needs at least one target"),
  /** Needs every call of this route has on top of what the request implies. */
  requires: z.object({ tools: z.boolean().default(false) }).default({ tools: false }),
  /** Per-attempt timeout (ms). */
  timeoutMs: z.number().int().min(100).max(600_000).default(30_000),
  retry: z
    .object({
      /** Tries per target (1 = no retry). */
      attempts: z.number().int().min(1).max(5).default(2),
      baseDelayMs: z.number().int().min(0).max(60_000).default(200),
      maxDelayMs: z.number().int().min(0).max(60_000).default(5_000),
      /** A Retry-After longer than this moves on to the next target instead of waiting. */
      maxRetryAfterMs: z.number().int().min(0).max(300_000).default(10_000),
    })
    .default({ attempts: 2, baseDelayMs: 200, maxDelayMs: 5_000, maxRetryAfterMs: 10_000 }),
  breaker: z
    .object({
      /** Consecutive health failures (429, 5xx, timeouts, network) that open a model's circuit. */
      failures: z.number().int().min(1).max(100).default(5),
      /** How long an open circuit waits before letting one trial call through (half-open). */
      halfOpenAfterMs: z.number().int().min(100).max(3_600_000).default(30_000),
    })
    .default({ failures: 5, halfOpenAfterMs: 30_000 }),
  cache: z
    .object({
      enabled: z.boolean().default(false),
      ttlSeconds: z
        .number()
        .int()
        .min(1)
        .max(30 * 24 * 3600)
        .default(3_600),
    })
    .default({ enabled: false, ttlSeconds: 3_600 }),
  /** Mask personal data before the prompt leaves the platform, and restore it in the answer. */
  pii: z
    .object({
      enabled: z.boolean().default(false),
      kinds: z
        .array(z.enum(["email", "phone", "card", "iban", "national_id", "name"]))
        .default(["email", "phone", "card", "iban", "national_id", "name"]),
    })
    .default({ enabled: false, kinds: ["email", "phone", "card", "iban", "national_id", "name"] }),
});
/** A named routing policy (input form, defaults optional: what the studio edits). */
export type RoutePolicyInput = z.input<typeof routePolicySchema>;
/** A named routing policy. */
export type RoutePolicy = z.infer<typeof routePolicySchema>;
