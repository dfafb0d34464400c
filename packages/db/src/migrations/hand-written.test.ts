import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../client/open-database";
import { availableTestDatabaseKinds, createTestDatabase, type TestDatabase } from "../testing/index";

const kinds = await availableTestDatabaseKinds();

/** A tenant with a bot and a flow, created through the system client. */
async function tenantWithFlow(db: Database, slug: string) {
  const tenant = await db.system.tenant.create({ data: { name: slug, slug } });
  const scoped = db.forTenant(tenant.id);
  const tenantId = tenant.id;
  const bot = await scoped.bot.create({
    data: { tenantId, name: "bot", publishableKey: `pk_${slug}`, allowedOrigins: [] },
  });
  const flow = await scoped.flow.create({
    data: { tenantId, botId: bot.id, name: "main", draft: { nodes: [] } },
  });
  return { tenantId, scoped, bot, flow };
}

describe.each(kinds)("hand-written migration objects on %s", (kind) => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase({ kind });
    db = testDb.db;
  });
  afterAll(() => testDb?.cleanup());

  it("make published flow versions immutable, drafts editable, and publishing require the machine", async () => {
    const { tenantId, scoped, bot, flow } = await tenantWithFlow(db, "immutable");
    const draft = await scoped.flowVersion.create({
      data: { tenantId, botId: bot.id, flowId: flow.id, version: 1, document: { v: 1 } },
    });
    await scoped.flowVersion.update({ where: { id: draft.id }, data: { note: "edited while a draft" } });
    await expect(
      scoped.flowVersion.update({
        where: { id: draft.id },
        data: { status: "published", publishedAt: new Date() },
      }),
    ).rejects.toThrow(/flow_versions_published_complete/);

    const published = await scoped.flowVersion.update({
      where: { id: draft.id },
      data: { status: "published", machine: { id: "m" }, publishedAt: new Date() },
    });
    expect(published.status).toBe("published");
    await expect(scoped.flowVersion.update({ where: { id: draft.id }, data: { note: "x" } })).rejects.toThrow(
      /immutable/,
    );
    await expect(scoped.flowVersion.delete({ where: { id: draft.id } })).rejects.toThrow(/immutable/);
    // Not even the system client, and not through a cascade from its flow.
    await expect(
      db.system.flowVersion.update({ where: { id: draft.id }, data: { note: "x" } }),
    ).rejects.toThrow(/immutable/);
    await expect(db.system.flow.delete({ where: { id: flow.id } })).rejects.toThrow(/immutable/);
    const unchanged = await scoped.flowVersion.findUniqueOrThrow({ where: { id: draft.id } });
    expect(unchanged.note).toBe("edited while a draft");
  });

  it("keep the audit log append-only", async () => {
    const { tenantId, scoped } = await tenantWithFlow(db, "audited");
    const entry = await scoped.auditLogEntry.create({
      data: {
        tenantId,
        actorType: "system",
        action: "bot.update",
        targetType: "bot",
        before: { a: 1 },
        after: { a: 2 },
      },
    });
    await expect(
      scoped.auditLogEntry.update({ where: { id: entry.id }, data: { action: "x" } }),
    ).rejects.toThrow(/append-only/);
    await expect(db.system.auditLogEntry.deleteMany({ where: { tenantId } })).rejects.toThrow(/append-only/);
    await expect(db.system.$executeRawUnsafe("TRUNCATE audit_log")).rejects.toThrow(/append-only/);
    await expect(db.system.tenant.delete({ where: { id: tenantId } })).rejects.toThrow(/append-only/);
    expect(await scoped.auditLogEntry.count()).toBe(1);
  });

  it("let purgeTenant remove one tenant with its published versions and audit log, and nothing else", async () => {
    const doomed = await tenantWithFlow(db, "doomed");
    const kept = await tenantWithFlow(db, "kept");
    for (const { tenantId, scoped, bot, flow } of [doomed, kept]) {
      await scoped.flowVersion.create({
        data: {
          tenantId,
          botId: bot.id,
          flowId: flow.id,
          version: 1,
          document: {},
          machine: {},
          status: "published",
          publishedAt: new Date(),
        },
      });
      await scoped.auditLogEntry.create({
        data: { tenantId, actorType: "system", action: "x", targetType: "t" },
      });
    }
    await db.purgeTenant(doomed.tenantId);
    expect(await db.system.tenant.findUnique({ where: { id: doomed.tenantId } })).toBeNull();
    expect(await db.system.flowVersion.count({ where: { tenantId: doomed.tenantId } })).toBe(0);
    expect(await db.system.auditLogEntry.count({ where: { tenantId: doomed.tenantId } })).toBe(0);
    expect(await kept.scoped.flowVersion.count()).toBe(1);
    expect(await kept.scoped.auditLogEntry.count()).toBe(1);
    // The purge switch only works for the system role: a tenant context cannot use it.
    await expect(
      kept.scoped.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT set_config('parley.purge_tenant', ${kept.tenantId}, true)`;
        await tx.$executeRaw`DELETE FROM audit_log`;
      }),
    ).rejects.toThrow(/append-only/);
  });

  it("index knowledge chunks for full-text search in the document's language", async () => {
    const { tenantId, scoped, bot } = await tenantWithFlow(db, "knowledge");
    const document = await scoped.knowledgeDocument.create({
      data: { tenantId, botId: bot.id, title: "Delivery", source: "text", status: "ready" },
    });
    await scoped.knowledgeChunk.createMany({
      data: [
        {
          tenantId,
          botId: bot.id,
          documentId: document.id,
          ordinal: 0,
          content: "We are delivering pizzas until midnight.",
        },
        {
          tenantId,
          botId: bot.id,
          documentId: document.id,
          ordinal: 1,
          content: "Refunds take five days.",
          language: "klingon",
        },
      ],
    });
    const hits = await scoped.$queryRaw<{ ordinal: number }[]>`
      SELECT ordinal FROM knowledge_chunks
      WHERE bot_id = ${bot.id} AND search_vector @@ websearch_to_tsquery('english', 'delivered pizza')`;
    expect(hits.map((hit) => hit.ordinal)).toEqual([0]);
    // An unknown language falls back to the 'simple' configuration (no stemming, but searchable).
    const simple = await scoped.$queryRaw<{ ordinal: number }[]>`
      SELECT ordinal FROM knowledge_chunks
      WHERE bot_id = ${bot.id} AND search_vector @@ plainto_tsquery('simple', 'refunds')`;
    expect(simple.map((hit) => hit.ordinal)).toEqual([1]);
    await scoped.knowledgeChunk.updateMany({ where: { ordinal: 1 }, data: { content: "Returns are free." } });
    const updated = await scoped.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM knowledge_chunks WHERE search_vector @@ plainto_tsquery('simple', 'returns')`;
    expect(updated[0]?.n).toBe(1);
  });

  it("allow one tenant-wide budget and one per bot", async () => {
    const { tenantId, scoped, bot } = await tenantWithFlow(db, "budgets");
    const periodStart = new Date("2026-11-01");
    await scoped.budget.create({ data: { tenantId, monthlyLimitUsd: 100, periodStart } });
    await scoped.budget.create({ data: { tenantId, botId: bot.id, monthlyLimitUsd: 10, periodStart } });
    await expect(
      scoped.budget.create({ data: { tenantId, monthlyLimitUsd: 5, periodStart } }),
    ).rejects.toThrow(/budgets_tenant_wide_key|Unique constraint/);
    await expect(
      scoped.budget.create({ data: { tenantId, botId: bot.id, monthlyLimitUsd: 5, periodStart } }),
    ).rejects.toThrow(/Unique constraint/);
  });
});
