import type pg from "pg";

/**
 * The shape of one schema as Postgres' catalogs describe it (internal; the schema parity test compares two
 * of these). Every entry is a readable line so a failing comparison shows the difference directly.
 * Schema names are stripped so two schemas built from the same definitions compare equal.
 */
export interface Catalog {
  tables: string[];
  columns: string[];
  constraints: string[];
  indexes: string[];
  enums: string[];
  triggers: string[];
  functions: string[];
  policies: string[];
  rowSecurity: string[];
}

/** Reads the catalog of `schema`. */
export async function readCatalog(client: pg.Pool | pg.PoolClient, schema: string): Promise<Catalog> {
  const query = async (sql: string) =>
    (await client.query<{ line: string }>(sql, [schema])).rows.map((r) => r.line);
  const strip = (lines: string[]) => lines.map((line) => line.replaceAll(`${schema}.`, "")).sort();
  return {
    tables: strip(
      await query(`SELECT c.relname AS line FROM pg_class c
        WHERE c.relnamespace = $1::regnamespace AND c.relkind IN ('r', 'p')`),
    ),
    columns: strip(
      await query(`SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
          || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE ' NULL' END
          || COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')
          || CASE WHEN a.attgenerated <> '' THEN ' GENERATED' ELSE '' END
          || CASE WHEN a.attidentity <> '' THEN ' IDENTITY' ELSE '' END AS line
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE c.relnamespace = $1::regnamespace AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`),
    ),
    constraints: strip(
      await query(`SELECT c.relname || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid) AS line
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
        WHERE c.relnamespace = $1::regnamespace AND k.contype IN ('p', 'f', 'u', 'c', 'x')`),
    ),
    indexes: strip(
      await query(
        `SELECT i.indexname || ' ' || i.indexdef AS line FROM pg_indexes i WHERE i.schemaname = $1`,
      ),
    ),
    enums: strip(
      await query(`SELECT t.typname || ' (' || string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) || ')' AS line
        FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
        WHERE t.typnamespace = $1::regnamespace GROUP BY t.typname`),
    ),
    triggers: strip(
      await query(`SELECT c.relname || ' ' || t.tgname AS line
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE c.relnamespace = $1::regnamespace AND NOT t.tgisinternal`),
    ),
    functions: strip(
      await query(`SELECT p.proname AS line FROM pg_proc p WHERE p.pronamespace = $1::regnamespace`),
    ),
    policies: strip(
      await query(
        `SELECT p.tablename || ' ' || p.policyname AS line FROM pg_policies p WHERE p.schemaname = $1`,
      ),
    ),
    rowSecurity: strip(
      await query(`SELECT c.relname || CASE WHEN c.relforcerowsecurity THEN ' forced' ELSE ' enabled' END AS line
        FROM pg_class c WHERE c.relnamespace = $1::regnamespace AND c.relrowsecurity`),
    ),
  };
}

/**
 * `catalog` without the listed entries. An entry is matched exactly or as a prefix followed by a space
 * (e.g. "budgets budgets_tenant_wide_key" matches that constraint whatever its definition prints as).
 * Throws if a listed entry is absent, so the lists stay exact.
 */
export function withoutExtras(
  catalog: Catalog,
  extras: Partial<Record<keyof Catalog, readonly string[]>>,
): Catalog {
  const result = { ...catalog };
  const matches = (entry: string, listed: string) => entry === listed || entry.startsWith(`${listed} `);
  for (const [section, listed] of Object.entries(extras) as [keyof Catalog, readonly string[]][]) {
    const missing = listed.filter((item) => !catalog[section].some((entry) => matches(entry, item)));
    if (missing.length > 0) throw new Error(`listed ${section} not in the database: ${missing.join("; ")}`);
    result[section] = catalog[section].filter((entry) => !listed.some((item) => matches(entry, item)));
  }
  return result;
}
