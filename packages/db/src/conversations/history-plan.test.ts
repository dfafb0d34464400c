import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableTestDatabaseKinds, createTestDatabase, type TestDatabase } from "../testing/index";

/** The history query of conversation-store.ts, as the planner sees it (literals for the parameters). */
const historyQuery = (tenantId: string, conversationId: string) =>
  `SELECT author, text FROM messages
   WHERE tenant_id = '${tenantId}' AND conversation_id = '${conversationId}' AND text IS NOT NULL
   ORDER BY seq DESC LIMIT 10`;

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

describe.each(await availableTestDatabaseKinds())("the history query's plan (%s)", (kind) => {
  let testDb: TestDatabase;
  let tenantId: string;
  let conversationId: string;

  beforeAll(async () => {
    testDb = await createTestDatabase({ kind });
    const db = testDb.db.system;
    const tenant = await db.tenant.create({ data: { name: "t", slug: "plan-t" } });
    tenantId = tenant.id;
    const bot = await db.bot.create({
      data: { tenantId, name: "bot", publishableKey: "pk_plan", allowedOrigins: [] },
    });
    const flow = await db.flow.create({ data: { tenantId, botId: bot.id, name: "main", draft: {} } });
    const version = await db.flowVersion.create({
      data: { tenantId, botId: bot.id, flowId: flow.id, version: 1, document: {}, status: "draft" },
    });
    // Statistics taken while the tables were small (what a new deployment has, with autovacuum off
    // or on the embedded database), then the tenant grows: 400 conversations, 20,000 messages.
    await db.$executeRawUnsafe("ANALYZE conversations");
    await db.$executeRawUnsafe("ANALYZE messages");
    await db.$executeRawUnsafe(
      `INSERT INTO conversations (id, tenant_id, bot_id, flow_id, flow_version_id, channel, updated_at)
       SELECT 'c-' || n, $1, $2, $3, $4, 'web', now() FROM generate_series(1, 400) n`,
      tenantId,
      bot.id,
      flow.id,
      version.id,
    );
    await db.$executeRawUnsafe(
      `INSERT INTO messages (id, tenant_id, conversation_id, seq, author, payload, text)
       SELECT 'm-' || n, $1, 'c-' || (n % 400 + 1), n / 400 + 1, 'user', '{"type":"text"}', 'hello'
       FROM generate_series(0, 19999) n`,
      tenantId,
    );
    conversationId = "c-7";
  }, 120_000);
  afterAll(() => testDb?.cleanup(), 30_000);

  it("reads the conversation's newest messages from the index that matches it, whatever the statistics say", async () => {
    const [row] = await testDb.db.system.$queryRawUnsafe<{ "QUERY PLAN": unknown }[]>(
      `EXPLAIN (FORMAT JSON) ${historyQuery(tenantId, conversationId)}`,
    );
    const raw = row!["QUERY PLAN"];
    const plan = (typeof raw === "string" ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
    const nodes = nodesOf(plan[0]!.Plan);
    const scans = nodes.filter((node) => node["Index Name"]);
    expect(scans.map((node) => node["Index Name"])).toEqual(["messages_tenant_id_conversation_id_seq_key"]);
    // Newest first straight from the index: no sort of the conversation's (or the tenant's) rows.
    expect(nodes.map((node) => node["Node Type"])).not.toContain("Sort");
  });
});
