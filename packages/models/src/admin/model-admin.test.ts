import { createTestDatabase, type TestDatabase } from "@parley/db/testing";
import { createVault, generateKeyringEntry, parseKeyring } from "@parley/infra";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODEL_EVENT_TYPES } from "../accounting/call-record";
import { BudgetExceededError } from "../errors";
import { ModelOrchestrator } from "../orchestrator/orchestrator";
import { databaseAnalyticsSink } from "../persistence/database-analytics-sink";
import { PostgresBudgetStore } from "../persistence/postgres-budget-store";
import { type FakeProvider, startFakeProvider } from "../test-support/fake-provider-server";
import { createDatabaseModelConfig, ModelAdminError } from "./model-admin";

let testDb: TestDatabase;
let server: FakeProvider;
let tenantId: string;
let botId: string;
const vault = createVault(parseKeyring(generateKeyringEntry("k1")));

beforeAll(async () => {
  testDb = await createTestDatabase();
  server = await startFakeProvider({
    protocol: "openai",
    otherwise: { reply: "Hello from the database route", usage: { input: 100, output: 50 } },
  });
  const tenant = await testDb.db.system.tenant.create({ data: { name: "Acme", slug: `acme-${Date.now()}` } });
  const bot = await testDb.db.system.bot.create({
    data: { tenantId: tenant.id, name: "Help", publishableKey: `pk_${Date.now()}`, allowedOrigins: [] },
  });
  tenantId = tenant.id;
  botId = bot.id;
}, 120_000);

afterAll(async () => {
  await server?.close();
  await testDb?.cleanup();
});

describe("models configuration in the database", () => {
  it("stores keys encrypted, never returns them, and routes calls with them", async () => {
    const { source, admin: makeAdmin } = createDatabaseModelConfig({ db: testDb.db, vault });
    const analyticsSink = databaseAnalyticsSink(testDb.db);
    const budgets = new PostgresBudgetStore(testDb.db);
    const now = new Date();
    const orchestrator = new ModelOrchestrator({
      configSource: source,
      environment: false,
      budgets,
      analytics: analyticsSink,
      now: () => now,
    });
    const admin = makeAdmin(orchestrator);

    const provider = await admin.saveProvider(tenantId, {
      name: "local-openai",
      kind: "openai_compatible",
      baseUrl: server.baseUrl,
      apiKey: "sk-secret-123",
    });
    expect(provider).toMatchObject({ name: "local-openai", hasApiKey: true });
    expect(JSON.stringify(provider)).not.toContain("sk-secret-123");
    const row = await testDb.db.forTenant(tenantId).modelProvider.findFirst({ where: { id: provider.id } });
    expect(row?.apiKeyCiphertext).toMatch(/^v1\.k1\./);
    expect(row?.apiKeyCiphertext).not.toContain("sk-secret");

    await expect(
      admin.saveRoute(tenantId, { name: "bad", policy: { targets: [{ provider: "nope", model: "x" }] } }),
    ).rejects.toThrow(ModelAdminError);
    const route = await admin.saveRoute(tenantId, {
      name: "main",
      isDefault: true,
      policy: { targets: [{ provider: "local-openai", model: "llama-3" }] },
    });
    expect(route?.policy.targets[0]).toMatchObject({
      provider: "local-openai",
      model: "llama-3",
      contextTokens: 8192,
    });
    await admin.savePrice(tenantId, {
      provider: "local-openai",
      model: "llama-3",
      inputPerMillion: 10,
      outputPerMillion: 20,
    });

    const tried = await admin.tryPrompt(tenantId, { prompt: "Say hello", botId });
    expect(tried).toMatchObject({
      text: "Hello from the database route",
      provider: "local-openai",
      model: "llama-3",
      route: "main",
      inputTokens: 100,
      outputTokens: 50,
    });
    // 100 * 10 / 1e6 + 50 * 20 / 1e6
    expect(tried.costUsd).toBeCloseTo(0.002, 10);
    expect(server.requests.at(-1)?.headers.authorization).toBe("Bearer sk-secret-123");

    // Budget: $0.003 for the bot; the second call (0.004 total) crosses 80% and then the cap.
    await admin.saveBudget(tenantId, { botId, monthlyLimitUsd: 0.003, action: "block" }, now);
    await admin.tryPrompt(tenantId, { prompt: "one", botId });
    await admin.tryPrompt(tenantId, { prompt: "two", botId });
    await expect(admin.tryPrompt(tenantId, { prompt: "three", botId })).rejects.toThrow(BudgetExceededError);
    const [budget] = await admin.listBudgets(tenantId, now);
    expect(budget?.spentUsd).toBeCloseTo(0.004, 9);
    expect(budget?.warnedAt).toBeDefined();

    const events = await testDb.db
      .forTenant(tenantId)
      .analyticsEvent.findMany({ orderBy: { occurredAt: "asc" } });
    const calls = events.filter((event) => event.type === MODEL_EVENT_TYPES.call);
    expect(calls.map((event) => (event.properties as { outcome: string }).outcome)).toEqual([
      "ok",
      "ok",
      "ok",
      "blocked",
    ]);
    expect(calls[0]?.properties).toMatchObject({
      provider: "local-openai",
      model: "llama-3",
      costUsd: 0.002,
      cacheHit: false,
    });
    expect(events.filter((event) => event.type === MODEL_EVENT_TYPES.budgetWarning)).toHaveLength(1);
  });
});

describe("embedding model settings", () => {
  it("validates the provider, stores the model in the tenant's settings and reaches the orchestrator", async () => {
    const { source, admin: makeAdmin } = createDatabaseModelConfig({ db: testDb.db, vault });
    const orchestrator = new ModelOrchestrator({ configSource: source, environment: false });
    const admin = makeAdmin(orchestrator);
    await admin.saveProvider(tenantId, { name: "claude", kind: "anthropic", apiKey: "sk-ant-1" });
    await admin.saveProvider(tenantId, {
      name: "embedder",
      kind: "openai_compatible",
      baseUrl: server.baseUrl,
    });
    await expect(admin.saveEmbeddings(tenantId, { provider: "missing", model: "m" })).rejects.toThrow(
      /not configured/,
    );
    await expect(admin.saveEmbeddings(tenantId, { provider: "claude", model: "m" })).rejects.toThrow(
      ModelAdminError,
    );
    expect(await admin.getEmbeddings(tenantId)).toBeNull();

    const saved = await admin.saveEmbeddings(tenantId, { provider: "embedder", model: "nomic-embed-text" });
    expect(saved).toEqual({ provider: "embedder", model: "nomic-embed-text", minSimilarity: 0.5 });
    expect(await admin.getEmbeddings(tenantId)).toEqual(saved);
    const embedded = await orchestrator.embed(
      ["hello"],
      { tenantId },
      { signal: AbortSignal.timeout(5_000) },
    );
    expect(embedded).toMatchObject({ space: "embedder/nomic-embed-text" });
    expect(embedded?.vectors[0]).toHaveLength(64);
    expect(server.requests.at(-1)?.path).toBe("/v1/embeddings");

    await admin.saveEmbeddings(tenantId, null);
    expect(await admin.getEmbeddings(tenantId)).toBeNull();
    expect(
      await orchestrator.embed(["hello"], { tenantId }, { signal: AbortSignal.timeout(5_000) }),
    ).toBeUndefined();
  });
});
