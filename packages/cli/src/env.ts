import { coreEnvShape, parseEnv, portField } from "@parley/config";
import { z } from "zod";

/** What `parley start` reads from its environment, validated once. */
export const cliEnvSchema = z.object({
  ...coreEnvShape,
  STUDIO_PORT: portField(3000),
  RUNTIME_PORT: portField(4000),
  RUNTIME_HOST: z.string().default("127.0.0.1"),
  /** Interface the studio listens on: loopback unless you expose it on purpose (e.g. 0.0.0.0). */
  STUDIO_HOST: z.string().min(1).default("127.0.0.1"),
  /** Port of the embedded database server (127.0.0.1 only); unused when DATABASE_URL is set. */
  PARLEY_EMBEDDED_DB_PORT: portField(5433),
  /** The URL people use to reach the runtime, when it differs from http://localhost:RUNTIME_PORT. */
  PARLEY_RUNTIME_URL: z.url().optional(),
  /** The URL people use to reach the studio, when it differs from http://localhost:STUDIO_PORT. */
  PARLEY_STUDIO_URL: z.url().optional(),
  /** Diagnostics: a file `parley start` writes its phase timings to once healthy (bench/startup). */
  PARLEY_STARTUP_TIMINGS: z.string().optional(),
  /**
   * Development switches, read by the launcher (bin/parley.js) before anything else loads and
   * listed here so they are validated and documented with the rest: `PARLEY_DEBUG=1` prints stack
   * traces (and source maps), `PARLEY_FROM_SOURCE=1` runs the TypeScript sources instead of bundles.
   */
  PARLEY_DEBUG: z.string().optional(),
  PARLEY_FROM_SOURCE: z.string().optional(),
});

/** The validated CLI environment. */
export type CliEnv = z.infer<typeof cliEnvSchema>;

/** Reads and validates the CLI environment; throws a `ConfigError` naming each bad variable. */
export const loadCliEnv = (env: Record<string, string | undefined> = process.env): CliEnv =>
  parseEnv(cliEnvSchema, env);

/** Public URLs of the two apps. */
export function publicUrls(env: CliEnv): { studioUrl: string; runtimeUrl: string } {
  return {
    studioUrl: env.PARLEY_STUDIO_URL ?? `http://localhost:${env.STUDIO_PORT}`,
    runtimeUrl: env.PARLEY_RUNTIME_URL ?? `http://localhost:${env.RUNTIME_PORT}`,
  };
}
