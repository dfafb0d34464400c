import { availableTestDatabaseKinds } from "@parley/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CoreDeps } from "../context";
import { createHarness, type Harness } from "../test-support/harness";
import { enableTimescaleIfPresent, TIMESCALE_DETECT_SQL, timescaleStatements } from "./timescale";

/** A system client that records the SQL it is given and answers the detection query with `available`. */
function recordingDeps(available: boolean, failOn?: string) {
  const sql: string[] = [];
  const run = async (statement: string) => {
    sql.push(statement);
    if (failOn && statement.includes(failOn)) throw new Error(`function ${failOn} does not exist`);
    return statement === TIMESCALE_DETECT_SQL ? (available ? [{ name: "timescaledb" }] : []) : [];
  };
  const deps = { db: { system: { $queryRawUnsafe: run, $executeRawUnsafe: run } } } as unknown as CoreDeps;
  return { deps, sql };
}

describe("TimescaleDB detection", () => {
  it("runs nothing past the detection when the extension is not offered", async () => {
    const { deps, sql } = recordingDeps(false);
    expect(await enableTimescaleIfPresent(deps)).toEqual({ available: false, enabled: false });
    expect(sql).toEqual([TIMESCALE_DETECT_SQL]);
  });

  it("makes both rollup tables compressed hypertables chunked by bucket when it is", async () => {
    const { deps, sql } = recordingDeps(true);
    expect(await enableTimescaleIfPresent(deps)).toEqual({ available: true, enabled: true });
    expect(sql).toEqual([
      TIMESCALE_DETECT_SQL,
      "CREATE EXTENSION IF NOT EXISTS timescaledb",
      "SELECT create_hypertable('analytics_rollups', 'bucket', if_not_exists => true, migrate_data => true)",
      "ALTER TABLE analytics_rollups SET (timescaledb.compress, timescaledb.compress_segmentby = 'tenant_id, metric')",
      "SELECT add_compression_policy('analytics_rollups', INTERVAL '7 days', if_not_exists => true)",
      "SELECT create_hypertable('analytics_cohort_rollups', 'bucket', if_not_exists => true, migrate_data => true)",
      "ALTER TABLE analytics_cohort_rollups SET (timescaledb.compress, timescaledb.compress_segmentby = 'tenant_id, bot_id')",
      "SELECT add_compression_policy('analytics_cohort_rollups', INTERVAL '7 days', if_not_exists => true)",
    ]);
    expect(timescaleStatements()).toEqual(sql.slice(1));
  });

  it("keeps the plain tables and reports why when enabling fails (library not preloaded)", async () => {
    const { deps, sql } = recordingDeps(true, "create_hypertable");
    expect(await enableTimescaleIfPresent(deps)).toEqual({
      available: true,
      enabled: false,
      error: "function create_hypertable does not exist",
    });
    expect(sql).toHaveLength(3);
  });
});

const kinds = await availableTestDatabaseKinds();

describe.each(kinds)("TimescaleDB detection on %s", (kind) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await createHarness({ kind });
  }, 120_000);
  afterAll(() => harness?.cleanup());

  it("finds no extension on a stock database and changes nothing", async () => {
    // Neither PGlite nor this machine's Postgres 15 offers timescaledb (no Debian package for PG15 here).
    expect(await enableTimescaleIfPresent(harness.deps)).toEqual({ available: false, enabled: false });
  });

  it("has primary keys that include bucket, as create_hypertable requires of unique indexes", async () => {
    const rows = await harness.deps.db.system.$queryRawUnsafe<{ table: string; columns: string[] }[]>(
      `SELECT t.relname AS table, array_agg(a.attname::text ORDER BY a.attname) AS columns
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(i.indkey)
       WHERE i.indisunique AND t.relname IN ('analytics_rollups', 'analytics_cohort_rollups')
       GROUP BY i.indexrelid, t.relname ORDER BY t.relname`,
    );
    expect(rows.map((row) => row.table)).toEqual(["analytics_cohort_rollups", "analytics_rollups"]);
    for (const row of rows) expect(row.columns).toContain("bucket");
  });
});
