import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStudioHarness, type StudioCaller, type StudioHarness } from "../test-support/harness";

/**
 * A second tenant's member must see nothing of the first tenant: lists are empty, and foreign,
 * guessed, empty and malformed ids all answer the same "not found" (or a validation error).
 */
let harness: StudioHarness;
let alice: StudioCaller;
let mallory: StudioCaller;
const a = { botId: "", flowId: "", versionId: "", keyId: "" };

beforeAll(async () => {
  harness = await createStudioHarness();
  const first = await harness.tenant("Alice Inc");
  const second = await harness.tenant("Mallory Ltd");
  alice = await harness.as(first.ownerId, first.tenantId);
  mallory = await harness.as(second.ownerId, second.tenantId);
  a.botId = (await alice.bots.create({ name: "Secret bot" })).id;
  const flow = await alice.flows.create({
    botId: a.botId,
    name: "Pizza",
    source: { type: "template", templateId: "pizza-order" },
  });
  a.flowId = flow.id;
  a.versionId = (await alice.flows.publish({ flowId: flow.id, note: "v1" })).id;
  a.keyId = (await alice.apiKeys.create({ name: "k", scopes: ["*"] })).apiKey.id;
});
afterAll(() => harness?.cleanup());

const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return "OK";
  } catch (error) {
    return error instanceof TRPCError ? error.code : String(error);
  }
};

describe("tenant isolation", () => {
  it("lists nothing of the other tenant", async () => {
    expect(await mallory.bots.list()).toEqual([]);
    expect(await mallory.apiKeys.list()).toEqual([]);
    expect((await mallory.members.list()).map((m) => m.name)).toEqual(["Owner"]);
    expect(
      (await mallory.audit.list({})).entries.every((e) => e.targetId !== a.botId && e.targetId !== a.flowId),
    ).toBe(true);
    expect(await mallory.audit.exportCsv({}).then((r) => r.csv.includes(a.botId))).toBe(false);
  });

  it("answers not found for foreign ids, on reads and writes alike", async () => {
    const aliceTenant = (await alice.auth.me())?.activeTenant?.id as string;
    const calls: [string, () => Promise<unknown>][] = [
      ["bots.get", () => mallory.bots.get({ botId: a.botId })],
      ["bots.update", () => mallory.bots.update({ botId: a.botId, changes: { name: "pwned" } })],
      ["bots.rotatePublishableKey", () => mallory.bots.rotatePublishableKey({ botId: a.botId })],
      ["flows.list", () => mallory.flows.list({ botId: a.botId })],
      ["flows.get", () => mallory.flows.get({ flowId: a.flowId })],
      ["flows.export", () => mallory.flows.export({ flowId: a.flowId })],
      ["flows.versions", () => mallory.flows.versions({ flowId: a.flowId })],
      ["flows.version", () => mallory.flows.version({ flowId: a.flowId, version: 1 })],
      ["flows.publish", () => mallory.flows.publish({ flowId: a.flowId, note: "" })],
      [
        "flows.saveDraft",
        () => mallory.flows.saveDraft({ flowId: a.flowId, document: {}, expectedRevision: 0 }),
      ],
      ["flows.rollback", () => mallory.flows.rollback({ flowId: a.flowId, version: 1, expectedRevision: 1 })],
      ["flows.create", () => mallory.flows.create({ botId: a.botId, name: "x", source: { type: "empty" } })],
      ["apiKeys.revoke", () => mallory.apiKeys.revoke({ keyId: a.keyId })],
      ["tenants.switch", () => mallory.tenants.switch({ tenantId: aliceTenant })],
    ];
    for (const [name, call] of calls) {
      const code = await codeOf(call());
      expect(["NOT_FOUND", "BAD_REQUEST"], `${name} gave ${code}`).toContain(code);
    }
    // Nothing changed for Alice.
    expect((await alice.bots.get({ botId: a.botId })).name).toBe("Secret bot");
    expect((await alice.apiKeys.list())[0]?.revokedAt).toBeNull();
  });

  it("answers guessed, empty and malformed ids the same way", async () => {
    for (const id of ["01a20000-0000-7000-8000-000000000000", "", " ", "../../etc", "' OR 1=1 --"]) {
      expect(["NOT_FOUND", "BAD_REQUEST"]).toContain(await codeOf(mallory.bots.get({ botId: id })));
      expect(["NOT_FOUND", "BAD_REQUEST"]).toContain(await codeOf(mallory.flows.get({ flowId: id })));
    }
  });
});

describe("tenant isolation: models and knowledge", () => {
  const m = { providerId: "", routeId: "", priceId: "", budgetId: "", documentId: "" };
  beforeAll(async () => {
    m.providerId = (
      await alice.models.saveProvider({ name: "alice-ai", kind: "openai", apiKey: "sk-alice-secret-0001" })
    ).id;
    m.routeId = (
      await alice.models.saveRoute({
        name: "alice-route",
        policy: { targets: [{ provider: "alice-ai", model: "m" }] },
      })
    ).id;
    m.priceId = (
      await alice.models.savePrice({
        provider: "alice-ai",
        model: "m",
        inputPerMillion: 1,
        outputPerMillion: 1,
      })
    ).id;
    m.budgetId = (
      (await alice.models.saveBudget({ botId: a.botId, monthlyLimitUsd: 5 })) as { id: string }
    ).id;
    await alice.models.saveBotRouting({
      botId: a.botId,
      defaultRoute: "alice-route",
      routeOverrides: [{ requested: "fast", route: "alice-route" }],
      preferredProviders: ["alice-ai"],
    });
    m.documentId = (
      await alice.knowledge.upload({
        botId: a.botId,
        format: "text",
        content: "Alice's secret recipe: saffron.",
      })
    ).document.id;
    await harness.indexPendingKnowledge();
  });

  it("lists nothing of the other tenant", async () => {
    expect(await mallory.models.providers()).toEqual([]);
    expect(await mallory.models.routes()).toEqual([]);
    expect((await mallory.models.prices()).prices).toEqual([]);
    expect(await mallory.models.budgets()).toEqual([]);
    expect((await mallory.models.choices()).routes).toEqual(["default"]);
    const routing = await mallory.models.routing();
    expect(routing.workspace).toEqual({ defaultRoute: null, preferredProviders: [] });
    expect(routing.bots.map((bot) => bot.botId)).not.toContain(a.botId);
    expect(JSON.stringify(routing)).not.toContain("alice");
  });

  it("answers not found for foreign ids and bots, on reads and writes alike", async () => {
    const calls: [string, () => Promise<unknown>][] = [
      [
        "models.saveProvider",
        () => mallory.models.saveProvider({ id: m.providerId, name: "pwned", kind: "openai", apiKey: null }),
      ],
      ["models.deleteProvider", () => mallory.models.deleteProvider({ providerId: m.providerId })],
      [
        "models.saveRoute",
        () =>
          mallory.models.saveRoute({
            id: m.routeId,
            name: "pwned",
            policy: { targets: [{ provider: "offline", model: "offline" }] },
          }),
      ],
      ["models.deleteRoute", () => mallory.models.deleteRoute({ routeId: m.routeId })],
      ["models.deletePrice", () => mallory.models.deletePrice({ priceId: m.priceId })],
      ["models.deleteBudget", () => mallory.models.deleteBudget({ budgetId: m.budgetId })],
      ["models.saveBudget", () => mallory.models.saveBudget({ botId: a.botId, monthlyLimitUsd: 0 })],
      ["models.tryPrompt", () => mallory.models.tryPrompt({ prompt: "hi", route: "alice-route" })],
      ["models.tryPrompt(bot)", () => mallory.models.tryPrompt({ prompt: "hi", botId: a.botId })],
      ["models.saveBotRouting", () => mallory.models.saveBotRouting({ botId: a.botId })],
      // Alice's route and provider names mean nothing in Mallory's workspace.
      [
        "models.saveTenantRouting",
        () =>
          mallory.models.saveTenantRouting({ defaultRoute: "alice-route", preferredProviders: ["alice-ai"] }),
      ],
      ["knowledge.list", () => mallory.knowledge.list({ botId: a.botId })],
      ["knowledge.search", () => mallory.knowledge.search({ botId: a.botId, query: "saffron" })],
      ["knowledge.upload", () => mallory.knowledge.upload({ botId: a.botId, format: "text", content: "x" })],
      [
        "knowledge.addUrls",
        () => mallory.knowledge.addUrls({ botId: a.botId, urls: ["https://example.com/"] }),
      ],
      ["knowledge.delete", () => mallory.knowledge.delete({ botId: a.botId, documentId: m.documentId })],
    ];
    for (const [name, call] of calls) {
      const code = await codeOf(call());
      expect(["NOT_FOUND", "BAD_REQUEST"], `${name} gave ${code}`).toContain(code);
    }
    // A foreign bot is not found (not merely invalid), even with routing that is valid for Mallory.
    expect(
      await codeOf(mallory.models.saveBotRouting({ botId: a.botId, routeOverrides: [], defaultRoute: null })),
    ).toBe("NOT_FOUND");
    // Mallory's own bot does not reach Alice's document either.
    const own = (await mallory.bots.create({ name: "Mine" })).id;
    expect(await codeOf(mallory.knowledge.delete({ botId: own, documentId: m.documentId }))).toBe(
      "NOT_FOUND",
    );
    expect(await mallory.knowledge.search({ botId: own, query: "saffron" })).toEqual([]);
    // Nothing changed for Alice.
    expect((await alice.models.providers()).map((p) => [p.name, p.hasApiKey])).toEqual([["alice-ai", true]]);
    expect((await alice.models.routes()).map((r) => r.name)).toEqual(["alice-route"]);
    expect((await alice.models.prices()).prices).toHaveLength(1);
    expect(await alice.models.budgets()).toHaveLength(1);
    expect((await alice.models.routing()).bots.find((bot) => bot.botId === a.botId)).toMatchObject({
      defaultRoute: "alice-route",
      routeOverrides: [{ requested: "fast", route: "alice-route" }],
      preferredProviders: ["alice-ai"],
    });
    expect((await alice.knowledge.search({ botId: a.botId, query: "saffron" }))[0]?.documentId).toBe(
      m.documentId,
    );
  });

  it("answers guessed, empty and malformed ids the same way", async () => {
    for (const id of ["01a20000-0000-7000-8000-000000000000", "", " ", "../../etc", "' OR 1=1 --"]) {
      expect(["NOT_FOUND", "BAD_REQUEST"]).toContain(
        await codeOf(mallory.models.deleteProvider({ providerId: id })),
      );
      expect(["NOT_FOUND", "BAD_REQUEST"]).toContain(
        await codeOf(mallory.models.deleteRoute({ routeId: id })),
      );
      expect(["NOT_FOUND", "BAD_REQUEST"]).toContain(await codeOf(mallory.knowledge.list({ botId: id })));
      expect(["NOT_FOUND", "BAD_REQUEST"]).toContain(
        await codeOf(mallory.knowledge.delete({ botId: id, documentId: id })),
      );
    }
  });
});
