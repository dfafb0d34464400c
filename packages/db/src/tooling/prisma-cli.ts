import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmbeddedPostgres } from "../embedded/embedded-postgres";

/**
 * Runs the Prisma 6.19 CLI offline (internal; used by the package scripts and tests).
 *
 * `prisma.config.ts` selects the JS schema engine with an adapter. `migrate diff` opens a connection through
 * that adapter even for datamodel-only diffs, so unless a URL is given we point it at a throwaway in-memory
 * PGlite server: no Postgres and no network needed.
 */

/** packages/db */
export const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The repository root. */
export const repoRoot = join(packageDir, "..", "..");
/** prisma/schema.prisma */
export const schemaPath = join(repoRoot, "prisma", "schema.prisma");
/** prisma/migrations */
export const migrationsDir = join(repoRoot, "prisma", "migrations");

const prismaEntry = join(
  dirname(createRequire(import.meta.url).resolve("prisma/package.json")),
  "build",
  "index.js",
);

/** Runs `prisma <args>` with our config; resolves with stdout, rejects with stderr in the message. */
export async function runPrismaCli(args: readonly string[], options: { cliUrl?: string; cwd?: string } = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" };
  // Prisma changes details of its output (key order in the generated client) when it believes it runs
  // under a test runner; generate the same bytes as the package script does.
  for (const key of Object.keys(env)) if (key === "NODE_ENV" || key.startsWith("VITEST")) delete env[key];
  if (options.cliUrl !== undefined) env.PARLEY_PRISMA_CLI_URL = options.cliUrl;
  return new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      [prismaEntry, ...args, "--config", join(packageDir, "prisma.config.ts")],
      { cwd: options.cwd ?? packageDir, env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`prisma ${args.join(" ")} failed: ${stderr || stdout || error.message}`));
        else resolve(stdout);
      },
    );
  });
}

/**
 * SQL that takes a database from `from` to `to`, where each side is a schema file path or "empty".
 * Connects (without reading or writing) to `cliUrl`, or to a throwaway embedded server when omitted.
 */
export async function diffSchemas(from: string, to: string, cliUrl?: string): Promise<string> {
  const side = (flag: "from" | "to", value: string) =>
    value === "empty" ? [`--${flag}-empty`] : [`--${flag}-schema-datamodel`, value];
  const args = ["migrate", "diff", ...side("from", from), ...side("to", to), "--script"];
  if (cliUrl !== undefined) return runPrismaCli(args, { cliUrl });
  const server = await startEmbeddedPostgres();
  try {
    return await runPrismaCli(args, { cliUrl: server.url });
  } finally {
    await server.stop();
  }
}
