import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { type EmbeddedPostgres, loadOrCreateDbPassword, startEmbeddedPostgres } from "@parley/db/embedded";
import type { CliEnv } from "../env";
import type { StartupTimings } from "../start/startup-timings";
import { fillFromTemplate } from "./data-dir-template";

/**
 * Server settings of the embedded database. PGlite holds shared buffers in its WebAssembly memory, so
 * Postgres' default 128MB is 128 MB of the product's idle RSS; the embedded database serves one
 * machine's worth of data, and pages that miss the buffers come from the OS page cache.
 */
export const EMBEDDED_SETTINGS = { shared_buffers: "32MB" } as const;

/** Where the embedded database's files live inside the data directory. */
export const embeddedDataDir = (env: CliEnv) => join(resolve(env.PARLEY_DATA_DIR), "pgdata");

/**
 * Starts the embedded PGlite server on the data directory, filling a new data directory from the
 * template first (see data-dir-template.ts). Clients must give the password kept in the data
 * directory (`db-password`, 0600, generated on first start). Imports no Prisma client: the `parley start` parent runs
 * this and lives as long as the product.
 */
export async function startEmbeddedServer(env: CliEnv, timings?: StartupTimings): Promise<EmbeddedPostgres> {
  const measure = <T>(phase: string, work: () => Promise<T>) =>
    timings ? timings.measure(phase, work) : work();
  mkdirSync(resolve(env.PARLEY_DATA_DIR), { recursive: true });
  await measure("data-dir-template", () => fillFromTemplate(embeddedDataDir(env)));
  const password = await loadOrCreateDbPassword(resolve(env.PARLEY_DATA_DIR));
  return measure("embedded-postgres", () =>
    startEmbeddedPostgres({
      dataDir: embeddedDataDir(env),
      port: env.PARLEY_EMBEDDED_DB_PORT,
      settings: EMBEDDED_SETTINGS,
      password,
    }),
  );
}
