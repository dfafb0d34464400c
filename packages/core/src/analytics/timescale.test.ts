import { vacuumHotTables } from "@parley/db";
import { availableTestDatabaseKinds } from "@parley/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CoreDeps, ServiceContext } from "../context";
import { sendMessage, startConversation } from "../conversations/conversations";
import { createHarness, type Harness, seedTenant } from "../test-support/harness";
import { getLlmCosts } from "./costs";
import { getFlowNodeAnalytics } from "./nodes";
import { rollUpTenant } from "./rollup";
import { getBotAnalyticsSummary } from "./summary";
import { enableTimescaleIfPresent, TIMESCALE_DETECT_SQL, timescaleStatements } from "./timescale";
import { getBotTimeseries } from "./timeseries";

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

  it("makes the events and rollup tables hypertables", async () => {
    const { deps, sql } = recordingDeps(true);
    expect(await enableTimescaleIfPresent(deps)).toEqual({ available: true, enabled: true });
    expect(sql[0]).toBe(TIMESCALE_DETECT_SQL);
    expect(sql.slice(1)).toEqual(timescaleStatements());
    expect(sql[1]).toBe("CREATE EXTENSION IF NOT EXISTS timescaledb");
    expect(sql[2]).toContain("create_hypertable('analytics_events', 'created_at'");
    for (const table of ["analytics_rollups", "analytics_cohort_rollups", "analytics_cost_rollups"]) {
      expect(sql).toContain(
        `SELECT create_hypertable('${table}', 'bucket', if_not_exists => true, migrate_data => true)`,
      );
    }
    // The events move behind the tenant view before TimescaleDB compresses and aggregates them.
    const at = (pattern: RegExp) => sql.findIndex((statement) => pattern.test(statement));
    expect(at(/CREATE VIEW analytics_events/)).toBeGreaterThan(at(/create_hypertable\('analytics_events'/));
    expect(at(/timescaledb\.compress,/)).toBeGreaterThan(at(/CREATE VIEW analytics_events/));
    expect(at(/timescaledb\.continuous/)).toBeGreaterThan(at(/CREATE VIEW analytics_events/));
    expect(sql.some((statement) => statement.includes("add_compression_policy"))).toBe(true);
    expect(sql.some((statement) => statement.includes("add_continuous_aggregate_policy"))).toBe(true);
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

/**
 * The TimescaleDB path on a real server with the extension (TimescaleDB 2.x with its TSL part, the library
 * preloaded): TIMESCALE_DATABASE_URL names an admin URL of that server (a scratch database is made there).
 * The same figures come out before the extension is enabled (plain tables), after (hypertables), after
 * a rollup and after compaction.
 */
describe.skipIf(!process.env.TIMESCALE_DATABASE_URL)("TimescaleDB path on a real TimescaleDB", () => {
  let harness: Harness;
  let ctx: ServiceContext;
  let botId = "";
  let flowId = "";
  const MINUTE = 60_000;
  // One range for every read (the responses echo it).
  const fixed = {
    from: new Date(Date.now() - 60 * MINUTE).toISOString(),
    to: new Date(Date.now() + 60 * MINUTE).toISOString(),
  };
  const range = () => fixed;

  beforeAll(async () => {
    process.env.PARLEY_TEST_POSTGRES_URL = process.env.TIMESCALE_DATABASE_URL;
    harness = await createHarness({ kind: "postgres" });
    const seed = await seedTenant(harness.deps, "Timescale");
    ctx = seed.ctx;
    botId = seed.bot.id;
    flowId = seed.flow.id;
    for (const inputs of [["Ann", "large", "+1 555 123 4567"], ["Bob"], []]) {
      const started = await startConversation(ctx, botId, {});
      for (const text of inputs) await sendMessage(ctx, started.conversationId, { text });
    }
    const call = (provider: string, costUsd: number, latencyMs: number) => ({
      tenantId: seed.tenant.id,
      type: "llm.call",
      botId,
      occurredAt: new Date(),
      properties: { provider, model: `${provider}-m`, route: "default", costUsd, latencyMs, inputTokens: 10 },
    });
    await harness.deps.db.forTenant(seed.tenant.id).analyticsEvent.createMany({
      data: [call("openai", 0.1, 120), call("openai", 0.2, 80), call("anthropic", 0.3, 400)],
    });
  }, 240_000);
  afterAll(async () => {
    await harness?.cleanup();
    delete process.env.PARLEY_TEST_POSTGRES_URL;
  });

  const figures = async () => ({
    summary: await getBotAnalyticsSummary(ctx, botId, range()),
    nodes: await getFlowNodeAnalytics(ctx, flowId, range()),
    series: await getBotTimeseries(ctx, botId, { metric: "conversations", interval: "hour", ...range() }),
    costs: await getLlmCosts(ctx, { groupBy: "provider", ...range() }),
  });
  it("gives the same figures on plain tables, on hypertables, after a rollup and after compaction", async () => {
    const plain = await figures();
    expect(plain.summary.conversations).toBe(3);
    expect(plain.costs.total).toMatchObject({ calls: 3, spendUsd: 0.6, inputTokens: 30 });

    const status = await enableTimescaleIfPresent(harness.deps);
    expect(status).toEqual({ available: true, enabled: true });
    // Idempotent: a restart runs the statements again.
    expect(await enableTimescaleIfPresent(harness.deps)).toEqual({ available: true, enabled: true });
    const system = harness.deps.db.system;
    const hypertables = await system.$queryRawUnsafe<{ name: string; compressed: boolean }[]>(
      `SELECT hypertable_name AS name, compression_enabled AS compressed FROM timescaledb_information.hypertables
       WHERE hypertable_name LIKE 'analytics%' ORDER BY 1`,
    );
    expect(hypertables).toEqual([
      { name: "analytics_cohort_rollups", compressed: false },
      { name: "analytics_cost_rollups", compressed: false },
      { name: "analytics_event_store", compressed: true },
      { name: "analytics_rollups", compressed: false },
    ]);
    // The rollup tables keep row-level security; the events' store has none (the view is the wall).
    const secured = await system.$queryRawUnsafe<{ relname: string; relrowsecurity: boolean }[]>(
      `SELECT relname, relrowsecurity FROM pg_class WHERE relname IN
         ('analytics_event_store', 'analytics_rollups', 'analytics_cohort_rollups', 'analytics_cost_rollups')
       ORDER BY relname`,
    );
    expect(secured.map((row) => [row.relname, row.relrowsecurity])).toEqual([
      ["analytics_cohort_rollups", true],
      ["analytics_cost_rollups", true],
      ["analytics_event_store", false],
      ["analytics_rollups", true],
    ]);
    const jobs = await system.$queryRawUnsafe<{ proc_name: string; hypertable_name: string }[]>(
      `SELECT proc_name, hypertable_name FROM timescaledb_information.jobs
       WHERE proc_name IN ('policy_compression', 'policy_refresh_continuous_aggregate') ORDER BY proc_name`,
    );
    expect(jobs.map((job) => job.proc_name)).toEqual([
      "policy_compression",
      "policy_refresh_continuous_aggregate",
    ]);
    const caggs = await system.$queryRawUnsafe<{ view_name: string; hypertable_name: string }[]>(
      "SELECT view_name, hypertable_name FROM timescaledb_information.continuous_aggregates",
    );
    expect(caggs).toEqual([
      { view_name: "analytics_event_metric_minutes", hypertable_name: "analytics_event_store" },
    ]);
    expect(await figures()).toEqual(plain);

    // Roll everything up (a clock past the settle time): the same figures.
    const later = { ...harness.deps, clock: { now: () => Date.now() + 2 * MINUTE } };
    await rollUpTenant(later, ctx.tenantId);
    expect(await figures()).toEqual(plain);

    // A new call, then compaction days later (rows move between chunks of the rollup hypertables).
    await harness.deps.db.forTenant(ctx.tenantId).analyticsEvent.create({
      data: {
        tenantId: ctx.tenantId,
        type: "llm.call",
        botId,
        // Past the watermark the fake clock above set (a real call is created after it).
        occurredAt: new Date(Date.now() + 3 * MINUTE),
        createdAt: new Date(Date.now() + 3 * MINUTE),
        properties: { provider: "openai", model: "openai-m", costUsd: 0.4, latencyMs: 100 },
      },
    });
    await rollUpTenant({ ...harness.deps, clock: { now: () => Date.now() + 5 * MINUTE } }, ctx.tenantId);
    const withCall = await getLlmCosts(ctx, { groupBy: "provider", ...range() });
    expect(withCall.total).toMatchObject({ calls: 4, spendUsd: 1 });
    const farLater = { ...harness.deps, clock: { now: () => Date.now() + 3 * 24 * 60 * MINUTE } };
    expect((await rollUpTenant(farLater, ctx.tenantId)).compacted).toBeGreaterThan(0);
    expect(await getLlmCosts(ctx, { groupBy: "provider", ...range() })).toEqual(withCall);
    expect((await figures()).summary).toEqual({ ...plain.summary, llmCost: 1 });

    // The rollup tables keep row-level security, so TimescaleDB would refuse to compress them: asserted,
    // so a TimescaleDB that lifts it shows up here.
    await expect(
      system.$executeRawUnsafe("ALTER TABLE analytics_cost_rollups SET (timescaledb.compress)"),
    ).rejects.toThrow(/row security/);
  }, 240_000);

  it("keeps tenants apart through the view, and counts alike from compressed chunks", async () => {
    await enableTimescaleIfPresent(harness.deps);
    const system = harness.deps.db.system;
    const other = await seedTenant(harness.deps, "Other");
    const started = await startConversation(other.ctx, other.bot.id, {});
    await sendMessage(other.ctx, started.conversationId, { text: "Zed" });
    const mine = harness.deps.db.forTenant(ctx.tenantId);
    const theirs = harness.deps.db.forTenant(other.tenant.id);
    const [total] = await system.$queryRawUnsafe<{ n: number }[]>(
      "SELECT count(*)::int AS n FROM analytics_events",
    );
    const [own] = await mine.$queryRawUnsafe<{ n: number }[]>(
      "SELECT count(*)::int AS n FROM analytics_events",
    );
    const [their] = await theirs.$queryRawUnsafe<{ n: number }[]>(
      "SELECT count(*)::int AS n FROM analytics_events",
    );
    expect(own!.n).toBeGreaterThan(0);
    expect(their!.n).toBeGreaterThan(0);
    expect(own!.n + their!.n).toBe(total!.n);
    // Writing another tenant's row, or reading the store or the aggregate directly, is refused.
    await expect(
      mine.$executeRawUnsafe(
        "INSERT INTO analytics_events (id, tenant_id, type, occurred_at) VALUES ('forged', $1, 'x', now())",
        other.tenant.id,
      ),
    ).rejects.toThrow(/check option/);
    await expect(mine.$queryRawUnsafe("SELECT count(*) FROM analytics_event_store")).rejects.toThrow(
      /permission denied/,
    );
    await expect(mine.$queryRawUnsafe("SELECT count(*) FROM analytics_event_metric_minutes")).rejects.toThrow(
      /permission denied/,
    );
    // A later migration re-securing tenant tables leaves the store as it is (TimescaleDB needs it so).
    await system.$executeRawUnsafe("SELECT parley_secure_tenant_tables()");
    const [store] = await system.$queryRawUnsafe<{ rls: boolean }[]>(
      "SELECT relrowsecurity AS rls FROM pg_class WHERE relname = 'analytics_event_store'",
    );
    expect(store!.rls).toBe(false);
    // Maintenance vacuums the store (a view cannot be vacuumed).
    expect(await vacuumHotTables(harness.deps.db)).toContain("analytics_event_store");

    // The aggregate's minutes sum to what the raw events' metric view gives, metric by metric.
    const settledMinute = new Date(Math.floor((Date.now() + 10 * MINUTE) / MINUTE) * MINUTE);
    await system.$executeRawUnsafe(
      "CALL refresh_continuous_aggregate('analytics_event_metric_minutes', NULL, $1::timestamptz)",
      settledMinute,
    );
    const sums = (relation: string, created: string) =>
      system.$queryRawUnsafe<{ tenant_id: string; metric: string; node_id: string; value: number }[]>(
        `SELECT tenant_id, metric, node_id, sum(value)::float8 AS value FROM ${relation}
         WHERE ${created} < $1::timestamptz GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
        settledMinute,
      );
    const fromMinutes = await sums("analytics_event_metric_minutes", "created_minute");
    expect(fromMinutes.length).toBeGreaterThan(5);
    expect(fromMinutes).toEqual(await sums("analytics_event_metrics", "created_at"));

    // Every chunk compressed (as the policy does after a week): the same figures, and erase still works.
    const before = await figures();
    const compressed = await system.$queryRawUnsafe<{ chunk: string }[]>(
      "SELECT compress_chunk(c, if_not_compressed => true)::text AS chunk FROM show_chunks('analytics_event_store') c",
    );
    expect(compressed.length).toBeGreaterThan(0);
    expect(await figures()).toEqual(before);
    const erased = await theirs.$executeRawUnsafe(
      "UPDATE analytics_events SET properties = '{}'::jsonb WHERE conversation_id = $1",
      started.conversationId,
    );
    expect(erased).toBeGreaterThan(0);
    // Deleting a tenant cascades into its compressed events.
    await harness.deps.db.purgeTenant(other.tenant.id);
    const [left] = await system.$queryRawUnsafe<{ n: number }[]>(
      "SELECT count(*)::int AS n FROM analytics_event_store WHERE tenant_id = $1",
      other.tenant.id,
    );
    expect(left!.n).toBe(0);
    expect(await figures()).toEqual(before);
  }, 240_000);
});
