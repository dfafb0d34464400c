import pg from "pg";
import { describeConnectionFailure, redactUrl } from "../client/connection-url";
import { DatabaseUnreachableError } from "../errors";
import { type ApplyMigrationsOptions, applyMigrations } from "./migration-runner";

/**
 * Applies pending migrations to the database at `url` over one short-lived connection, without a
 * Prisma client: for a process that hosts or supervises the database but does not query it (the
 * `parley start` parent). An unreachable database is one {@link DatabaseUnreachableError}.
 * Returns the names it applied.
 */
export async function migrateAt(
  url: string,
  options: ApplyMigrationsOptions & { connectTimeoutMs?: number; applicationName?: string } = {},
): Promise<string[]> {
  const { connectTimeoutMs = 5_000, applicationName = "parley-migrate", ...migrateOptions } = options;
  const pool = new pg.Pool({
    connectionString: url,
    max: 1,
    connectionTimeoutMillis: connectTimeoutMs,
    application_name: applicationName,
  });
  pool.on("error", () => {});
  try {
    try {
      await pool.query("SELECT 1");
    } catch (error) {
      throw new DatabaseUnreachableError(redactUrl(url), describeConnectionFailure(error, connectTimeoutMs), {
        cause: error,
      });
    }
    return await applyMigrations(pool, migrateOptions);
  } finally {
    await pool.end();
  }
}
