import type { CoreDeps } from "../context";
import { METRIC_MINUTES_POLICY_SQL, METRIC_MINUTES_SQL } from "./metric-minutes";
import { EVENT_COMPRESSION_SQL, EVENT_STORE, EVENT_STORE_SQL } from "./timescale-event-store";

/** What {@link enableTimescaleIfPresent} found and did. */
export interface TimescaleStatus {
  available: boolean;
  enabled: boolean;
  error?: string;
}

/**
 * The query that detects a usable extension: installed on the server and either created in this database
 * or preloaded (TimescaleDB refuses CREATE EXTENSION unless its library is in shared_preload_libraries).
 */
export const TIMESCALE_DETECT_SQL = `SELECT name FROM pg_available_extensions WHERE name = 'timescaledb'
  AND (EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')
    OR current_setting('shared_preload_libraries') ~ '(^|[ ,])"?timescaledb"?([ ,]|$)')`;

/** The rollup tables made hypertables (each is keyed and compacted by `bucket`). */
const ROLLUP_HYPERTABLES = [
  "analytics_rollups",
  "analytics_cohort_rollups",
  "analytics_cost_rollups",
] as const;

/**
 * analytics_events becomes a hypertable chunked by `created_at` (the column the rollup job and the event
 * tail range over, so both touch the newest chunk only). A hypertable's unique indexes must hold the
 * partitioning column: the primary key becomes (id, created_at) first. Done once (skipped when it already
 * is a hypertable), in one DO block so a failure leaves the table as it was.
 */
const EVENTS_HYPERTABLE_SQL = `DO $$
BEGIN
  IF to_regclass('${EVENT_STORE}') IS NULL AND NOT EXISTS (SELECT 1 FROM timescaledb_information.hypertables
      WHERE hypertable_schema = current_schema() AND hypertable_name = 'analytics_events') THEN
    ALTER TABLE analytics_events DROP CONSTRAINT analytics_events_pkey;
    ALTER TABLE analytics_events ADD CONSTRAINT analytics_events_pkey PRIMARY KEY (id, created_at);
    PERFORM create_hypertable('analytics_events', 'created_at', chunk_time_interval => INTERVAL '7 days',
      migrate_data => true);
  END IF;
END $$`;

/**
 * The statements of the TimescaleDB path, in order, each idempotent (a restart runs them again
 * harmlessly): the extension; analytics_events as a hypertable chunked by created_at; the rollup tables as
 * hypertables chunked by bucket; the events' rows moved behind the tenant view (see
 * timescale-event-store.ts: TimescaleDB refuses compression and continuous aggregates on a table with
 * row-level security); their compression; the per-minute continuous aggregate the sweep reads (see
 * metric-minutes.ts) and its refresh policy. The rollup tables keep row-level security (tenants read
 * them directly), so they are neither compressed nor aggregated by TimescaleDB.
 */
export function timescaleStatements(): string[] {
  return [
    "CREATE EXTENSION IF NOT EXISTS timescaledb",
    EVENTS_HYPERTABLE_SQL,
    ...ROLLUP_HYPERTABLES.map(
      (table) =>
        `SELECT create_hypertable('${table}', 'bucket', if_not_exists => true, migrate_data => true)`,
    ),
    EVENT_STORE_SQL,
    ...EVENT_COMPRESSION_SQL,
    METRIC_MINUTES_SQL,
    ...METRIC_MINUTES_POLICY_SQL,
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
      // Executed, not queried: the functions return records the client need not read.
      await system.$executeRawUnsafe(statement);
    }
    return { available: true, enabled: true };
  } catch (error) {
    // shared_preload_libraries may lack timescaledb: the plain tables keep working.
    return { available: true, enabled: false, error: error instanceof Error ? error.message : String(error) };
  }
}
