import { mailEnvShape, parseEnv, postgresUrlField, sharedEnvShape } from "@parley/config";
import { z } from "zod";

/**
 * The studio's environment, validated once. `parley start` passes DATABASE_URL (the embedded
 * PGlite server's URL or real Postgres), PARLEY_SECRET_KEY, PARLEY_DATA_DIR and PARLEY_RUNTIME_URL.
 */
export const studioEnvSchema = z.object({
  ...sharedEnvShape,
  DATABASE_URL: postgresUrlField,
  /** Where the runtime (REST API, widget script) answers; used in embed snippets. */
  PARLEY_RUNTIME_URL: z.url().default("http://localhost:4000"),
  ...mailEnvShape,
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
});

/** The studio's validated environment. */
export type StudioEnv = z.infer<typeof studioEnvSchema>;

let cached: StudioEnv | undefined;

/** Parses `process.env` on first use; a bad variable stops the studio with a message naming it. */
export function studioEnv(): StudioEnv {
  cached ??= parseEnv(studioEnvSchema, process.env);
  return cached;
}
