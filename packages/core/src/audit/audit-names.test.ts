import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceContext } from "../context";
import { saveFlowDraft } from "../flows/flows";
import { createHarness, type Harness, pizzaFlow, seedTenant } from "../test-support/harness";
import { listAuditEntries } from "./audit-log";

let harness: Harness;
let ctx: ServiceContext;
let flowId: string;
let botId: string;
beforeAll(async () => {
  harness = await createHarness();
  const seeded = await seedTenant(harness.deps);
  ctx = seeded.ctx;
  flowId = seeded.flow.id;
  botId = seeded.bot.id;
}, 60_000);
afterAll(() => harness?.cleanup());

describe("audit log in people's words", () => {
  it("names targets by their current name (bot, flow, API key), not only by id", async () => {
    const { entries } = await listAuditEntries(ctx, { limit: 50 });
    const bot = entries.find((entry) => entry.action === "bot.create");
    expect(bot).toMatchObject({ targetId: botId, targetLabel: "Pizza bot" });
    const key = entries.find((entry) => entry.targetType === "api_key");
    expect(key?.targetLabel).toBe("all");
    const flow = entries.find((entry) => entry.targetType === "flow" && entry.targetId === flowId);
    expect(flow?.targetLabel).toBeTruthy();
  });

  it("writes one draft-save row per editing session, not one per autosave", async () => {
    const saves = async () =>
      (await listAuditEntries(ctx, { action: "flow.save_draft", targetId: flowId, limit: 100 })).entries;
    const before = (await saves()).length;
    for (let i = 0; i < 5; i++) await saveFlowDraft(ctx, flowId, { document: pizzaFlow() });
    expect(await saves()).toHaveLength(before + 1);

    // Someone else's save starts their own session.
    const other: ServiceContext = {
      ...ctx,
      actor: { type: "api_key", keyId: "k-editor", scopes: ["*"], label: "ci key" },
    };
    await saveFlowDraft(other, flowId, { document: pizzaFlow() });
    await saveFlowDraft(other, flowId, { document: pizzaFlow() });
    const after = await saves();
    expect(after).toHaveLength(before + 2);
    expect(after[0]?.actorLabel).toBe("ci key");
  });
});
