import type { CoreDeps } from "../context";

/** What {@link enableTimescaleIfPresent} found and did. */
export interface TimescaleStatus {
  available: boolean;
  enabled: boolean;
  error?: string;
}

/** The query that detects the extension. */
export const TIMESCALE_DETECT_SQL = "SELECT name FROM pg_available_extensions WHERE name = 'timescaledb'";

/** The rollup tables made hypertables (both are keyed and compacted by `bucket`). */
const HYPERTABLES = ["analytics_rollups", "analytics_cohort_rollups"] as const;

/**
 * The statements that turn the rollup tables into hypertables chunked by bucket, with compression of
 * chunks older than 7 days segmented by tenant (and metric for analytics_rollups), in order. Each is
 * idempotent (`if_not_exists`), so a restart runs them again harmlessly. Their primary keys include
 * `bucket`, as a hypertable's unique indexes must, and ON CONFLICT upserts work on hypertables.
 */
export function timescaleStatements(): string[] {
  return [
    "CREATE EXTENSION IF NOT EXISTS timescaledb",
    ...HYPERTABLES.flatMap((table) => [
      `SELECT create_hypertable('${table}', 'bucket', if_not_exists => true, migrate_data => true)`,
      `ALTER TABLE ${table} SET (timescaledb.compress, timescaledb.compress_segmentby = '${
        table === "analytics_rollups" ? "tenant_id, metric" : "tenant_id, bot_id"
      }')`,
      `SELECT add_compression_policy('${table}', INTERVAL '7 days', if_not_exists => true)`,
    ]),
  ];
}

/**
 * Detects the TimescaleDB extension and, when the database offers it, runs {@link timescaleStatements}.
 * The queries are the same with or without it (plain SQL over the same columns), so a database without
 * the extension (PGlite, stock Postgres) runs them unchanged. Idempotent.
 */
export async function enableTimescaleIfPresent(deps: CoreDeps): Promise<TimescaleStatus> {
  const system = deps.db.system;
  const available = await system.$queryRawUnsafe<{ name: string }[]>(TIMESCALE_DETECT_SQL);
  if (available.length === 0) return { available: false, enabled: false };
  try {
    for (const statement of timescaleStatements()) {
      if (statement.startsWith("SELECT")) await system.$queryRawUnsafe(statement);
      else await system.$executeRawUnsafe(statement);
    }
    return { available: true, enabled: true };
  } catch (error) {
    // shared_preload_libraries may lack timescaledb: the plain tables keep working.
    return { available: true, enabled: false, error: error instanceof Error ? error.message : String(error) };
  }
}
