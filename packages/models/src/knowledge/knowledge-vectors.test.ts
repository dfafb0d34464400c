import { type Database, type EmbeddedPostgres, openDatabase, startEmbeddedPostgres } from "@parley/db";
import { createTestDatabase, type TestDatabase } from "@parley/db/testing";
import { createGuardedHttpClient } from "@parley/infra";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryAnalyticsSink, MODEL_EVENT_TYPES } from "../accounting/call-record";
import { staticConfigSource } from "../config/tenant-model-config";
import { ModelOrchestrator } from "../orchestrator/orchestrator";
import { type FakeProvider, hashedEmbedding, startFakeProvider } from "../test-support/fake-provider-server";
import { cosineSimilarity, mergeHybrid, similarityScore } from "./hybrid-ranking";
import { KnowledgeBase } from "./knowledge-base";
import type { KnowledgeStore } from "./knowledge-store";
import { MemoryKnowledgeStore } from "./memory-knowledge-store";
import { PostgresKnowledgeStore } from "./postgres-knowledge-store";

/**
 * A stand-in embedding model that knows some synonyms: words of one concept share a dimension, so
 * "money back" is close to "reimburse" although they share no word (what full-text search misses).
 */
const CONCEPTS: string[][] = [
  ["refund", "reimburse", "reimbursement", "money", "back"],
  ["ship", "shipping", "delivery", "deliver", "parcel", "courier"],
  ["password", "login", "sign", "credentials"],
];
function conceptEmbedding(input: string): number[] {
  const words = input.toLowerCase().match(/\p{L}+/gu) ?? [];
  const concepts = CONCEPTS.map((group) => words.filter((word) => group.includes(word)).length * 4);
  // Word identity adds a little, so unrelated texts are not all equally far.
  return [...concepts, ...hashedEmbedding(input).map((value) => value * 0.25)];
}

const PASSAGES = [
  {
    title: "Reimbursements",
    format: "markdown" as const,
    content: "# Reimbursements\n\nWe reimburse unworn shoes within 60 days of purchase.",
  },
  {
    title: "Couriers",
    format: "markdown" as const,
    content: "# Couriers\n\nA courier brings every parcel within three working days.",
  },
  {
    title: "Opening hours",
    format: "markdown" as const,
    content: "# Opening hours\n\nThe shop opens at nine on weekdays and at ten on Saturdays.",
  },
];

let provider: FakeProvider;
/** The fake servers listen on loopback: the guarded fetch is told to allow it. */
const loopback = createGuardedHttpClient({ allowLoopback: true, allowedHosts: [] });

function orchestrator(analytics = new MemoryAnalyticsSink(), minSimilarity = 0.5) {
  return new ModelOrchestrator({
    configSource: staticConfigSource({
      providers: [
        { name: "openai", kind: "openai", apiKey: "sk-embeddings-test", baseUrl: provider.baseUrl },
        { name: "offline", kind: "offline" },
      ],
      routes: { answers: { targets: [{ provider: "offline", model: "offline" }] } },
      defaultRoute: "answers",
      embeddings: { provider: "openai", model: "text-embedding-3-small", minSimilarity },
    }),
    environment: false,
    analytics,
    outbound: loopback,
  });
}

beforeAll(async () => {
  provider = await startFakeProvider({ protocol: "openai", embed: conceptEmbedding });
});
afterAll(async () => {
  await provider?.close();
});

describe("hybrid ranking", () => {
  it("puts a model's just-relevant similarity at score 0.5 and keeps the better of both scores", () => {
    expect(similarityScore(0.5, 0.5)).toBeCloseTo(0.5);
    expect(similarityScore(0.25, 0.5)).toBeCloseTo(0.25);
    expect(similarityScore(1, 0.5)).toBeCloseTo(1);
    expect(similarityScore(0.8, 0.8)).toBeCloseTo(0.5);
    expect(similarityScore(-0.3, 0.5)).toBe(0);
    expect(cosineSimilarity([1, 0], [1, 0])).toBeCloseTo(1);
    expect(cosineSimilarity([1, 0], [0, 1])).toBeCloseTo(0);
    expect(cosineSimilarity([0, 0], [0, 1])).toBe(0);

    const chunk = (id: string) => ({ chunkId: id, documentId: `d-${id}`, title: id, content: id });
    const merged = mergeHybrid(
      [
        { ...chunk("words"), score: 1, rank: 3 },
        { ...chunk("both"), score: 0.5, rank: 2 },
      ],
      [
        { chunk: chunk("meaning"), similarity: 0.9 },
        { chunk: chunk("both"), similarity: 0.6 },
      ],
      { limit: 3, minSimilarity: 0.5 },
    );
    expect(merged.map((hit) => hit.chunkId)).toEqual(["words", "meaning", "both"]);
    expect(merged[1]).toMatchObject({ score: 0.9, similarity: 0.9 });
    expect(merged[2]?.score).toBeCloseTo(0.6);
    expect(merged[2]?.similarity).toBe(0.6);
  });
});

/** Ingests the passages and checks what only vectors can find. */
async function provesHybridRetrieval(store: KnowledgeStore, context: { tenantId: string; botId: string }) {
  const analytics = new MemoryAnalyticsSink();
  const kb = new KnowledgeBase({ store, orchestrator: orchestrator(analytics) });
  const before = provider.requests.filter((request) => request.path.endsWith("/embeddings")).length;
  for (const passage of PASSAGES) {
    const result = await kb.ingestDocument(context, passage);
    expect(result.vectorSpace).toBe("openai/text-embedding-3-small");
  }
  const embeddingRequests = provider.requests.filter((request) => request.path.endsWith("/embeddings"));
  expect(embeddingRequests.length - before).toBe(PASSAGES.length);
  expect(embeddingRequests.at(-1)?.body).toMatchObject({
    model: "text-embedding-3-small",
    encoding_format: "float",
  });

  // No word in common with the reimbursement passage: only the vectors connect them.
  const question = "Can I get my money back?";
  const withoutVectors = new KnowledgeBase({ store });
  expect(await withoutVectors.search(context, question, { limit: 3 })).toEqual([]);
  // Asked not to use vectors (a caller who may not spend the model budget): no embedding call.
  const beforeSearch = provider.requests.length;
  expect(await kb.search(context, question, { limit: 3, vectors: false })).toEqual([]);
  expect(provider.requests.length).toBe(beforeSearch);
  const [best] = await kb.search(context, question, { limit: 3 });
  expect(best).toMatchObject({ title: "Reimbursements" });
  expect(best?.similarity).toBeGreaterThan(0.9);
  expect(best?.score).toBeGreaterThan(0.5);

  const answer = await kb.answer(context, { question }, { signal: AbortSignal.timeout(10_000) });
  expect(answer).toMatchObject({ answered: true, citations: [{ title: "Reimbursements" }] });

  // Words still count: a question matching the words of a passage finds it first.
  const [byWords] = await kb.search(context, "When does the shop open on Saturdays?", { limit: 3 });
  expect(byWords?.title).toBe("Opening hours");
  // Nothing related: no answer.
  expect(
    await kb.answer(context, { question: "Do you sell umbrellas?" }, { signal: AbortSignal.timeout(10_000) }),
  ).toEqual({ answered: false });

  const events = analytics.ofType(MODEL_EVENT_TYPES.embedding);
  expect(events.length).toBeGreaterThanOrEqual(PASSAGES.length + 3);
  expect(events[0]?.properties).toMatchObject({
    provider: "openai",
    model: "text-embedding-3-small",
    texts: 1,
    outcome: "ok",
  });
  expect((events[0]?.properties.inputTokens as number) > 0).toBe(true);
}

describe("hybrid retrieval in memory", () => {
  it("finds passages by meaning through the embedding model, and by their words", async () => {
    await provesHybridRetrieval(new MemoryKnowledgeStore(), { tenantId: "t1", botId: "b1" });
  });

  it("indexes for full-text search alone when the embedding model fails, and still answers", async () => {
    provider.requests.length = 0;
    const failing = await startFakeProvider({
      protocol: "openai",
      embeddingScript: [{ error: 500 }, { error: 500 }],
    });
    try {
      const analytics = new MemoryAnalyticsSink();
      const kb = new KnowledgeBase({
        store: new MemoryKnowledgeStore(),
        orchestrator: new ModelOrchestrator({
          configSource: staticConfigSource({
            providers: [
              { name: "openai", kind: "openai", apiKey: "sk-x", baseUrl: failing.baseUrl },
              { name: "offline", kind: "offline" },
            ],
            routes: { answers: { targets: [{ provider: "offline", model: "offline" }] } },
            defaultRoute: "answers",
            embeddings: { provider: "openai", model: "text-embedding-3-small" },
          }),
          environment: false,
          analytics,
          outbound: loopback,
        }),
      });
      const context = { tenantId: "t2", botId: "b2" };
      const result = await kb.ingestDocument(context, PASSAGES[2] as (typeof PASSAGES)[number]);
      expect(result.document.status).toBe("ready");
      expect(result.vectorSpace).toBeUndefined();
      const answer = await kb.answer(
        context,
        { question: "When does the shop open on Saturdays?" },
        { signal: AbortSignal.timeout(10_000) },
      );
      expect(answer).toMatchObject({ answered: true, citations: [{ title: "Opening hours" }] });
      expect(analytics.ofType(MODEL_EVENT_TYPES.embedding).map((event) => event.properties.outcome)).toEqual([
        "failed",
        "failed",
      ]);
    } finally {
      await failing.close();
    }
  });
});

async function seedBot(db: Database, name: string) {
  const tenant = await db.system.tenant.create({
    data: { name, slug: `${name}-${Date.now()}-${Math.random().toString(36).slice(2)}` },
  });
  const bot = await db.system.bot.create({
    data: {
      tenantId: tenant.id,
      name: "Help",
      publishableKey: `pk_${Math.random().toString(36).slice(2)}`,
      allowedOrigins: [],
    },
  });
  return { tenantId: tenant.id, botId: bot.id };
}

describe("Postgres without pgvector", () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase();
  }, 120_000);
  afterAll(async () => {
    await testDb?.cleanup();
  });

  it("degrades to full-text search: documents index, questions answer, nothing is created", async () => {
    const store = new PostgresKnowledgeStore(testDb.db);
    const [offered] = (await testDb.db.system.$queryRawUnsafe(
      "SELECT count(*)::int AS n FROM pg_available_extensions WHERE name = 'vector'",
    )) as Array<{ n: number }>;
    const support = await store.vectorSupport();
    if (offered?.n) {
      // A server with pgvector installed: the embedded suite below covers it; here it must just work.
      expect(support).toEqual({ available: true });
      return;
    }
    expect(support).toEqual({
      available: false,
      reason: "the database server does not offer the pgvector extension (vector)",
    });
    const context = await seedBot(testDb.db, "no-vectors");
    const kb = new KnowledgeBase({ store, orchestrator: orchestrator() });
    const result = await kb.ingestDocument(context, PASSAGES[2] as (typeof PASSAGES)[number]);
    expect(result).toMatchObject({ duplicate: false, document: { status: "ready" } });
    expect(result.vectorSpace).toBeUndefined();
    const answer = await kb.answer(
      context,
      { question: "When does the shop open on Saturdays?" },
      { signal: AbortSignal.timeout(10_000) },
    );
    expect(answer).toMatchObject({ answered: true, citations: [{ title: "Opening hours" }] });
    const [table] = (await testDb.db.system.$queryRawUnsafe(
      "SELECT to_regclass('knowledge_embeddings')::text AS name",
    )) as Array<{ name: string | null }>;
    expect(table?.name).toBeNull();
  });
});

describe("embedded Postgres with its bundled pgvector", () => {
  let server: EmbeddedPostgres;
  let db: Database;
  beforeAll(async () => {
    server = await startEmbeddedPostgres();
    db = await openDatabase({ url: server.url, poolSize: 2 });
    await db.migrate();
  }, 180_000);
  afterAll(async () => {
    await db?.close();
    await server?.stop();
  }, 30_000);

  it("sets the vectors table up on first use and combines vector similarity with full-text ranking", async () => {
    const store = new PostgresKnowledgeStore(db);
    const context = await seedBot(db, "vectors");
    await provesHybridRetrieval(store, context);
    const rows = (await db.system.$queryRawUnsafe(
      "SELECT tenant_id, bot_id, space, vector_dims(embedding) AS dims FROM knowledge_embeddings",
    )) as Array<{ tenant_id: string; bot_id: string; space: string; dims: number }>;
    expect(rows).toHaveLength(PASSAGES.length);
    expect(rows.every((row) => row.tenant_id === context.tenantId && row.bot_id === context.botId)).toBe(
      true,
    );
    expect(rows[0]).toMatchObject({ space: "openai/text-embedding-3-small", dims: 3 + 64 });

    // Row-level security: another tenant's scoped client sees none of them.
    const other = await seedBot(db, "other");
    const visible = (await db
      .forTenant(other.tenantId)
      .$queryRawUnsafe("SELECT count(*)::int AS n FROM knowledge_embeddings")) as Array<{ n: number }>;
    expect(visible[0]?.n).toBe(0);
    const own = (await db
      .forTenant(context.tenantId)
      .$queryRawUnsafe("SELECT count(*)::int AS n FROM knowledge_embeddings")) as Array<{ n: number }>;
    expect(own[0]?.n).toBe(PASSAGES.length);

    // Vectors go with their document.
    const documents = await store.listDocuments(context.tenantId, context.botId);
    const reimbursements = documents.find((document) => document.title === "Reimbursements");
    expect(await store.deleteDocument(context.tenantId, reimbursements?.id ?? "")).toBe(true);
    const left = (await db.system.$queryRawUnsafe(
      "SELECT count(*)::int AS n FROM knowledge_embeddings",
    )) as Array<{ n: number }>;
    expect(left[0]?.n).toBe(PASSAGES.length - 1);
  });
});
