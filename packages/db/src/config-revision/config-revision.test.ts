import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../client/open-database";
import { availableTestDatabaseKinds, createTestDatabase, type TestDatabase } from "../testing/index";

const kinds = await availableTestDatabaseKinds();

/** Polls `read` until it returns something other than `before`, or fails after `withinMs`. */
async function changes(read: () => number, before: number, withinMs: number): Promise<number> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (read() !== before) return Date.now() - (deadline - withinMs);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`revision stayed ${before} for ${withinMs} ms`);
}

describe.each(kinds)("configuration revision on %s", (kind) => {
  let testDb: TestDatabase;
  let db: Database;
  /** Another process's view of the same database. */
  let other: Database;
  let tenantId: string;

  beforeAll(async () => {
    testDb = await createTestDatabase({ kind });
    db = testDb.db;
    other = await openDatabase({ url: testDb.url, poolSize: 2 });
    tenantId = (await db.system.tenant.create({ data: { name: "rev", slug: "rev" } })).id;
  });
  afterAll(async () => {
    await other?.close();
    await testDb?.cleanup();
  });

  it("moves in the same transaction as a key revocation, and another process sees it within a second", async () => {
    const tenant = db.forTenant(tenantId);
    const key = await tenant.apiKey.create({
      data: { tenantId, name: "k", prefix: "sk_rev", keyHash: "hash-rev", scopes: ["*"] },
    });
    other.configRevision.current();
    const before = await other.configRevision.refresh();
    // Using a key (lastUsedAt) is not a configuration change.
    await tenant.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } });
    expect(await other.configRevision.refresh()).toBe(before);

    await tenant.$transaction(async (tx) => {
      await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
      // Inside the revoking transaction the bump is not visible to others yet. (The embedded server runs
      // one transaction at a time: another connection would wait for this one to end.)
      if (kind === "postgres") expect(await other.configRevision.refresh()).toBe(before);
    });
    const tookMs = await changes(() => other.configRevision.current(), before, 1_000);
    expect(tookMs).toBeLessThan(1_000);
    expect(other.configRevision.current()).toBeGreaterThan(before);
  });

  it("moves when a bot's keys or entry flow, a flow's published version or an integration change", async () => {
    const tenant = db.forTenant(tenantId);
    const bot = await tenant.bot.create({
      data: { tenantId, name: "b", publishableKey: "pk_rev", allowedOrigins: [] },
    });
    const flow = await tenant.flow.create({ data: { tenantId, botId: bot.id, name: "f", draft: {} } });
    const integration = await tenant.integration.create({ data: { tenantId, name: "crm", config: {} } });
    const steps: [string, () => Promise<unknown>][] = [
      [
        "bot origins",
        () => tenant.bot.update({ where: { id: bot.id }, data: { allowedOrigins: ["https://x.test"] } }),
      ],
      ["bot entry flow", () => tenant.bot.update({ where: { id: bot.id }, data: { entryFlowId: flow.id } })],
      [
        "flow archived",
        () => tenant.flow.update({ where: { id: flow.id }, data: { archivedAt: new Date() } }),
      ],
      [
        "integration",
        () => tenant.integration.update({ where: { id: integration.id }, data: { config: { a: 1 } } }),
      ],
    ];
    for (const [what, change] of steps) {
      const before = await db.configRevision.refresh();
      await change();
      expect(await db.configRevision.refresh(), what).toBeGreaterThan(before);
    }
    // A bot's name is not something processes cache.
    const before = await db.configRevision.refresh();
    await tenant.bot.update({ where: { id: bot.id }, data: { name: "renamed" } });
    expect(await db.configRevision.refresh()).toBe(before);
  });
});
