import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableTestDatabaseKinds, createTestDatabase, type TestDatabase } from "../testing/index";
import { analyzeGrownTables } from "./analyze-grown-tables";

/** The plan a backend caches for the foreign-key check of a message insert (the RI query's shape). */
const FK_CHECK = `SELECT 1 FROM ONLY conversations x WHERE tenant_id = $1 AND id = $2 FOR KEY SHARE OF x`;

describe.each(await availableTestDatabaseKinds())("analyzing grown tables (%s)", (kind) => {
  let testDb: TestDatabase;

  beforeAll(async () => {
    testDb = await createTestDatabase({ kind });
  }, 60_000);
  afterAll(() => testDb?.cleanup(), 30_000);

  /** The index the generic (cached) plan of the foreign-key check reads, in one connection. */
  const fkCheckIndex = () =>
    testDb.db.system.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL plan_cache_mode = force_generic_plan");
      await tx.$executeRawUnsafe(`PREPARE fk_check(text, text) AS ${FK_CHECK}`);
      try {
        const plan = await tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
          "EXPLAIN EXECUTE fk_check('t', 'c')",
        );
        return plan.map((row) => row["QUERY PLAN"]).join("\n");
      } finally {
        await tx.$executeRawUnsafe("DEALLOCATE fk_check");
      }
    });

  it("analyzes a table past autovacuum's threshold, once, and the cached key check then uses the key", async () => {
    const db = testDb.db.system;
    const tenant = await db.tenant.create({ data: { name: "t", slug: "analyze-grown" } });
    const tenantId = tenant.id;
    const bot = await db.bot.create({
      data: { tenantId, name: "b", publishableKey: "pk_analyze_grown", allowedOrigins: [] },
    });
    const flow = await db.flow.create({ data: { tenantId, botId: bot.id, name: "main", draft: {} } });
    const version = await db.flowVersion.create({
      data: { tenantId, botId: bot.id, flowId: flow.id, version: 1, document: {}, status: "draft" },
    });
    // Nothing changed yet: nothing to analyze.
    expect(await analyzeGrownTables(testDb.db)).not.toContain("conversations");
    await db.$executeRawUnsafe(
      `INSERT INTO conversations (id, tenant_id, bot_id, flow_id, flow_version_id, channel, status, last_seq,
         turn_count, started_at, last_activity_at, updated_at)
       SELECT 'c-' || n, $1, $2, $3, $4, 'web', 'waiting', 0, 0, now(), now(), now()
       FROM generate_series(1, 400) n`,
      tenantId,
      bot.id,
      flow.id,
      version.id,
    );
    // Never analyzed: the tie between the tenant's indexes goes to a scan of the whole tenant.
    expect(await fkCheckIndex()).toMatch(/Index Cond: \(tenant_id = \$1\)\n.*Filter: \(id = \$2\)/);
    // pg_stat counters reach pg_stat_user_tables when the writing backend reports them.
    await expect
      .poll(() => analyzeGrownTables(testDb.db), { timeout: 10_000, interval: 200 })
      .toContain("conversations");
    expect(await analyzeGrownTables(testDb.db)).not.toContain("conversations");
    // A unique key on id (the primary key or (tenant_id, id)): one row, whatever the tenant holds.
    expect(await fkCheckIndex()).toMatch(
      /Index Scan using conversations_(pkey|tenant_id_id_key) .*\n.*Index Cond: .*\bid = \$2/,
    );
  });
});
