import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableTestDatabaseKinds, createTestDatabase, type TestDatabase } from "../testing/index";
import { HOT_TABLES, lacksAutovacuum, ROLLUP_TABLES, vacuumHotTables } from "./hot-tables";

describe.each(await availableTestDatabaseKinds())("hot table maintenance (%s)", (kind) => {
  let testDb: TestDatabase;

  beforeAll(async () => {
    testDb = await createTestDatabase({ kind });
  }, 60_000);
  afterAll(() => testDb?.cleanup(), 30_000);

  it("knows the embedded database runs no autovacuum", async () => {
    if (kind === "embedded") expect(await lacksAutovacuum(testDb.db)).toBe(true);
    else expect(typeof (await lacksAutovacuum(testDb.db))).toBe("boolean");
  });

  it("vacuums and analyzes every hot table: statistics appear where there were none", async () => {
    const db = testDb.db.system;
    const tenant = await db.tenant.create({ data: { name: "t", slug: "vacuum-t" } });
    await db.$executeRawUnsafe(
      `INSERT INTO analytics_events (id, tenant_id, type, properties, occurred_at)
       SELECT 'e-' || n, $1, 'turn', '{}', now() FROM generate_series(1, 500) n`,
      tenant.id,
    );
    const reltuples = async () =>
      Number(
        (
          await db.$queryRawUnsafe<{ n: number }[]>(
            "SELECT reltuples::float8 AS n FROM pg_class WHERE relname = 'analytics_events'",
          )
        )[0]!.n,
      );
    expect(await reltuples()).toBeLessThan(500);
    expect(await vacuumHotTables(testDb.db)).toEqual([...HOT_TABLES, ...ROLLUP_TABLES]);
    expect(await reltuples()).toBe(500);
  });
});
