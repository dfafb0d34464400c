import { readFileSync } from "node:fs";
import { createBot, createFlow } from "@parley/core";
import { type AnyParityRow, type ParityFixture, parityRow } from "../row";

const pizza = (): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL("../../../examples/flows/pizza-order.json", import.meta.url), "utf8"));

/** A bot with a draft of the pizza flow. */
async function newFlow(fx: ParityFixture) {
  const bot = await createBot(fx.owner, { name: fx.unique("bot") });
  return createFlow(fx.owner, { botId: bot.id, document: pizza() });
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
];
