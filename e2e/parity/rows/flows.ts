import { readFileSync } from "node:fs";
import { archiveFlow, createBot, createFlow } from "@parley/core";
import { type AnyParityRow, type ParityFixture, parityRow } from "../row";

const pizza = (): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL("../../../examples/flows/pizza-order.json", import.meta.url), "utf8"));

/** A bot with a draft of the pizza flow. */
async function newFlow(fx: ParityFixture) {
  const bot = await createBot(fx.owner, { name: fx.unique("bot") });
  return createFlow(fx.owner, { botId: bot.id, document: pizza() });
}

/** A bot with two pizza drafts; returns the second one (not the entry flow, so it may be archived). */
async function secondFlow(fx: ParityFixture) {
  const first = await newFlow(fx);
  return createFlow(fx.owner, { botId: first.botId, document: pizza(), name: fx.unique("second") });
}

async function archivedFlow(fx: ParityFixture) {
  const flow = await secondFlow(fx);
  await archiveFlow(fx.owner, flow.id);
  return flow;
}

/** Flows: the designer and /api/v1/flows (creation and drafts differ in shape; not paired here). */
export const flowRows: readonly AnyParityRow[] = [
  parityRow({
    name: "list a bot's flows",
    permission: "flows:read",
    audit: null,
    setup: newFlow,
    studio: { procedure: "flows.list", input: (flow) => ({ botId: flow.botId }) },
    rest: { method: "GET", path: (flow) => `/api/v1/bots/${flow.botId}/flows` },
  }),
  parityRow({
    name: "get a flow",
    permission: "flows:read",
    audit: null,
    setup: newFlow,
    studio: { procedure: "flows.get", input: (flow) => ({ flowId: flow.id }) },
    rest: { method: "GET", path: (flow) => `/api/v1/flows/${flow.id}` },
  }),
  parityRow({
    name: "export a flow",
    permission: "flows:read",
    audit: null,
    setup: newFlow,
    studio: { procedure: "flows.export", input: (flow) => ({ flowId: flow.id }) },
    rest: { method: "GET", path: (flow) => `/api/v1/flows/${flow.id}/export` },
  }),
  parityRow({
    name: "validate a flow",
    permission: "flows:read",
    audit: null,
    setup: newFlow,
    studio: { procedure: "flows.validate", input: (flow) => ({ flowId: flow.id }) },
    rest: { method: "POST", path: (flow) => `/api/v1/flows/${flow.id}/validate` },
  }),
  parityRow({
    name: "publish a flow",
    permission: "flows:publish",
    audit: { action: "flow.publish", targetType: "flow" },
    setup: newFlow,
    studio: { procedure: "flows.publish", input: (flow) => ({ flowId: flow.id, note: "parity" }) },
    rest: {
      method: "POST",
      path: (flow) => `/api/v1/flows/${flow.id}/publish`,
      body: () => ({ note: "parity" }),
    },
  }),
  parityRow({
    name: "list a flow's versions",
    permission: "flows:read",
    audit: null,
    setup: newFlow,
    studio: { procedure: "flows.versions", input: (flow) => ({ flowId: flow.id }) },
    rest: { method: "GET", path: (flow) => `/api/v1/flows/${flow.id}/versions` },
  }),
  parityRow({
    name: "list a bot's archived flows",
    permission: "flows:read",
    audit: null,
    setup: archivedFlow,
    studio: { procedure: "flows.list", input: (flow) => ({ botId: flow.botId, status: "archived" }) },
    rest: { method: "GET", path: (flow) => `/api/v1/bots/${flow.botId}/flows?status=archived` },
  }),
  parityRow({
    name: "rename a flow",
    permission: "flows:write",
    audit: { action: "flow.update", targetType: "flow" },
    setup: newFlow,
    studio: { procedure: "flows.update", input: (flow) => ({ flowId: flow.id, name: "Renamed" }) },
    rest: { method: "PATCH", path: (flow) => `/api/v1/flows/${flow.id}`, body: () => ({ name: "Renamed" }) },
  }),
  parityRow({
    name: "duplicate a flow",
    permission: "flows:write",
    audit: { action: "flow.duplicate", targetType: "flow" },
    setup: newFlow,
    studio: { procedure: "flows.duplicate", input: (flow) => ({ flowId: flow.id }) },
    rest: { method: "POST", path: (flow) => `/api/v1/flows/${flow.id}/duplicate` },
  }),
  parityRow({
    name: "archive a flow",
    permission: "flows:write",
    audit: { action: "flow.archive", targetType: "flow" },
    setup: secondFlow,
    studio: { procedure: "flows.archive", input: (flow) => ({ flowId: flow.id }) },
    rest: { method: "POST", path: (flow) => `/api/v1/flows/${flow.id}/archive` },
  }),
  parityRow({
    name: "restore an archived flow",
    permission: "flows:write",
    audit: { action: "flow.restore", targetType: "flow" },
    setup: archivedFlow,
    studio: { procedure: "flows.restore", input: (flow) => ({ flowId: flow.id }) },
    rest: { method: "POST", path: (flow) => `/api/v1/flows/${flow.id}/restore` },
  }),
  parityRow({
    name: "delete a flow for good",
    permission: "flows:write",
    audit: { action: "flow.delete", targetType: "flow" },
    setup: secondFlow,
    studio: { procedure: "flows.delete", input: (flow) => ({ flowId: flow.id }) },
    rest: { method: "DELETE", path: (flow) => `/api/v1/flows/${flow.id}?permanent=true` },
  }),
];
