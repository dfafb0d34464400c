import type { Database } from "../client/open-database";
import { HOT_TABLES, maintainedTableNames, ROLLUP_TABLES } from "./hot-tables";

/** Rows changed since the last ANALYZE before a table is analyzed again: autovacuum's defaults. */
export const ANALYZE_THRESHOLD = { baseRows: 50, scaleFactor: 0.1 } as const;

/** Key of the transaction advisory lock that keeps a cluster's processes from analyzing at once. */
const ANALYZE_LOCK_KEY = 0x70_61_72_61; // "para"

/**
 * `ANALYZE`s each hot and rollup table that changed by more than autovacuum's analyze threshold
 * ({@link ANALYZE_THRESHOLD}: 50 rows + 10% of its estimated rows) since it was last analyzed, as
 * autovacuum would, but at the runtime's own pace. Returns the tables analyzed.
 *
 * Why it matters even beside autovacuum: a backend caches the plan of a foreign-key check (and of
 * `parley_commit_step`'s statements) for its whole life. Made while `conversations` was empty and
 * never analyzed, every index leading with `tenant_id` costs the same as the `(tenant_id, id)` key, and
 * the newest one wins the tie: each message insert then read every conversation of its tenant
 * (measured: ~1,000 rows per check, the database's CPU per turn 2.45 ms instead of 1.46 ms, growing
 * with the table). An ANALYZE gives the planner statistics and invalidates those cached plans.
 * autovacuum waits for its naptime (a minute) per database, or never runs (`autovacuum = off`, the
 * embedded database).
 *
 * One process at a time (transaction advisory lock; a busy lock skips the round). ANALYZE samples at
 * most 30,000 rows per table, and the threshold grows with the table, so a steady database analyzes
 * rarely.
 *
 * @example
 * setInterval(() => void analyzeGrownTables(db), 10_000).unref();
 */
export async function analyzeGrownTables(db: Pick<Database, "system">): Promise<string[]> {
  const tables = await maintainedTableNames(db, [...HOT_TABLES, ...ROLLUP_TABLES]);
  return db.system.$transaction(
    async (tx) => {
      const [lock] = await tx.$queryRawUnsafe<{ locked: boolean }[]>(
        "SELECT pg_try_advisory_xact_lock($1) AS locked",
        ANALYZE_LOCK_KEY,
      );
      if (!lock?.locked) return [];
      const grown = await tx.$queryRawUnsafe<{ table: string }[]>(
        `SELECT c.relname AS table
         FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
         WHERE s.schemaname = current_schema() AND c.relname = ANY($1::text[])
           AND s.n_mod_since_analyze >= $2 + $3 * greatest(c.reltuples, 0)
         ORDER BY c.relname`,
        tables,
        ANALYZE_THRESHOLD.baseRows,
        ANALYZE_THRESHOLD.scaleFactor,
      );
      for (const { table } of grown) await tx.$executeRawUnsafe(`ANALYZE "${table}"`);
      return grown.map(({ table }) => table);
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}
