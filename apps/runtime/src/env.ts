import { coreEnvShape, parseEnv } from "@parley/config";
import { trustedProxiesField } from "@parley/infra";
import { z } from "zod";

const perMinute = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

/** Everything the runtime reads from its environment, validated once at start-up. */
export const runtimeEnvSchema = z.object({
  ...coreEnvShape,
  RUNTIME_HOST: z.string().default("127.0.0.1"),
  /** TCP port; 0 picks a free one (tests, benchmarks). */
  RUNTIME_PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
  /** Largest request body accepted, in bytes. */
  RUNTIME_BODY_LIMIT: z.coerce.number().int().min(1024).default(1_048_576),
  /** How long shutdown waits for in-flight turns before giving up, in milliseconds. */
  RUNTIME_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /**
   * How often the runtime looks for knowledge documents left pending (uploaded by the studio in
   * embedded mode, where only the runtime owns the job queue), in milliseconds.
   */
  RUNTIME_KNOWLEDGE_SWEEP_MS: z.coerce.number().int().min(100).max(600_000).default(2_000),
  /**
   * How often the runtime rolls up the tenants the event stream brought analytics events for (ms; 0 turns
   * rollups off). Every tenant is swept (rollup, compaction, retention) at most every
   * `RUNTIME_ANALYTICS_SWEEP_MS` as a safety net.
   */
  RUNTIME_ANALYTICS_ROLLUP_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  /** How often every tenant is rolled up, compacted and expired, in ms (see RUNTIME_ANALYTICS_ROLLUP_MS). */
  RUNTIME_ANALYTICS_SWEEP_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(600_000),
  /** Wait of the outbox relay between passes when it had nothing to do, in ms (see docs/events.md). */
  RUNTIME_OUTBOX_IDLE_MS: z.coerce.number().int().min(10).max(60_000).default(200),
  /** Processes to run (node:cluster); cluster mode only, embedded mode always runs one. */
  RUNTIME_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  /** Requests per minute per tenant, per API key, and messages per minute per conversation. */
  RUNTIME_RATE_LIMIT_TENANT: perMinute(120_000),
  RUNTIME_RATE_LIMIT_KEY: perMinute(60_000),
  RUNTIME_RATE_LIMIT_CONVERSATION: perMinute(120),
  /**
   * Requests per minute through a bot's publishable key (the widget), all visitors together, and
   * per visitor (bot + client address). Publishable traffic never spends the tenant's bucket.
   */
  RUNTIME_RATE_LIMIT_PUBLISHABLE_BOT: perMinute(60_000),
  RUNTIME_RATE_LIMIT_PUBLISHABLE_CLIENT: perMinute(300),
  /**
   * Reverse proxies whose `X-Forwarded-For`/`-Host`/`-Proto` headers are believed: comma-separated
   * IP addresses or CIDR ranges (`10.0.0.0/8,::1`). Unset: none; the TCP peer is the client.
   */
  TRUSTED_PROXIES: trustedProxiesField,
  /**
   * API requests doing CPU or database work at once per process (the rest queue, then get 503 +
   * Retry-After). A turn waiting on a model, an http node or knowledge retrieval gives its slot back
   * for the wait. Default: 8 on the embedded database (it runs one statement at a time), 128 otherwise.
   */
  RUNTIME_MAX_CONCURRENT_REQUESTS: z.coerce.number().int().min(1).max(10_000).optional(),
  /** Longest a request waits for admission before 503, in milliseconds. */
  RUNTIME_MAX_QUEUE_MS: z.coerce.number().int().min(0).default(10_000),
  /**
   * API requests admitted and not finished per process, including those waiting on a model
   * (bounds memory); past it requests get 503 at once.
   */
  RUNTIME_MAX_IN_FLIGHT_REQUESTS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /**
   * Postgres connections of this process's turn pool (with DATABASE_URL; the embedded database has
   * its own). Each busy connection is a server process: more than the database's cores only adds
   * context switches.
   */
  RUNTIME_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * Minutes between VACUUM (ANALYZE) runs of the hot tables when the database does not vacuum itself
   * (the embedded database; a Postgres with autovacuum off). 0 turns it off.
   */
  RUNTIME_DB_MAINTENANCE_MINUTES: z.coerce.number().min(0).default(5),
  /**
   * Seconds between checks for hot tables that changed past autovacuum's analyze threshold since
   * their last ANALYZE (then analyzed: fresh statistics, and cached plans made on a tiny table are
   * replanned). Runs whatever `autovacuum` says. 0 turns it off.
   */
  RUNTIME_DB_ANALYZE_SECONDS: z.coerce.number().min(0).default(10),
  /** Let flows and webhooks call loopback addresses (local development and tests only). */
  RUNTIME_ALLOW_LOOPBACK_HTTP: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((value) => value === "true" || value === "1"),
  /** Prefix of every Redis key (several deployments or test runs can share one Redis). */
  PARLEY_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/)
    .default("parley:"),
  /** Set to 1 by `parley start`: wait for its "database ready" message before opening the database. */
  PARLEY_AWAIT_DATABASE: z
    .enum(["1", "0"])
    .default("0")
    .transform((value) => value === "1"),
  /** JSON file with the seeded demo's ids and keys (written by `parley start`), for `/demo`. */
  PARLEY_DEMO_FILE: z.string().optional(),
  /** The URL people use to reach the runtime (for the demo page and the OpenAPI servers list). */
  PARLEY_RUNTIME_URL: z.url().optional(),
});

/** The runtime's validated environment. */
export type RuntimeEnv = z.infer<typeof runtimeEnvSchema>;

/** Reads and validates the runtime environment; throws a `ConfigError` naming each bad variable. */
export const loadRuntimeEnv = (env: Record<string, string | undefined> = process.env): RuntimeEnv =>
  parseEnv(runtimeEnvSchema, env);
