import { createTestDatabase, type TestDatabase } from "@parley/db/testing";
import { createGuardedHttpClient, createVault, generateKeyringEntry, parseKeyring } from "@parley/infra";
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

/** The fake server listens on loopback: the guarded client is told to allow it. */
const loopback = createGuardedHttpClient({ allowLoopback: true, allowedHosts: [] });

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
      outbound: loopback,
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
    const orchestrator = new ModelOrchestrator({
      configSource: source,
      environment: false,
      outbound: loopback,
    });
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

describe("provider endpoints", () => {
  it("refuses base URLs on loopback, metadata or private addresses when saved, as a baseUrl error", async () => {
    const { source, admin: makeAdmin } = createDatabaseModelConfig({ db: testDb.db, vault });
    const refusedBy = async (admin: ReturnType<typeof makeAdmin>, baseUrl: string) => {
      const error = await admin
        .saveProvider(tenantId, { name: "refused", kind: "openai_compatible", baseUrl })
        .catch((failure: unknown) => failure);
      expect(error).toBeInstanceOf(ModelAdminError);
      expect((error as ModelAdminError).field).toBe("baseUrl");
      return (error as ModelAdminError).message;
    };
    // The orchestrator's rules (here: nothing allowed) decide, as they do at call time.
    const strict = makeAdmin(
      new ModelOrchestrator({
        configSource: source,
        environment: false,
        outbound: createGuardedHttpClient({ allowedHosts: [], resolve: async () => ["10.0.0.7"] }),
      }),
    );
    expect(await refusedBy(strict, server.baseUrl)).toMatch(/^baseUrl cannot be used: .*loopback address/);
    expect(await refusedBy(strict, "http://169.254.169.254/latest")).toMatch(/169\.254\.169\.254/);
    expect(await refusedBy(strict, "https://llm.corp.example/v1")).toMatch(
      /10\.0\.0\.7 is a private address/,
    );
    // Without an orchestrator the strict guarded client's rules apply.
    expect(await refusedBy(makeAdmin(), server.baseUrl)).toMatch(/loopback/);
    expect((await strict.listProviders(tenantId)).map((provider) => provider.name)).not.toContain("refused");

    // A public host (here: the resolver says so) and a provider with no base URL are fine.
    const publicAdmin = makeAdmin(
      new ModelOrchestrator({
        configSource: source,
        environment: false,
        outbound: createGuardedHttpClient({ allowedHosts: [], resolve: async () => ["93.184.216.34"] }),
      }),
    );
    const saved = await publicAdmin.saveProvider(tenantId, {
      name: "hosted",
      kind: "openai_compatible",
      baseUrl: "https://llm.example.com/v1",
    });
    expect(saved).toMatchObject({ name: "hosted", baseUrl: "https://llm.example.com/v1" });
    await publicAdmin.saveProvider(tenantId, { name: "plain-openai", kind: "openai", apiKey: "sk-1" });
  });
});

describe("budget store", () => {
  it("charges no spend to a scope believed to have no budget, until that belief is dropped", async () => {
    const bot = await testDb.db.system.bot.create({
      data: { tenantId, name: "Quiet", publishableKey: `pk_quiet_${Date.now()}`, allowedOrigins: [] },
    });
    const now = new Date();
    const store = new PostgresBudgetStore(testDb.db, 60_000);
    expect(await store.applicable(tenantId, bot.id, now)).toEqual([]);
    // Another process creates a budget: this store still believes there is none and charges nothing.
    const { source, admin: makeAdmin } = createDatabaseModelConfig({ db: testDb.db, vault });
    const admin = makeAdmin(
      new ModelOrchestrator({ configSource: source, environment: false, outbound: loopback }),
    );
    await admin.saveBudget(tenantId, { botId: bot.id, monthlyLimitUsd: 1, action: "block" }, now);
    expect(await store.addSpend(tenantId, bot.id, 0.5, now)).toEqual([]);
    // Dropped (an edit through this process's admin does it): the spend is charged again.
    store.invalidate(tenantId);
    const charged = await store.addSpend(tenantId, bot.id, 0.25, now);
    expect(charged.map((budget) => budget.spentUsd)).toEqual([0.25]);
  });
});
