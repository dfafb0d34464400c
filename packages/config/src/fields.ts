import { z } from "zod";

/**
 * Reusable environment fields. Each app composes its own schema from these so every variable is
 * described once and validated the same way wherever it is read.
 */

/** A TCP port number given as a string, e.g. `RUNTIME_PORT=4000`. */
export const portField = (fallback: number) => z.coerce.number().int().min(1).max(65_535).default(fallback);

/** A `postgres://` or `postgresql://` connection string. */
export const postgresUrlField = z
  .string()
  .regex(/^postgres(ql)?:\/\/.+/, "must be a postgres:// or postgresql:// connection URL");

/** A `redis://` or `rediss://` connection string. */
export const redisUrlField = z
  .string()
  .regex(/^rediss?:\/\/.+/, "must be a redis:// or rediss:// connection URL");

/** A log level understood by pino. */
export const logLevelField = z
  .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
  .default("info");

/** A size in bytes, at least 1 KiB (a smaller limit is a typo, not a choice). */
const byteLimitField = z.coerce.number().int().min(1024, "must be a number of bytes, at least 1024");

/**
 * Limits of outbound HTTP made for tenants (http nodes, integrations, webhooks, model providers,
 * document downloads). Unset means the guarded client's defaults (4 MiB and 25 MiB).
 */
export const outboundLimitsEnvShape = {
  /** Largest response read from an API or a model provider (a streamed answer in total), in bytes. */
  PARLEY_OUTBOUND_MAX_RESPONSE_BYTES: byteLimitField.optional(),
  /** Largest document download (knowledge base URL import: PDFs, pages), in bytes. */
  PARLEY_OUTBOUND_MAX_DOWNLOAD_BYTES: byteLimitField.optional(),
} as const;

const KAFKA_BROKER = /^(?:[a-z0-9._-]+|\[[0-9a-f:.]+\]):\d{1,5}$/i;

/**
 * The event stream (docs/events.md): with `KAFKA_BROKERS` set, the runtime's outbox relay publishes every
 * event to Kafka through kafkajs; unset, the same relay feeds only the in-process consumers.
 */
export const eventStreamEnvShape = {
  /** Comma- or space-separated `host:port` of the Kafka bootstrap brokers. */
  KAFKA_BROKERS: z
    .string()
    .optional()
    .transform((value) => (value ?? "").split(/[\s,]+/).filter((entry) => entry !== ""))
    .pipe(z.array(z.string().regex(KAFKA_BROKER, "a Kafka broker is `host:port`, e.g. `kafka-1:9092`"))),
  /** kafkajs client id (default `parley`). */
  KAFKA_CLIENT_ID: z.string().min(1).default("parley"),
  /** Prepended to every topic name (e.g. `staging.` gives `staging.message.inbound.v1`). */
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, "only letters, digits, `.`, `_` and `-` may be in a topic name")
    .default(""),
  /** `true` connects with TLS. */
  KAFKA_SSL: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true"),
  /** SASL mechanism, user and password (all three, or none). */
  KAFKA_SASL_MECHANISM: z.enum(["plain", "scram-sha-256", "scram-sha-512"]).optional(),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
} as const;

/** The variables every Parley process shares: where data lives and which services to use. */
export const sharedEnvShape = {
  /** Postgres to use; unset means the embedded PGlite database under the data directory. */
  DATABASE_URL: postgresUrlField.optional(),
  /** Redis to use for cache, locks, rate limits and jobs; unset means in-process implementations. */
  REDIS_URL: redisUrlField.optional(),
  /** Where embedded-mode state lives (database, job journal, generated secret key, demo.json). */
  PARLEY_DATA_DIR: z.string().default(".parley"),
  /** Keyring for the secrets vault; generated into the data directory in embedded mode when unset. */
  PARLEY_SECRET_KEY: z.string().optional(),
  LOG_LEVEL: logLevelField,
  /**
   * Set by `parley start` for its children: echoed in the `x-parley-instance` header of their health
   * answers, so the banner only says "running" once its own processes (not a stale one on the port) answered.
   */
  PARLEY_INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9-]{8,64}$/, "must be 8-64 letters, digits or dashes")
    .optional(),
  /**
   * OTLP/HTTP endpoint (the standard OpenTelemetry variable, e.g. `http://collector:4318`): when set,
   * the process exports traces of every request and turn there; unset, tracing costs nothing.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /** `service.name` of the exported spans (default: `parley-runtime` / `parley-studio`). */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  ...outboundLimitsEnvShape,
  ...eventStreamEnvShape,
} as const;

/**
 * How e-mails (invitations, password resets) are sent and where their links point: read by the
 * studio and the runtime alike (both invite members).
 */
export const mailEnvShape = {
  /** The studio's public URL, for links in e-mails. */
  PARLEY_STUDIO_URL: z.url().default("http://localhost:3000"),
  /** smtp:// or smtps:// URL; unset means e-mails are printed on the console. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/.+/, "must be an smtp:// or smtps:// URL")
    .optional(),
  /** Sender of Parley's e-mails. */
  MAIL_FROM: z.string().default("Parley <no-reply@parley.local>"),
} as const;

/**
 * The guarded HTTP client's limits from a validated environment (only those the operator set).
 * @example
 * createGuardedHttpClient({ allowLoopback: false, ...outboundLimits(env) });
 */
export function outboundLimits(env: {
  PARLEY_OUTBOUND_MAX_RESPONSE_BYTES?: number | undefined;
  PARLEY_OUTBOUND_MAX_DOWNLOAD_BYTES?: number | undefined;
}): { maxResponseBytes?: number; maxDownloadBytes?: number } {
  return {
    ...(env.PARLEY_OUTBOUND_MAX_RESPONSE_BYTES === undefined
      ? {}
      : { maxResponseBytes: env.PARLEY_OUTBOUND_MAX_RESPONSE_BYTES }),
    ...(env.PARLEY_OUTBOUND_MAX_DOWNLOAD_BYTES === undefined
      ? {}
      : { maxDownloadBytes: env.PARLEY_OUTBOUND_MAX_DOWNLOAD_BYTES }),
  };
}
