import type { z } from "zod";

/** Thrown when the environment does not satisfy an app's schema; the message names every bad variable. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/**
 * Validates `env` against an app's schema once, at start-up.
 * Empty strings count as unset, so `FOO=` in a shell behaves like no `FOO` at all.
 */
export function parseEnv<Schema extends z.ZodType>(
  schema: Schema,
  env: Record<string, string | undefined> = process.env,
): z.infer<Schema> {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const variable = issue.path.join(".") || "(environment)";
      const received =
        issue.code === "invalid_type" && cleaned[variable] === undefined ? " (it is not set)" : "";
      return `${variable}: ${issue.message}${received}`;
    }),
  );
}
