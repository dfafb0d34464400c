import type { Database } from "../client/open-database";

/**
 * Tables every turn writes (the turn commit, model call records, budgets): the ones whose dead row
 * versions and statistics go stale first.
 */
export const HOT_TABLES = [
  "conversations",
  "messages",
  "analytics_events",
  "contacts",
  "webhook_deliveries",
  "budgets",
] as const;

/**
 * The analytics rollups every sweep upserts into: vacuumed and analyzed with the hot tables (without
 * statistics on the cost rollups, a year's spend query sorted 155,000 rows on disk).
 */
export const ROLLUP_TABLES = [
  "analytics_rollups",
  "analytics_cohort_rollups",
  "analytics_cost_rollups",
  "analytics_path_rollups",
] as const;

/**
 * Whether nothing else vacuums and analyzes this database: the embedded database (PGlite runs no
 * autovacuum, whatever `autovacuum` says) or a Postgres with `autovacuum = off`.
 */
export async function lacksAutovacuum(db: Pick<Database, "system">): Promise<boolean> {
  const [row] = await db.system.$queryRawUnsafe<{ version: string; autovacuum: string }[]>(
    "SELECT version() AS version, current_setting('autovacuum') AS autovacuum",
  );
  return !row || row.version.includes("PGlite") || row.autovacuum === "off";
}

/**
 * `VACUUM (ANALYZE)` of each hot table and rollup table, one at a time (each statement is short, so the embedded
 * database, which runs one statement at a time, is never blocked for long): reclaims the space of
 * dead row versions (the conversation row is rewritten every turn) and refreshes the statistics.
 * Run it off the turn path, periodically (the runtime does; see RUNTIME_DB_MAINTENANCE_MINUTES).
 * Returns the tables done; throws the first failure (e.g. a role that does not own the tables).
 *
 * @example
 * if (await lacksAutovacuum(db)) setInterval(() => void vacuumHotTables(db), 5 * 60_000).unref();
 */
export async function vacuumHotTables(db: Pick<Database, "system">): Promise<string[]> {
  const done: string[] = [];
  for (const table of await maintainedTableNames(db, [...HOT_TABLES, ...ROLLUP_TABLES])) {
    await db.system.$executeRawUnsafe(`VACUUM (ANALYZE) ${table}`);
    done.push(table);
  }
  return done;
}

/**
 * The tables to maintain for `tables`: with TimescaleDB, analytics_events is a view over
 * analytics_event_store (see core's timescale-event-store.ts), and the table is what needs it.
 */
export async function maintainedTableNames(
  db: Pick<Database, "system">,
  tables: readonly string[],
): Promise<string[]> {
  const [store] = await db.system.$queryRawUnsafe<{ present: boolean }[]>(
    "SELECT to_regclass('analytics_event_store') IS NOT NULL AS present",
  );
  return tables.map((table) =>
    table === "analytics_events" && store?.present ? "analytics_event_store" : table,
  );
}
