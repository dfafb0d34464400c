import { readFileSync } from "node:fs";
import { createBot, createFlow, publishFlow, sendMessage, startConversation } from "@parley/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, startApiServer } from "../../test-support/api-server";
import { call } from "../../test-support/runtime-harness";

const pizza = JSON.parse(
  readFileSync(new URL("../../../../../examples/flows/pizza-order.json", import.meta.url), "utf8"),
);

let api: ApiServer;
let analyst: string;
let viewer: string;
let botId: string;
let flowId: string;
beforeAll(async () => {
  api = await startApiServer();
  analyst = (await api.key(["analytics:read"])).key;
  viewer = (await api.key(["bots:read", "flows:read", "conversations:read"])).key;
  const bot = await createBot(api.owner, { name: "Pizza", allowedOrigins: [] });
  const flow = await createFlow(api.owner, { botId: bot.id, document: pizza });
  await publishFlow(api.owner, flow.id, {});
  botId = bot.id;
  flowId = flow.id;
}, 90_000);
afterAll(() => api?.close());

describe("analytics over REST", () => {
  it("counts a conversation the moment it is committed, per node too", async () => {
    const started = await startConversation(api.owner, botId, {});
    await sendMessage(api.owner, started.conversationId, { text: "Ann" });
    const summary = await call(api.url, "GET", `/api/v1/bots/${botId}/analytics/summary`, { key: analyst });
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({ conversations: 1, completed: 0, active: 1, turns: 2 });
    const nodes = await call(api.url, "GET", `/api/v1/flows/${flowId}/analytics/nodes?version=1`, {
      key: analyst,
    });
    expect(nodes.status).toBe(200);
    expect(nodes.body.nodes.find((n: { nodeId: string }) => n.nodeId === "ask-size")).toEqual({
      nodeId: "ask-size",
      entered: 1,
      exits: {},
      waiting: 1,
      dropped: 0,
    });
    const series = await call(
      api.url,
      "GET",
      `/api/v1/bots/${botId}/analytics/timeseries?metric=turns&interval=minute`,
      { key: analyst },
    );
    expect(series.body).toMatchObject({ metric: "turns", interval: "minute", total: 2 });
    const overview = await call(api.url, "GET", "/api/v1/analytics/summary", { key: analyst });
    expect(overview.body.byBot).toEqual([expect.objectContaining({ key: botId, conversations: 1 })]);
    const costs = await call(api.url, "GET", "/api/v1/analytics/costs?groupBy=model", { key: analyst });
    expect(costs.body).toMatchObject({ groupBy: "model", rows: [], total: { calls: 0 } });
  });

  it("exports CSV on ?format=csv or Accept: text/csv", async () => {
    const csv = await call(api.url, "GET", `/api/v1/bots/${botId}/analytics/summary?format=csv`, {
      key: analyst,
    });
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(String(csv.body)).toMatch(/^section,key,metric,value\r\n/);
    const accepted = await call(
      api.url,
      "GET",
      `/api/v1/bots/${botId}/analytics/timeseries?metric=conversations`,
      {
        key: analyst,
        headers: { accept: "text/csv" },
      },
    );
    expect(String(accepted.body)).toMatch(/^t,conversations\r\n/);
  });

  it("refuses a key without analytics:read (403) and names bad input (400)", async () => {
    for (const path of [
      `/api/v1/bots/${botId}/analytics/summary`,
      `/api/v1/bots/${botId}/analytics/timeseries`,
      `/api/v1/flows/${flowId}/analytics/nodes`,
      "/api/v1/analytics/summary",
      "/api/v1/analytics/costs",
    ]) {
      const refused = await call(api.url, "GET", path, { key: viewer });
      expect(refused.status).toBe(403);
      expect(refused.headers.get("content-type")).toContain("application/problem+json");
    }
    const bad = await call(api.url, "GET", `/api/v1/bots/${botId}/analytics/summary?from=yesterday`, {
      key: analyst,
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("from");
    const missing = await call(
      api.url,
      "GET",
      "/api/v1/bots/00000000-0000-7000-8000-000000000000/analytics/summary",
      {
        key: analyst,
      },
    );
    expect(missing.status).toBe(404);
  });
});
