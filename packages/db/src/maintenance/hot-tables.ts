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
 * `VACUUM (ANALYZE)` of each hot table, one at a time (each statement is short, so the embedded
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
  // With TimescaleDB, analytics_events is a view over analytics_event_store (see core's
  // timescale-event-store.ts): the table is what needs vacuuming.
  const [store] = await db.system.$queryRawUnsafe<{ present: boolean }[]>(
    "SELECT to_regclass('analytics_event_store') IS NOT NULL AS present",
  );
  const tables = HOT_TABLES.map((table) =>
    table === "analytics_events" && store?.present ? "analytics_event_store" : table,
  );
  for (const table of tables) {
    await db.system.$executeRawUnsafe(`VACUUM (ANALYZE) ${table}`);
    done.push(table);
  }
  return done;
}
