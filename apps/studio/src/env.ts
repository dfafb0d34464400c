import { coreEnvShape, parseEnv, postgresUrlField } from "@parley/config";
import { trustedProxiesField } from "@parley/infra";
import { z } from "zod";

/**
 * The studio's environment, validated once. `parley start` passes DATABASE_URL (the embedded
 * PGlite server's URL or real Postgres), PARLEY_SECRET_KEY, PARLEY_DATA_DIR and PARLEY_RUNTIME_URL.
 */
export const studioEnvSchema = z.object({
  ...coreEnvShape,
  DATABASE_URL: postgresUrlField,
  /** Where the runtime (REST API, widget script) answers; used in embed snippets. */
  PARLEY_RUNTIME_URL: z.url().default("http://localhost:4000"),
  /** Directory of the starter templates (default: the repository's examples/flows). */
  PARLEY_TEMPLATES_DIR: z.string().optional(),
  /**
   * Largest request body the studio reads (bytes); larger ones get 413 before they are read. Knowledge
   * uploads alone may be as large as the biggest accepted file (see `uploadBodyLimit`).
   */
  STUDIO_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  /** Comma-separated IPs/CIDRs of reverse proxies whose X-Forwarded-* headers are believed; empty: none. */
  TRUSTED_PROXIES: trustedProxiesField,
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
