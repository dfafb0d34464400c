import { readFileSync } from "node:fs";
import { createBot, createFlow, publishFlow } from "@parley/core";
import { type AnyParityRow, type ParityFixture, parityRow } from "../row";

const pizza = (): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL("../../../examples/flows/pizza-order.json", import.meta.url), "utf8"));

/** A bot with the pizza flow published. */
async function publishedPizza(fx: ParityFixture) {
  const bot = await createBot(fx.owner, { name: fx.unique("analytics-bot") });
  const flow = await createFlow(fx.owner, { botId: bot.id, document: pizza() });
  await publishFlow(fx.owner, flow.id, {});
  return { botId: bot.id, flowId: flow.id };
}

/** Analytics: the Analytics tab, workspace overview, costs view and canvas overlay, and /api/v1/.../analytics. */
export const analyticsRows: readonly AnyParityRow[] = [
  parityRow({
    name: "a bot's analytics summary",
    permission: "analytics:read",
    audit: null,
    setup: publishedPizza,
    studio: { procedure: "analytics.botSummary", input: (s) => ({ botId: s.botId }) },
    rest: { method: "GET", path: (s) => `/api/v1/bots/${s.botId}/analytics/summary` },
  }),
  parityRow({
    name: "a bot's analytics time series",
    permission: "analytics:read",
    audit: null,
    setup: publishedPizza,
    studio: {
      procedure: "analytics.timeseries",
      input: (s) => ({ botId: s.botId, metric: "turns", interval: "hour" }),
    },
    rest: {
      method: "GET",
      path: (s) => `/api/v1/bots/${s.botId}/analytics/timeseries?metric=turns&interval=hour`,
    },
  }),
  parityRow({
    name: "a flow's drop-off per node",
    permission: "analytics:read",
    audit: null,
    setup: publishedPizza,
    studio: { procedure: "analytics.nodes", input: (s) => ({ flowId: s.flowId, version: "1" }) },
    rest: { method: "GET", path: (s) => `/api/v1/flows/${s.flowId}/analytics/nodes?version=1` },
  }),
  parityRow({
    name: "the workspace analytics overview",
    permission: "analytics:read",
    audit: null,
    studio: { procedure: "analytics.workspaceSummary", input: () => ({}) },
    rest: { method: "GET", path: () => "/api/v1/analytics/summary" },
  }),
  parityRow({
    name: "LLM costs by model",
    permission: "analytics:read",
    audit: null,
    studio: { procedure: "analytics.costs", input: () => ({ groupBy: "model" }) },
    rest: { method: "GET", path: () => "/api/v1/analytics/costs?groupBy=model" },
  }),
  parityRow({
    name: "export a bot's summary as CSV",
    permission: "analytics:read",
    audit: null,
    setup: publishedPizza,
    studio: { procedure: "analytics.exportCsv", input: (s) => ({ kind: "botSummary", botId: s.botId }) },
    rest: { method: "GET", path: (s) => `/api/v1/bots/${s.botId}/analytics/summary?format=csv` },
  }),
];
