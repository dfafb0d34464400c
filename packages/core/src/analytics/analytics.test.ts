import { availableTestDatabaseKinds } from "@parley/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { updateBot } from "../bots/bots";
import type { CoreDeps, ServiceContext } from "../context";
import { endConversation, sendMessage, startConversation } from "../conversations/conversations";
import { publishFlow } from "../flows/flows";
import { createHarness, type Harness, seedTenant } from "../test-support/harness";
import { rejection } from "../test-support/service-error";
import { getLlmCosts } from "./costs";
import { summaryToCsv, timeseriesToCsv } from "./csv";
import { eraseAnalyticsPersonalData } from "./erase";
import { getFlowNodeAnalytics } from "./nodes";
import { rollUpTenant } from "./rollup";
import { getBotAnalyticsSummary, getWorkspaceAnalyticsSummary } from "./summary";
import { getBotTimeseries } from "./timeseries";

const kinds = await availableTestDatabaseKinds();
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * A known set of conversations through the pizza flow (see the README of this test at the bottom):
 * two go quiet early (dropped at ask-name and ask-size), three order (one large, one with a bad phone
 * number retried), one waits at ask-size, one fails the size question three times (input-failed ->
 * order-abandoned), one is closed through the API, one is taken over by a human, one runs on v2.
 */
describe.each(kinds)("analytics figures on %s", (kind) => {
  let harness: Harness;
  let now = 0;
  let deps: CoreDeps;
  let seed: Awaited<ReturnType<typeof seedTenant>>;
  let ctx: ServiceContext;
  const ids: Record<string, string> = {};
  let t0 = 0;
  let range: { from: string; to: string };

  const step = async <T>(fn: () => Promise<T>): Promise<T> => {
    now += 10_000;
    return fn();
  };
  const script = async (name: string, inputs: ({ text: string } | { choice: string })[]) => {
    const started = await step(() => startConversation(ctx, seed.bot.id, {}));
    ids[name] = started.conversationId;
    for (const input of inputs) await step(() => sendMessage(ctx, started.conversationId, input));
    return started.conversationId;
  };

  beforeAll(async () => {
    harness = await createHarness({ kind });
    // An hour-aligned start three hours ago: event times stay near the database's own clock.
    t0 = Math.floor((Date.now() - 3 * 60 * MINUTE) / (60 * MINUTE)) * 60 * MINUTE;
    now = t0;
    deps = { ...harness.deps, clock: { now: () => now } };
    seed = await seedTenant(deps, "Analytics");
    ctx = { ...seed.ctx, deps };
    range = { from: new Date(t0 - MINUTE).toISOString(), to: new Date(t0 + 2 * 60 * MINUTE).toISOString() };

    // Early: these go quiet and are dropped 45 minutes later.
    await script("d1", []);
    await script("d2", [{ text: "Dan" }]);
    now = t0 + 40 * MINUTE;
    await script("c1", [{ text: "Ann" }, { choice: "large" }, { text: "+1 555 123 4567" }]);
    await script("c2", [{ text: "Bob" }, { choice: "small" }, { text: "+1 555 123 4568" }]);
    await script("c3", [
      { text: "Cy" },
      { choice: "medium" },
      { text: "not a phone" },
      { text: "+1 555 123 4569" },
    ]);
    await script("w1", [{ text: "Dee" }]);
    await script("f1", [{ text: "Eve" }, { text: "huge" }, { text: "giant" }, { text: "enormous" }]);
    await script("e1", [{ text: "Fay" }]);
    await step(() => endConversation(ctx, ids.e1 as string));
    await script("h1", [{ text: "Gus" }]);
    const db = deps.db.forTenant(seed.tenant.id);
    // A human takes h1 over (as the inbox does), visitors rate three conversations, two variants run.
    await db.conversation.update({
      where: { id: ids.h1 },
      data: { status: "handoff", handoffAt: new Date(now), csatScore: 2 },
    });
    await db.conversation.update({ where: { id: ids.c1 }, data: { csatScore: 5, experimentVariant: "A" } });
    await db.conversation.update({ where: { id: ids.c2 }, data: { csatScore: 4, experimentVariant: "A" } });
    await db.conversation.update({ where: { id: ids.c3 }, data: { experimentVariant: "B" } });
    await db.conversation.update({ where: { id: ids.w1 }, data: { experimentVariant: "B" } });
    // Three model calls, as the model layer records them.
    const call = (properties: Record<string, unknown>) => ({
      tenantId: seed.tenant.id,
      type: "llm.call",
      botId: seed.bot.id,
      occurredAt: new Date(t0 + 41 * MINUTE),
      properties: { route: "default", inputTokens: 100, outputTokens: 50, outcome: "ok", ...properties },
    });
    await db.analyticsEvent.createMany({
      data: [
        call({ provider: "openai", model: "gpt-a", costUsd: 0.01, latencyMs: 100, cacheHit: false }),
        call({ provider: "openai", model: "gpt-a", costUsd: 0, latencyMs: 5, cacheHit: true }),
        call({
          provider: "anthropic",
          model: "claude-b",
          costUsd: 0.02,
          latencyMs: 300,
          fallbackPosition: 1,
        }),
      ],
    });
    await publishFlow(ctx, seed.flow.id, { note: "v2" });
    await script("v2", []);
    now = t0 + 45 * MINUTE;
  }, 240_000);
  afterAll(() => harness?.cleanup());

  const expectedSummary = () => ({
    conversations: 10,
    completed: 4,
    contained: 5,
    handoffs: 1,
    active: 5,
    abandoned: 2,
    completionRate: 0.4,
    containmentRate: 0.5,
    handoffRate: 0.1,
    csatAverage: 3.67,
    csatResponses: 3,
    llmCost: 0.03,
    // c1, c2: 30 s; c3, f1: 40 s; e1: 20 s.
    avgDurationSeconds: 32,
  });

  async function countedFromRows() {
    const db = deps.db.forTenant(seed.tenant.id);
    return {
      messages: await db.message.count(),
      turns: await db.analyticsEvent.count({ where: { type: "turn" } }),
    };
  }

  it("summarizes the bot exactly", async () => {
    const summary = await getBotAnalyticsSummary(ctx, seed.bot.id, range);
    expect(summary).toMatchObject(expectedSummary());
    const { messages, turns } = await countedFromRows();
    expect(summary.messages).toBe(messages);
    expect(summary.turns).toBe(turns);
    expect(summary.avgTurns).toBe(Math.round((turns / 10) * 100) / 100);
    expect(summary.byChannel).toEqual([expect.objectContaining({ conversations: 10, completed: 4 })]);
    expect(summary.byFlowVersion.map((row) => [row.label, row.conversations, row.completed])).toEqual([
      ["v1", 9, 4],
      ["v2", 1, 0],
    ]);
    expect(
      summary.byVariant.map((row) => [row.key, row.conversations, row.completed, row.completionRate]),
    ).toEqual([
      ["none", 6, 1, 0.1667],
      ["A", 2, 2, 1],
      ["B", 2, 1, 0.5],
    ]);
    const workspace = await getWorkspaceAnalyticsSummary(ctx, range);
    expect(workspace).toMatchObject(expectedSummary());
    expect(workspace.byBot).toEqual([
      expect.objectContaining({ key: seed.bot.id, label: "Pizza bot", conversations: 10 }),
    ]);
    expect(summaryToCsv(summary)).toContain("total,,completionRate,0.4\r\n");
  });

  it("counts per node entered, exits by handle, waiting and dropped", async () => {
    const analytics = await getFlowNodeAnalytics(ctx, seed.flow.id, { ...range, version: "1" });
    expect(analytics.conversations).toBe(9);
    const byNode = Object.fromEntries(analytics.nodes.map(({ nodeId, ...rest }) => [nodeId, rest]));
    expect(byNode).toEqual({
      start: { entered: 9, exits: { next: 9 }, waiting: 0, dropped: 0 },
      greeting: { entered: 9, exits: { next: 9 }, waiting: 0, dropped: 0 },
      "ask-name": { entered: 9, exits: { next: 8 }, waiting: 0, dropped: 1 },
      "ask-size": {
        entered: 8,
        exits: { next: 3, error: 1, closed: 1, handoff: 1 },
        waiting: 1,
        dropped: 1,
      },
      "ask-phone": { entered: 3, exits: { next: 3 }, waiting: 0, dropped: 0 },
      "check-size": { entered: 3, exits: { large: 1, else: 2 }, waiting: 0, dropped: 0 },
      "large-bonus": { entered: 1, exits: { next: 1 }, waiting: 0, dropped: 0 },
      confirmation: { entered: 3, exits: { next: 3 }, waiting: 0, dropped: 0 },
      "order-placed": { entered: 3, exits: { end: 3 }, waiting: 0, dropped: 0 },
      "input-failed": { entered: 1, exits: { next: 1 }, waiting: 0, dropped: 0 },
      "order-abandoned": { entered: 1, exits: { end: 1 }, waiting: 0, dropped: 0 },
    });
    const share = Object.fromEntries(analytics.edges.map((edge) => [edge.edgeId, [edge.count, edge.share]]));
    expect(share["check-size:large:large-bonus"]).toEqual([1, 0.3333]);
    expect(share["ask-size:next:ask-phone"]).toEqual([3, 0.375]);
    const v2 = await getFlowNodeAnalytics(ctx, seed.flow.id, range);
    expect(v2.version).toBe(2);
    expect(v2.nodes.find((node) => node.nodeId === "ask-name")).toMatchObject({ entered: 1, waiting: 1 });
  });

  it("uses the bot's abandonment timeout", async () => {
    const db = deps.db.forTenant(seed.tenant.id);
    await db.bot.update({
      where: { id: seed.bot.id },
      data: { settings: { abandonmentTimeoutMinutes: 60 } },
    });
    try {
      const summary = await getBotAnalyticsSummary(ctx, seed.bot.id, range);
      expect(summary.abandoned).toBe(0);
      const analytics = await getFlowNodeAnalytics(ctx, seed.flow.id, { ...range, version: "1" });
      expect(analytics.abandonmentTimeoutMinutes).toBe(60);
      expect(analytics.nodes.find((node) => node.nodeId === "ask-name")).toMatchObject({
        waiting: 1,
        dropped: 0,
      });
    } finally {
      await updateBot(ctx, seed.bot.id, { settings: { abandonmentTimeoutMinutes: null } });
    }
  });

  it("breaks LLM costs down by provider with cache, fallback and latency percentiles", async () => {
    const costs = await getLlmCosts(ctx, { groupBy: "provider", ...range });
    expect(costs.total).toMatchObject({ calls: 3, spendUsd: 0.03, inputTokens: 300, outputTokens: 150 });
    expect(costs.rows).toEqual([
      {
        key: "anthropic",
        calls: 1,
        spendUsd: 0.02,
        inputTokens: 100,
        outputTokens: 50,
        cacheHitRate: 0,
        fallbackRate: 1,
        failureRate: 0,
        p50LatencyMs: 300,
        p95LatencyMs: 300,
      },
      {
        key: "openai",
        calls: 2,
        spendUsd: 0.01,
        inputTokens: 200,
        outputTokens: 100,
        cacheHitRate: 0.5,
        fallbackRate: 0,
        failureRate: 0,
        p50LatencyMs: 52.5,
        p95LatencyMs: 95.3,
      },
    ]);
    const byBot = await getLlmCosts(ctx, { groupBy: "bot", ...range });
    expect(byBot.rows.map((row) => [row.key, row.calls])).toEqual([[seed.bot.id, 3]]);
  });

  it("gives the same figures from rollups as from the raw tail, and after compaction", async () => {
    const series = async (metric: "conversations" | "turns" | "llmCost") =>
      getBotTimeseries(ctx, seed.bot.id, { metric, interval: "hour", ...range });
    const before = await Promise.all([series("conversations"), series("turns"), series("llmCost")]);
    const figures = async () => ({
      summary: await getBotAnalyticsSummary(ctx, seed.bot.id, range),
      workspace: await getWorkspaceAnalyticsSummary(ctx, range),
      v1: await getFlowNodeAnalytics(ctx, seed.flow.id, { ...range, version: "1" }),
      v2: await getFlowNodeAnalytics(ctx, seed.flow.id, range),
    });
    const fromTail = await figures();
    const costsFromTail = await getLlmCosts(ctx, { groupBy: "provider", ...range });
    expect(fromTail.summary).toMatchObject(expectedSummary());
    expect(before[0].points).toEqual([{ t: new Date(t0).toISOString(), value: 10 }]);
    expect(before[1].total).toBe((await countedFromRows()).turns);
    expect(before[2].total).toBe(0.03);
    expect(timeseriesToCsv(before[0])).toBe(`t,conversations\r\n${new Date(t0).toISOString()},10\r\n`);
    // Roll everything up (a clock past the settle time of every event), then compact to days.
    const later = { ...deps, clock: { now: () => Date.now() + 2 * MINUTE } };
    const outcome = await rollUpTenant(later, seed.tenant.id);
    expect(outcome.rows).toBeGreaterThan(0);
    // Every conversation's facts moved into the cohort rollups: the figures now come from them.
    expect(outcome.conversations).toBe(10);
    expect(outcome.moreConversations).toBe(false);
    const db = deps.db.forTenant(seed.tenant.id);
    expect(await db.analyticsConversationFact.count()).toBe(10);
    expect((await db.analyticsCohortRollup.findMany()).reduce((sum, row) => sum + row.conversations, 0)).toBe(
      10,
    );
    expect(await figures()).toEqual(fromTail);
    expect(await Promise.all([series("conversations"), series("turns"), series("llmCost")])).toEqual(before);
    expect((await getBotAnalyticsSummary(ctx, seed.bot.id, range)).llmCost).toBe(0.03);
    expect(await getLlmCosts(ctx, { groupBy: "provider", ...range })).toEqual(costsFromTail);
    // Nothing new: a second run adds nothing (no double counting).
    expect((await rollUpTenant(later, seed.tenant.id)).rows).toBe(0);
    expect(await Promise.all([series("conversations"), series("turns"), series("llmCost")])).toEqual(before);
    const farLater = { ...deps, clock: { now: () => Date.now() + 200 * 24 * 60 * MINUTE } };
    const compacted = await rollUpTenant(farLater, seed.tenant.id);
    expect(compacted.compacted).toBeGreaterThan(0);
    // The range is not whole days: the compacted day rows reach outside it, so the conversations at its
    // edges are counted from their stored facts and the LLM calls at its edges from their events, still
    // exactly (spend included: the cost rollups sum it as numeric).
    expect(await figures()).toEqual(fromTail);
    expect(await getLlmCosts(ctx, { groupBy: "provider", ...range })).toEqual(costsFromTail);
    // A range of whole days reads the compacted cost rows alone: the same figures.
    const wholeDays = {
      from: new Date(Math.floor(t0 / DAY) * DAY - DAY).toISOString(),
      to: new Date(Math.floor(t0 / DAY) * DAY + 2 * DAY).toISOString(),
    };
    expect((await getLlmCosts(ctx, { groupBy: "provider", ...wholeDays })).rows).toEqual(costsFromTail.rows);
    const costRows = await db.analyticsCostRollup.findMany();
    expect(costRows.every((row) => row.grain === "day")).toBe(true);
    expect(costRows.reduce((sum, row) => sum + Number(row.calls), 0)).toBe(3);
    const day = await getBotTimeseries(ctx, seed.bot.id, {
      metric: "conversations",
      interval: "day",
      from: new Date(t0 - 24 * 60 * MINUTE).toISOString(),
      to: new Date(t0 + 24 * 60 * MINUTE).toISOString(),
    });
    expect(day.total).toBe(10);
    // Raw events older than the retention (400 days by default) went; these are recent, so they stay.
    expect(compacted.expired).toBe(0);
  }, 60_000);

  it("rolls a change after the rollup as a difference, and takes a deleted conversation out", async () => {
    const db = deps.db.forTenant(seed.tenant.id);
    const later = { ...deps, clock: { now: () => Date.now() + 2 * MINUTE } };
    await rollUpTenant(later, seed.tenant.id);
    const before = await getBotAnalyticsSummary(ctx, seed.bot.id, range);
    // w1 (waiting at ask-size, variant B) is rated and moved to variant A after it was rolled up.
    await db.conversation.update({ where: { id: ids.w1 }, data: { csatScore: 3, experimentVariant: "A" } });
    const expectChanged = async () => {
      const summary = await getBotAnalyticsSummary(ctx, seed.bot.id, range);
      expect(summary.csatResponses).toBe(before.csatResponses + 1);
      expect(summary.csatAverage).toBe(3.5);
      expect(summary.byVariant.map((row) => [row.key, row.conversations])).toEqual([
        ["none", 6],
        ["A", 3],
        ["B", 1],
      ]);
    };
    await expectChanged(); // from the tail
    expect((await rollUpTenant(later, seed.tenant.id)).conversations).toBe(1);
    await expectChanged(); // from the rollups
    // d1 is deleted (as a GDPR erase of its contact would): it leaves every figure.
    const nodesBefore = await getFlowNodeAnalytics(ctx, seed.flow.id, { ...range, version: "1" });
    await db.conversation.delete({ where: { id: ids.d1 } });
    const expectGone = async () => {
      const summary = await getBotAnalyticsSummary(ctx, seed.bot.id, range);
      expect(summary).toMatchObject({ conversations: 9, abandoned: 1 });
      const nodes = await getFlowNodeAnalytics(ctx, seed.flow.id, { ...range, version: "1" });
      expect(nodes.conversations).toBe(nodesBefore.conversations - 1);
      expect(nodes.nodes.find((node) => node.nodeId === "ask-name")).toMatchObject({
        entered: 8,
        dropped: 0,
      });
    };
    await expectGone(); // from the tail
    expect((await rollUpTenant(later, seed.tenant.id)).conversations).toBe(1);
    expect(await db.analyticsConversationFact.count({ where: { conversationId: ids.d1 } })).toBe(0);
    await expectGone(); // from the rollups
  }, 60_000);

  it("lets an analyst read and refuses a viewer", async () => {
    const as = (role: "analyst" | "viewer"): ServiceContext => ({
      ...ctx,
      actor: { type: "user", userId: seed.owner.id, role, label: role },
    });
    await expect(getBotAnalyticsSummary(as("analyst"), seed.bot.id, range)).resolves.toMatchObject({
      conversations: 9,
    });
    for (const call of [
      getBotAnalyticsSummary(as("viewer"), seed.bot.id, range),
      getWorkspaceAnalyticsSummary(as("viewer"), range),
      getFlowNodeAnalytics(as("viewer"), seed.flow.id, range),
      getBotTimeseries(as("viewer"), seed.bot.id, range),
      getLlmCosts(as("viewer"), range),
    ]) {
      expect((await rejection(call)).kind).toBe("forbidden");
    }
    expect(
      (await rejection(getBotAnalyticsSummary(ctx, seed.bot.id, { from: range.to, to: range.from }))).code,
    ).toBe("invalid-range");
  });

  it("erases personal properties of a conversation's events and keeps the counts", async () => {
    const db = deps.db.forTenant(seed.tenant.id);
    await db.analyticsEvent.create({
      data: {
        tenantId: seed.tenant.id,
        type: "llm.call",
        botId: seed.bot.id,
        conversationId: ids.c1 as string,
        occurredAt: new Date(t0 + 42 * MINUTE),
        properties: { costUsd: 0, error: "user said: my card is 4111", provider: "openai" },
      },
    });
    const changed = await eraseAnalyticsPersonalData(ctx, [ids.c1 as string]);
    expect(changed).toBeGreaterThan(1);
    expect(await db.analyticsEvent.count({ where: { conversationId: ids.c1 } })).toBe(0);
    const erased = await db.analyticsEvent.findFirst({
      where: { type: "llm.call", occurredAt: new Date(t0 + 42 * MINUTE) },
    });
    expect(erased?.properties).toEqual({ costUsd: 0, provider: "openai" });
    // c1's events no longer name it, yet its rolled-up path and completion stay counted, also when c1
    // changes afterwards (the facts now are merged with the facts counted: paths never shrink).
    const before = await getFlowNodeAnalytics(ctx, seed.flow.id, { ...range, version: "1" });
    const summaryBefore = await getBotAnalyticsSummary(ctx, seed.bot.id, range);
    await db.conversation.update({ where: { id: ids.c1 }, data: { csatScore: 4 } });
    expect(await getFlowNodeAnalytics(ctx, seed.flow.id, { ...range, version: "1" })).toEqual(before);
    await rollUpTenant({ ...deps, clock: { now: () => Date.now() + 2 * MINUTE } }, seed.tenant.id);
    expect(await getFlowNodeAnalytics(ctx, seed.flow.id, { ...range, version: "1" })).toEqual(before);
    expect((await getBotAnalyticsSummary(ctx, seed.bot.id, range)).completed).toBe(summaryBefore.completed);
  }, 30_000);
});

describe.each(kinds)("events rolled up after a compaction on %s", (kind) => {
  let harness: Harness | undefined;
  afterAll(() => harness?.cleanup());

  it("go straight into the grain their age has (an import), and count the same", async () => {
    harness = await createHarness({ kind });
    const realNow = Date.now();
    // The conversation happened three days ago (an import): past the minute rows' two days.
    const deps = { ...harness.deps, clock: { now: () => realNow - 3 * DAY } };
    const seed = await seedTenant(deps, "Import");
    const ctx = { ...seed.ctx, deps };
    const later = { ...deps, clock: { now: () => Date.now() + 2 * MINUTE } };
    // Compaction ran before the import arrived, as it does every hour in production.
    await rollUpTenant(later, seed.tenant.id, { events: false });
    const started = await startConversation(ctx, seed.bot.id, {});
    await sendMessage(ctx, started.conversationId, { text: "Ann" });
    const range = {
      from: new Date(realNow - 4 * DAY).toISOString(),
      to: new Date(realNow + DAY).toISOString(),
    };
    const series = () =>
      getBotTimeseries(ctx, seed.bot.id, { metric: "conversations", interval: "day", ...range });
    const fromTail = await series();
    expect(fromTail.total).toBe(1);
    for (let run = 0; run < 10; run += 1) {
      const outcome = await rollUpTenant(later, seed.tenant.id);
      if (!outcome.moreEvents && !outcome.moreConversations) break;
    }
    expect(await series()).toEqual(fromTail);
    const grains = (await deps.db.forTenant(seed.tenant.id).analyticsRollup.findMany()).map(
      (row) => row.grain,
    );
    expect(grains.length).toBeGreaterThan(0);
    expect(new Set(grains)).toEqual(new Set(["hour"]));
  }, 60_000);
});
