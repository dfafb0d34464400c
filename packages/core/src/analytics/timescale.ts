import type { CoreDeps } from "../context";

/** What {@link enableTimescaleIfPresent} found and did. */
export interface TimescaleStatus {
  available: boolean;
  enabled: boolean;
  error?: string;
}

/**
 * Detects the TimescaleDB extension and, when the database offers it, turns analytics_rollups into a
 * hypertable (chunks by bucket) with compression of chunks older than 7 days, segmented by tenant.
 * The queries are the same with or without it (plain SQL over the same columns), so a database
 * without the extension (PGlite, stock Postgres) runs them unchanged. Idempotent.
 */
export async function enableTimescaleIfPresent(deps: CoreDeps): Promise<TimescaleStatus> {
  const system = deps.db.system;
  const available = await system.$queryRawUnsafe<{ name: string }[]>(
    "SELECT name FROM pg_available_extensions WHERE name = 'timescaledb'",
  );
  if (available.length === 0) return { available: false, enabled: false };
  try {
    await system.$executeRawUnsafe("CREATE EXTENSION IF NOT EXISTS timescaledb");
    await system.$queryRawUnsafe(
      "SELECT create_hypertable('analytics_rollups', 'bucket', if_not_exists => true, migrate_data => true)",
    );
    await system.$executeRawUnsafe(
      "ALTER TABLE analytics_rollups SET (timescaledb.compress, timescaledb.compress_segmentby = 'tenant_id, metric')",
    );
    await system.$queryRawUnsafe(
      "SELECT add_compression_policy('analytics_rollups', INTERVAL '7 days', if_not_exists => true)",
    );
    return { available: true, enabled: true };
  } catch (error) {
    // shared_preload_libraries may lack timescaledb: the plain tables keep working.
    return { available: true, enabled: false, error: error instanceof Error ? error.message : String(error) };
  }
}
