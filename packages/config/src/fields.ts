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
