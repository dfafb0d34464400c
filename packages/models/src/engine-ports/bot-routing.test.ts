import { randomUUID } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "@parley/db/testing";
import type { LlmPort } from "@parley/engine";
import { createGuardedHttpClient, createVault, generateKeyringEntry, parseKeyring } from "@parley/infra";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODEL_EVENT_TYPES } from "../accounting/call-record";
import { type ModelAdmin, ModelAdminError } from "../admin/model-admin";
import { type FakeProvider, startFakeProvider } from "../test-support/fake-provider-server";
import { createModelEnginePorts, type ModelEngineServices } from "./create-model-engine-ports";

/**
 * Per-bot routing in the runtime path: the llm port core gives a turn (createModelEnginePorts over
 * a real database), two providers behind local servers speaking the OpenAI protocol, and the
 * workspace's and bots' routing choices saved through the admin as the studio saves them.
 */
let testDb: TestDatabase;
let alpha: FakeProvider;
let beta: FakeProvider;
let models: ModelEngineServices;
let admin: ModelAdmin;
let tenantId: string;
const bots = { plain: "", premium: "", prefersBeta: "" };

beforeAll(async () => {
  testDb = await createTestDatabase();
  alpha = await startFakeProvider({ protocol: "openai", otherwise: { reply: "from alpha" } });
  beta = await startFakeProvider({ protocol: "openai", otherwise: { reply: "from beta" } });
  const tenant = await testDb.db.system.tenant.create({
    data: { name: "Routing", slug: `routing-${Date.now()}` },
  });
  tenantId = tenant.id;
  for (const name of Object.keys(bots) as (keyof typeof bots)[]) {
    const bot = await testDb.db.system.bot.create({
      data: { tenantId, name, publishableKey: `pk_${name}_${randomUUID()}`, allowedOrigins: [] },
    });
    bots[name] = bot.id;
  }
  models = createModelEnginePorts({
    db: testDb.db,
    vault: createVault(parseKeyring(generateKeyringEntry("k1"))),
    http: createGuardedHttpClient({ allowLoopback: true }),
    environment: false,
  });
  admin = models.admin();
  for (const [name, server] of [
    ["alpha", alpha],
    ["beta", beta],
  ] as const)
    await admin.saveProvider(tenantId, { name, kind: "openai_compatible", baseUrl: server.baseUrl });
  const target = (provider: string) => ({ provider, model: `${provider}-model` });
  await admin.saveRoute(tenantId, { name: "standard", policy: { targets: [target("alpha")] } });
  await admin.saveRoute(tenantId, { name: "premium", policy: { targets: [target("beta")] } });
  await admin.saveRoute(tenantId, { name: "both", policy: { targets: [target("alpha"), target("beta")] } });
  await admin.saveTenantRouting(tenantId, { defaultRoute: "standard", preferredProviders: [] });
}, 120_000);

afterAll(async () => {
  await alpha?.close();
  await beta?.close();
  await testDb?.cleanup();
});

/** The llm port a turn of `botId` gets. */
function portOf(botId: string): LlmPort {
  const { llm } = models.enginePorts({ tenantId, botId, conversationId: randomUUID() });
  if (!llm) throw new Error("the model layer gave no llm port");
  return llm;
}

/** What the bot's llm node asking for `route` gets back. */
async function answer(botId: string, route: string): Promise<string> {
  const response = await portOf(botId).complete(
    { route, messages: [{ role: "user", content: "Which model are you?" }] },
    { signal: AbortSignal.timeout(10_000) },
  );
  return response.text;
}

describe("bot routing in the runtime path", () => {
  it("answers through the bot's default route and overrides, and the workspace's otherwise", async () => {
    expect(await answer(bots.plain, "default")).toBe("from alpha");
    expect(await answer(bots.premium, "default")).toBe("from alpha");

    await admin.saveBotRouting(tenantId, bots.premium, {
      defaultRoute: "premium",
      // Template flows ask for `fast`, which this workspace has no route of.
      routeOverrides: [
        { requested: "fast", route: "premium" },
        { requested: "standard", route: "both" },
      ],
    });
    // Saved through the admin: the very next call sees it (no restart, no cache wait).
    expect(await answer(bots.premium, "default")).toBe("from beta");
    expect(await answer(bots.premium, "fast")).toBe("from beta");
    // Overridden to "both", whose first target is alpha's.
    expect(await answer(bots.premium, "standard")).toBe("from alpha");
    // Another bot of the workspace is unaffected: an unknown route falls back to the default.
    expect(await answer(bots.plain, "fast")).toBe("from alpha");

    const calls = await testDb.db
      .forTenant(tenantId)
      .analyticsEvent.findMany({ where: { type: MODEL_EVENT_TYPES.call, botId: bots.premium } });
    const routes = calls.map((call) => {
      const properties = call.properties as { requestedRoute: string; route: string; provider: string };
      return `${properties.requestedRoute}->${properties.route}@${properties.provider}`;
    });
    expect(routes).toEqual(
      expect.arrayContaining(["default->premium@beta", "fast->premium@beta", "standard->both@alpha"]),
    );

    // Back to the workspace's choices.
    await admin.saveBotRouting(tenantId, bots.premium, {});
    expect(await answer(bots.premium, "fast")).toBe("from alpha");
  });

  it("tries preferred providers first, in the order preferred; a bot's list replaces the workspace's", async () => {
    const before = beta.requests.length;
    expect(await answer(bots.prefersBeta, "both")).toBe("from alpha");
    await admin.saveBotRouting(tenantId, bots.prefersBeta, { preferredProviders: ["beta"] });
    expect(await answer(bots.prefersBeta, "both")).toBe("from beta");
    expect(beta.requests.length).toBe(before + 1);

    // The workspace prefers beta, then alpha: the rank counts, not only membership.
    await admin.saveTenantRouting(tenantId, {
      defaultRoute: "standard",
      preferredProviders: ["beta", "alpha"],
    });
    expect(await answer(bots.plain, "both")).toBe("from beta");
    await admin.saveTenantRouting(tenantId, {
      defaultRoute: "standard",
      preferredProviders: ["alpha", "beta"],
    });
    expect(await answer(bots.plain, "both")).toBe("from alpha");
    // The bot's own list (beta) wins over the workspace's; an empty own list means no preference.
    expect(await answer(bots.prefersBeta, "both")).toBe("from beta");
    await admin.saveBotRouting(tenantId, bots.prefersBeta, { preferredProviders: [] });
    expect(await answer(bots.prefersBeta, "both")).toBe("from alpha");
    await admin.saveTenantRouting(tenantId, { defaultRoute: "standard", preferredProviders: [] });
  });

  it("refuses unknown routes and providers, duplicate and self overrides, with every problem by field", async () => {
    const failure = await admin
      .saveBotRouting(tenantId, bots.plain, {
        defaultRoute: "nope",
        routeOverrides: [
          { requested: "fast", route: "premium" },
          { requested: "fast", route: "standard" },
          { requested: "default", route: "premium" },
          { requested: "smart", route: "missing" },
          { requested: "premium", route: "premium" },
        ],
        preferredProviders: ["beta", "ghost", "beta"],
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ModelAdminError);
    expect((failure as ModelAdminError).issues).toEqual([
      { path: "defaultRoute", message: 'no route named "nope" exists' },
      { path: "routeOverrides.1.requested", message: '"fast" is overridden twice' },
      {
        path: "routeOverrides.2.requested",
        message: 'set the bot\'s default route instead of overriding "default"',
      },
      { path: "routeOverrides.3.route", message: 'no route named "missing" exists' },
      { path: "routeOverrides.4.route", message: "a route cannot be overridden by itself" },
      { path: "preferredProviders.1", message: 'no provider named "ghost" is configured' },
      { path: "preferredProviders.2", message: '"beta" is listed twice' },
    ]);
    // Nothing was stored.
    expect(await admin.getBotRouting(tenantId, bots.plain)).toEqual({
      botId: bots.plain,
      defaultRoute: null,
      routeOverrides: [],
      preferredProviders: null,
    });

    const foreign = await admin
      .saveBotRouting(tenantId, randomUUID(), { defaultRoute: "premium" })
      .catch((error: unknown) => error);
    expect((foreign as ModelAdminError).field).toBe("botId");

    const tenantFailure = await admin
      .saveTenantRouting(tenantId, { defaultRoute: "nope", preferredProviders: ["offline", "ghost"] })
      .catch((error: unknown) => error);
    expect((tenantFailure as ModelAdminError).issues.map((issue) => issue.path)).toEqual([
      "defaultRoute",
      "preferredProviders.1",
    ]);
    expect(await admin.getTenantRouting(tenantId)).toEqual({
      defaultRoute: "standard",
      preferredProviders: [],
    });
  });
});
