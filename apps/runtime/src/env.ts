import { parseEnv, portField, sharedEnvShape } from "@parley/config";
import { z } from "zod";

/** Everything the runtime reads from its environment, validated once at start-up. */
export const runtimeEnvSchema = z.object({
  ...sharedEnvShape,
  RUNTIME_HOST: z.string().default("127.0.0.1"),
  RUNTIME_PORT: portField(4000),
  /** Largest request body accepted, in bytes. */
  RUNTIME_BODY_LIMIT: z.coerce.number().int().min(1024).default(1_048_576),
  /** How long shutdown waits for in-flight turns before giving up, in milliseconds. */
  RUNTIME_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
});

export type RuntimeEnv = z.infer<typeof runtimeEnvSchema>;

/** Reads and validates the runtime environment; throws a `ConfigError` naming each bad variable. */
export const loadRuntimeEnv = (env: Record<string, string | undefined> = process.env): RuntimeEnv =>
  parseEnv(runtimeEnvSchema, env);
