import { type FakeProvider, startFakeProvider } from "@parley/models/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStudioHarness, type StudioCaller, type StudioHarness } from "../test-support/harness";

/**
 * The models page's API through createCaller on a real database: keys stored encrypted and never
 * returned (only their last characters, only to managers), routes with ordered targets and field
 * errors, prices, budgets, and "try it" through local servers speaking the OpenAI protocol.
 */
let harness: StudioHarness;
let owner: StudioCaller;
let editor: StudioCaller;
let viewer: StudioCaller;
let tenantId: string;
let botId: string;
let healthy: FakeProvider;
let broken: FakeProvider;

const SECRET = "sk-live-very-secret-key-7f3a";

beforeAll(async () => {
  harness = await createStudioHarness();
  const tenant = await harness.tenant("Models Inc");
  tenantId = tenant.tenantId;
  owner = await harness.as(tenant.ownerId, tenantId);
  editor = await harness.as((await harness.member(tenantId, "editor")).userId, tenantId);
  viewer = await harness.as((await harness.member(tenantId, "viewer")).userId, tenantId);
  botId = (await owner.bots.create({ name: "Support" })).id;
  healthy = await startFakeProvider({
    protocol: "openai",
    otherwise: { reply: "Paris is the capital of France.", usage: { input: 100, output: 50 } },
  });
  broken = await startFakeProvider({ protocol: "openai", otherwise: { error: 503, message: "overloaded" } });
});

afterAll(async () => {
  await healthy?.close();
  await broken?.close();
  await harness?.cleanup();
});

/** The failure of a call: its tRPC code, message and field issues. */
async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const cause = error.cause as { details?: { errors?: { path: string; message: string }[] } } | undefined;
    const zodIssues = (error.cause as { issues?: { path: PropertyKey[]; message: string }[] } | undefined)
      ?.issues;
    const issues =
      cause?.details?.errors ??
      zodIssues?.map((issue) => ({ path: issue.path.join("."), message: issue.message })) ??
      [];
    return { code: error.code, message: error.message, issues };
  }
  throw new Error("expected the call to fail");
}

async function auditJson() {
  const rows = await harness.testDb.db
    .forTenant(tenantId)
    .auditLogEntry.findMany({ orderBy: { createdAt: "asc" } });
  return { rows, json: JSON.stringify(rows) };
}

describe("models router", () => {
  it("answers with the offline provider when nothing is configured", async () => {
    const result = await editor.models.tryPrompt({ prompt: "Hello there" });
    expect(result).toMatchObject({ provider: "offline", model: "offline", route: "default", costUsd: 0 });
    expect(result.text.length).toBeGreaterThan(0);
    expect(result.inputTokens).toBeGreaterThan(0);
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    const choices = await viewer.models.choices();
    expect(choices.routes).toEqual(["default"]);
    expect(choices.providers).toContainEqual({ name: "offline", kind: "offline", origin: "environment" });
  });

  it("stores a key encrypted, shows only its last characters to managers, and never audits it", async () => {
    const saved = await owner.models.saveProvider({
      name: "healthy",
      kind: "openai_compatible",
      baseUrl: healthy.baseUrl,
      apiKey: SECRET,
    });
    expect(saved).toMatchObject({ name: "healthy", hasApiKey: true });
    expect(JSON.stringify(saved)).not.toContain(SECRET);
    const row = await harness.testDb.db
      .forTenant(tenantId)
      .modelProvider.findFirst({ where: { id: saved.id } });
    expect(row?.apiKeyCiphertext).toBeTruthy();
    expect(row?.apiKeyCiphertext).not.toContain(SECRET);

    const asOwner = (await owner.models.providers()).find((p) => p.id === saved.id);
    expect(asOwner?.keyHint).toBe("…7f3a");
    const asViewer = (await viewer.models.providers()).find((p) => p.id === saved.id);
    expect(asViewer?.keyHint).toBe("set");
    expect(JSON.stringify(await viewer.models.providers())).not.toContain(SECRET);

    // Renaming keeps the key when none is given; removing it is explicit.
    await owner.models.saveProvider({
      id: saved.id,
      name: "healthy",
      kind: "openai_compatible",
      baseUrl: healthy.baseUrl,
    });
    expect((await owner.models.providers()).find((p) => p.id === saved.id)?.keyHint).toBe("…7f3a");

    const { rows, json } = await auditJson();
    expect(json).not.toContain(SECRET);
    expect(json).not.toContain("7f3a");
    const actions = rows.filter((r) => r.targetId === saved.id).map((r) => r.action);
    expect(actions).toEqual(["model_provider.create", "model_provider.update"]);
    expect(rows.find((r) => r.action === "model_provider.create")?.after).toMatchObject({
      name: "healthy",
      keyStored: true,
      keyChange: "replaced",
    });
    expect(rows.find((r) => r.action === "model_provider.update")?.after).toMatchObject({
      keyChange: "kept",
    });
  });

  it("refuses bad provider input with field errors, and a taken name with CONFLICT", async () => {
    const bad = await failure(
      owner.models.saveProvider({ name: "has space", kind: "openai_compatible", baseUrl: "ftp://x" }),
    );
    expect(bad.code).toBe("BAD_REQUEST");
    expect(bad.issues.map((issue) => issue.path).sort()).toEqual(["baseUrl", "name"]);

    // An endpoint the platform may not contact (cloud metadata) is refused on the field itself.
    const ssrf = await failure(
      owner.models.saveProvider({
        name: "metadata",
        kind: "openai_compatible",
        baseUrl: "http://169.254.169.254/v1",
      }),
    );
    expect(ssrf.code).toBe("BAD_REQUEST");
    expect(ssrf.issues[0]?.path).toBe("baseUrl");
    expect(ssrf.message).toMatch(/baseUrl cannot be used/);

    const taken = await failure(owner.models.saveProvider({ name: "healthy", kind: "openai" }));
    expect(taken.code).toBe("CONFLICT");
    expect(taken.issues).toEqual([{ path: "name", message: 'a provider named "healthy" already exists' }]);
  });

  it("saves an ordered route, points unknown providers at their row, and falls back in order", async () => {
    await owner.models.saveProvider({ name: "broken", kind: "openai_compatible", baseUrl: broken.baseUrl });
    const unknown = await failure(
      owner.models.saveRoute({
        name: "main",
        policy: {
          targets: [
            { provider: "healthy", model: "m1" },
            { provider: "nope", model: "m2" },
          ],
        },
      }),
    );
    expect(unknown.code).toBe("BAD_REQUEST");
    expect(unknown.issues).toEqual([
      { path: "policy.targets.1.provider", message: 'no provider named "nope" is configured' },
    ]);
    const empty = await failure(owner.models.saveRoute({ name: "main", policy: { targets: [] } }));
    expect(empty.issues[0]?.path).toBe("policy.targets");

    const route = await owner.models.saveRoute({
      name: "main",
      isDefault: true,
      policy: {
        strategy: "fallback",
        targets: [
          { provider: "broken", model: "big" },
          { provider: "healthy", model: "small" },
          { provider: "offline", model: "offline" },
        ],
        retry: { attempts: 1 },
      },
    });
    expect(route.policy.targets.map((t) => t.provider)).toEqual(["broken", "healthy", "offline"]);
    await owner.models.savePrice({
      provider: "healthy",
      model: "small",
      inputPerMillion: 10,
      outputPerMillion: 20,
    });

    const answer = await editor.models.tryPrompt({ prompt: "Capital of France?", route: "main", botId });
    expect(answer).toMatchObject({
      text: "Paris is the capital of France.",
      provider: "healthy",
      model: "small",
      route: "main",
      inputTokens: 100,
      outputTokens: 50,
      cacheHit: false,
    });
    // (100 × $10 + 50 × $20) per million tokens.
    expect(answer.costUsd).toBeCloseTo(0.002, 9);
    expect(answer.attempts.map((a) => [a.provider, a.outcome === "ok" ? "ok" : "failed"])).toEqual([
      ["broken", "failed"],
      ["healthy", "ok"],
    ]);
    expect(broken.requests.length).toBeGreaterThan(0);

    // Reordered (as the drag list does) and saved: the order is kept.
    const reordered = await owner.models.saveRoute({
      id: route.id,
      name: "main",
      isDefault: true,
      policy: {
        ...route.policy,
        targets: [1, 0, 2].map((i) => route.policy.targets[i] as (typeof route.policy.targets)[number]),
      },
    });
    expect(reordered.policy.targets.map((t) => t.provider)).toEqual(["healthy", "broken", "offline"]);
    expect((await viewer.models.routes()).find((r) => r.id === route.id)?.policy.targets[0]?.provider).toBe(
      "healthy",
    );
    expect((await viewer.models.choices()).defaultRoute).toBe("main");

    // A provider a route uses cannot be deleted or renamed.
    const providers = await owner.models.providers();
    const brokenId = providers.find((p) => p.name === "broken")?.id as string;
    expect((await failure(owner.models.deleteProvider({ providerId: brokenId }))).code).toBe("CONFLICT");
    const rename = await failure(
      owner.models.saveProvider({
        id: brokenId,
        name: "renamed",
        kind: "openai_compatible",
        baseUrl: broken.baseUrl,
      }),
    );
    expect(rename.code).toBe("CONFLICT");
    expect(rename.issues[0]?.path).toBe("name");

    const unknownRoute = await failure(editor.models.tryPrompt({ prompt: "hi", route: "missing" }));
    expect(unknownRoute.code).toBe("NOT_FOUND");
    expect(unknownRoute.message).toMatch(/missing/);
  });

  it("edits the price table with before/after in the audit log", async () => {
    const first = await owner.models.savePrice({
      provider: "openai",
      model: "gpt-x",
      inputPerMillion: 1,
      outputPerMillion: 2,
    });
    await owner.models.savePrice({
      provider: "openai",
      model: "gpt-x",
      inputPerMillion: 3,
      outputPerMillion: 4,
    });
    const { prices, defaults } = await viewer.models.prices();
    expect(prices.find((p) => p.model === "gpt-x")).toMatchObject({
      inputPerMillion: 3,
      outputPerMillion: 4,
    });
    expect(defaults.some((p) => p.provider === "offline")).toBe(true);
    const update = (await auditJson()).rows.find(
      (r) => r.action === "model_price.update" && r.targetId === first.id,
    );
    expect(update?.before).toMatchObject({ inputPerMillion: 1, outputPerMillion: 2 });
    expect(update?.after).toMatchObject({ inputPerMillion: 3, outputPerMillion: 4 });
    const negative = await failure(
      owner.models.savePrice({
        provider: "openai",
        model: "gpt-x",
        inputPerMillion: -1,
        outputPerMillion: 0,
      }),
    );
    expect(negative.issues[0]?.path).toBe("inputPerMillion");
    await owner.models.deletePrice({ priceId: first.id });
    expect((await viewer.models.prices()).prices.some((p) => p.model === "gpt-x")).toBe(false);
    expect((await failure(owner.models.deletePrice({ priceId: first.id }))).code).toBe("NOT_FOUND");
  });

  it("keeps budgets per workspace and per bot, blocks when spent, and downgrades only to a real route", async () => {
    const noRoute = await failure(owner.models.saveBudget({ monthlyLimitUsd: 5, action: "downgrade" }));
    expect(noRoute.code).toBe("BAD_REQUEST");
    expect(noRoute.issues).toEqual([{ path: "downgradeRoute", message: "choose the route to downgrade to" }]);
    const ghost = await failure(
      owner.models.saveBudget({ monthlyLimitUsd: 5, action: "downgrade", downgradeRoute: "ghost" }),
    );
    expect(ghost.issues[0]).toEqual({ path: "downgradeRoute", message: 'no route named "ghost" exists' });

    const tenantBudget = await owner.models.saveBudget({
      monthlyLimitUsd: 100,
      action: "downgrade",
      downgradeRoute: "main",
    });
    expect(tenantBudget).toMatchObject({ monthlyLimitUsd: 100, action: "downgrade", downgradeRoute: "main" });
    // The route a budget downgrades to cannot be deleted under it.
    const main = (await owner.models.routes()).find((r) => r.name === "main");
    expect((await failure(owner.models.deleteRoute({ routeId: main?.id as string }))).code).toBe("CONFLICT");

    // A bot budget smaller than one call: the first call spends it, the next is blocked.
    const botBudget = await owner.models.saveBudget({ botId, monthlyLimitUsd: 0.001, action: "block" });
    expect(botBudget?.botId).toBe(botId);
    await editor.models.tryPrompt({ prompt: "Capital of France?", route: "main", botId });
    const budgets = await viewer.models.budgets();
    expect(budgets.find((b) => b.botId === botId)?.spentUsd).toBeCloseTo(0.002, 9);
    const blocked = await failure(editor.models.tryPrompt({ prompt: "Again?", route: "main", botId }));
    expect(blocked.code).toBe("TOO_MANY_REQUESTS");
    expect(blocked.message).toMatch(/budget/);

    await owner.models.deleteBudget({ budgetId: botBudget?.id as string });
    await owner.models.deleteBudget({ budgetId: tenantBudget?.id as string });
    expect(await viewer.models.budgets()).toEqual([]);
    const actions = (await auditJson()).rows.map((r) => r.action);
    expect(actions.filter((a) => a.startsWith("budget."))).toEqual([
      "budget.create",
      "budget.create",
      "budget.delete",
      "budget.delete",
    ]);
  });

  it("lists every model failure when no target answers", async () => {
    await owner.models.saveRoute({
      name: "doomed",
      policy: { targets: [{ provider: "broken", model: "big" }], retry: { attempts: 1 } },
    });
    const failed = await failure(editor.models.tryPrompt({ prompt: "hello", route: "doomed" }));
    expect(failed.code).toBe("SERVICE_UNAVAILABLE");
    expect(failed.issues[0]?.path).toBe("broken/big");
    expect(failed.message).toMatch(/no model of route "doomed" could answer/);
  });

  it("sets the workspace's and a bot's routing with field errors and audit, and try-it follows the bot", async () => {
    await owner.models.saveRoute({
      name: "quick",
      policy: { targets: [{ provider: "offline", model: "offline" }] },
    });
    // The bot's flows ask for "smart": offered as a name to override.
    await harness.testDb.db.forTenant(tenantId).flow.create({
      data: { tenantId, botId, name: "Asks smart", draft: { nodes: [{ type: "llm", modelRoute: "smart" }] } },
    });
    const initial = await viewer.models.routing();
    expect(initial.workspace).toEqual({ defaultRoute: "main", preferredProviders: [] });
    expect(initial.bots).toEqual([
      {
        botId,
        defaultRoute: null,
        routeOverrides: [],
        preferredProviders: null,
        requestedByFlows: ["smart"],
      },
    ]);
    for (const caller of [viewer, editor])
      expect((await failure(caller.models.saveBotRouting({ botId, defaultRoute: "quick" }))).code).toBe(
        "FORBIDDEN",
      );

    const bad = await failure(
      owner.models.saveBotRouting({
        botId,
        defaultRoute: "ghost",
        routeOverrides: [
          { requested: "smart", route: "quick" },
          { requested: "smart", route: "nope" },
        ],
        preferredProviders: ["healthy", "nope"],
      }),
    );
    expect(bad.code).toBe("BAD_REQUEST");
    expect(bad.issues).toEqual([
      { path: "defaultRoute", message: 'no route named "ghost" exists' },
      { path: "routeOverrides.1.requested", message: '"smart" is overridden twice' },
      { path: "routeOverrides.1.route", message: 'no route named "nope" exists' },
      { path: "preferredProviders.1", message: 'no provider named "nope" is configured' },
    ]);
    const blank = await failure(
      owner.models.saveBotRouting({ botId, routeOverrides: [{ requested: " ", route: "quick" }] }),
    );
    expect(blank.issues[0]?.path).toBe("routeOverrides.0.requested");
    const unknownBot = "01a20000-0000-7000-8000-000000000000";
    expect((await failure(owner.models.saveBotRouting({ botId: unknownBot }))).code).toBe("NOT_FOUND");

    const saved = await owner.models.saveBotRouting({
      botId,
      defaultRoute: "quick",
      routeOverrides: [{ requested: "smart", route: "main" }],
    });
    expect(saved).toEqual({
      botId,
      defaultRoute: "quick",
      routeOverrides: [{ requested: "smart", route: "main" }],
      preferredProviders: null,
    });
    // Try it as the bot: its default route and its override decide the model.
    expect(await editor.models.tryPrompt({ prompt: "Hi", botId })).toMatchObject({
      requestedRoute: "default",
      route: "quick",
      provider: "offline",
    });
    expect(await editor.models.tryPrompt({ prompt: "Capital?", route: "smart", botId })).toMatchObject({
      requestedRoute: "smart",
      route: "main",
      provider: "healthy",
    });
    expect((await failure(editor.models.tryPrompt({ prompt: "Capital?", route: "smart" }))).code).toBe(
      "NOT_FOUND",
    );
    // Its own preferred providers go first in every route.
    await owner.models.saveBotRouting({ ...saved, preferredProviders: ["offline"] });
    expect(await editor.models.tryPrompt({ prompt: "Capital?", route: "main", botId })).toMatchObject({
      provider: "offline",
    });

    // The workspace: default route and preferred providers, checked the same way.
    const wrong = await failure(
      owner.models.saveTenantRouting({ defaultRoute: "ghost", preferredProviders: ["healthy", "healthy"] }),
    );
    expect(wrong.issues.map((issue) => issue.path)).toEqual(["defaultRoute", "preferredProviders.1"]);
    expect((await failure(viewer.models.saveTenantRouting({ defaultRoute: null }))).code).toBe("FORBIDDEN");
    const spare = await owner.models.saveProvider({
      name: "spare",
      kind: "openai_compatible",
      baseUrl: healthy.baseUrl,
    });
    await owner.models.saveTenantRouting({ defaultRoute: "quick", preferredProviders: ["spare", "healthy"] });
    expect((await viewer.models.choices()).defaultRoute).toBe("quick");
    expect((await viewer.models.routes()).filter((r) => r.isDefault).map((r) => r.name)).toEqual(["quick"]);
    expect((await editor.models.tryPrompt({ prompt: "Capital?", route: "main" })).provider).toBe("healthy");

    // Routes and providers the routing names cannot be renamed or deleted from under it.
    const routes = await owner.models.routes();
    const quick = routes.find((r) => r.name === "quick");
    expect((await failure(owner.models.deleteRoute({ routeId: quick?.id as string }))).code).toBe("CONFLICT");
    const main = routes.find((r) => r.name === "main") as (typeof routes)[number];
    const rename = await failure(owner.models.saveRoute({ ...main, name: "primary" }));
    expect(rename.code).toBe("CONFLICT");
    expect(rename.issues[0]?.path).toBe("name");
    const preferred = await failure(owner.models.deleteProvider({ providerId: spare.id }));
    expect(preferred.code).toBe("CONFLICT");
    expect(preferred.message).toMatch(/preferred by the workspace/);
    const renamed = await failure(owner.models.saveProvider({ ...spare, name: "spare-2" }));
    expect(renamed.issues[0]).toMatchObject({ path: "name" });

    await owner.models.saveTenantRouting({ defaultRoute: "main", preferredProviders: [] });
    await owner.models.saveBotRouting({ botId });
    const rows = (await auditJson()).rows;
    const botRows = rows.filter((r) => r.action === "bot_model_routing.update");
    expect(botRows.map((r) => r.targetId)).toEqual([botId, botId, botId]);
    expect(botRows[0]?.before).toMatchObject({ defaultRoute: null, routeOverrides: [] });
    expect(botRows[0]?.after).toMatchObject({
      defaultRoute: "quick",
      routeOverrides: [{ requested: "smart" }],
    });
    const workspaceRows = rows.filter((r) => r.action === "model_routing.update");
    expect(workspaceRows[0]).toMatchObject({
      targetType: "tenant",
      before: { defaultRoute: "main", preferredProviders: [] },
      after: { defaultRoute: "quick", preferredProviders: ["spare", "healthy"] },
    });
    expect((await viewer.models.routing()).bots[0]).toMatchObject({ defaultRoute: null, routeOverrides: [] });
    await owner.models.deleteProvider({ providerId: spare.id });
  });
});

describe("security regressions (December review)", () => {
  it("asks for the key again when a provider's base URL or kind changes (finding 14)", async () => {
    const provider = await owner.models.saveProvider({
      name: "owned-key",
      kind: "openai_compatible",
      baseUrl: healthy.baseUrl,
      apiKey: "sk-owner-entered-key-0001",
    });
    const admin = await harness.as((await harness.member(tenantId, "admin")).userId, tenantId);
    const moved = await failure(
      admin.models.saveProvider({
        id: provider.id,
        name: "owned-key",
        kind: "openai_compatible",
        baseUrl: broken.baseUrl,
      }),
    );
    expect(moved.code).toBe("BAD_REQUEST");
    expect(moved.issues.map((issue) => issue.path)).toEqual(["apiKey"]);
    const rekind = await failure(
      admin.models.saveProvider({
        id: provider.id,
        name: "owned-key",
        kind: "openai",
        baseUrl: healthy.baseUrl,
      }),
    );
    expect(rekind.issues.map((issue) => issue.path)).toEqual(["apiKey"]);
    const row = await harness.testDb.db
      .forTenant(tenantId)
      .modelProvider.findFirst({ where: { id: provider.id } });
    expect(row?.baseUrl).toBe(healthy.baseUrl);
    // With a new key (or dropping the key) the move is allowed.
    const rekeyed = await admin.models.saveProvider({
      id: provider.id,
      name: "owned-key",
      kind: "openai_compatible",
      baseUrl: broken.baseUrl,
      apiKey: "sk-admin-entered-key-0002",
    });
    expect(rekeyed).toMatchObject({ baseUrl: broken.baseUrl, hasApiKey: true });
    await owner.models.deleteProvider({ providerId: provider.id });
  });

  it("keeps an editor from changing settings.models through bots.update (finding 12)", async () => {
    await owner.bots.update({ botId, changes: { settings: { models: { routeOverrides: {} } } } });
    const before = await owner.bots.get({ botId });
    const refused = await failure(
      editor.bots.update({
        botId,
        changes: { settings: { models: { routeOverrides: { fast: "expensive" } } } },
      }),
    );
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.issues.map((issue) => issue.path)).toEqual(["settings.models"]);
    expect((await failure(editor.bots.update({ botId, changes: { settings: { models: null } } }))).code).toBe(
      "FORBIDDEN",
    );
    // Other keys still merge, and sending the models part back unchanged is fine.
    const saved = await editor.bots.update({
      botId,
      changes: { settings: { ...before.settings, greeting: "hello" } },
    });
    expect(saved.settings).toEqual({ ...before.settings, greeting: "hello" });
    expect(
      (await failure(editor.bots.create({ name: "Sneaky", settings: { models: { routeOverrides: {} } } })))
        .code,
    ).toBe("FORBIDDEN");
  });

  it("keeps roles below editor away from real credentials and budgets: test chat and try it (finding 3)", async () => {
    const analyst = await harness.as((await harness.member(tenantId, "analyst")).userId, tenantId);
    const document = {
      version: 1,
      id: "viewer-draft",
      name: "Draft",
      nodes: [{ id: "start", kind: "start", position: { x: 0, y: 0 }, data: {} }],
      edges: [],
      variables: [],
      settings: { language: "en" },
    };
    for (const caller of [viewer, analyst]) {
      const turn = await failure(
        caller.flows.testTurn({
          botId,
          document,
          snapshot: null,
          event: { type: "conversation.start" },
          conversationId: "probe",
        }),
      );
      expect(turn.code).toBe("FORBIDDEN");
      expect((await failure(caller.models.tryPrompt({ prompt: "spend" }))).code).toBe("FORBIDDEN");
    }
    // An editor may.
    const stream = await editor.flows.testTurn({
      botId,
      document,
      snapshot: null,
      event: { type: "conversation.start" },
      conversationId: "editor",
    });
    const events = [];
    for await (const event of stream) events.push(event.type);
    expect(events.at(-1)).toBe("done");
  });
});
