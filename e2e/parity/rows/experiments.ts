import { readFileSync } from "node:fs";
import { createBot, createExperiment, createFlow, publishFlow, startExperiment } from "@parley/core";
import { type AnyParityRow, type ParityFixture, parityRow } from "../row";

const pizza = (): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL("../../../examples/flows/pizza-order.json", import.meta.url), "utf8"));

/** A bot whose pizza flow has two published versions, and the body of an experiment over them. */
async function botWithVersions(fx: ParityFixture) {
  const bot = await createBot(fx.owner, { name: fx.unique("bot") });
  const flow = await createFlow(fx.owner, { botId: bot.id, document: pizza() });
  const first = await publishFlow(fx.owner, flow.id, { note: "a" });
  const second = await publishFlow(fx.owner, flow.id, { note: "b" });
  const body = {
    name: fx.unique("experiment"),
    variants: [
      { key: "control", weight: 1, flowVersionId: first.id },
      { key: "b", weight: 1, flowVersionId: second.id },
    ],
    goal: { type: "node" as const, nodeId: "order-placed" },
  };
  return { botId: bot.id, body };
}

/** A draft experiment (`started`: running) on a fresh bot. */
async function experiment(fx: ParityFixture, started = false) {
  const { botId, body } = await botWithVersions(fx);
  const created = await createExperiment(fx.owner, botId, body);
  if (started) await startExperiment(fx.owner, created.id);
  return { botId, id: created.id };
}

/** Experiments: the Experiments tab and /api/v1/bots/{botId}/experiments, /api/v1/experiments/{id}. */
export const experimentRows: readonly AnyParityRow[] = [
  parityRow({
    name: "list a bot's experiments",
    permission: "analytics:read",
    audit: null,
    setup: (fx) => experiment(fx),
    studio: { procedure: "experiments.list", input: (e) => ({ botId: e.botId }) },
    rest: { method: "GET", path: (e) => `/api/v1/bots/${e.botId}/experiments` },
  }),
  parityRow({
    name: "get an experiment",
    permission: "analytics:read",
    audit: null,
    setup: (fx) => experiment(fx),
    studio: { procedure: "experiments.get", input: (e) => ({ experimentId: e.id }) },
    rest: { method: "GET", path: (e) => `/api/v1/experiments/${e.id}` },
  }),
  parityRow({
    name: "read an experiment's results",
    permission: "analytics:read",
    audit: null,
    setup: (fx) => experiment(fx, true),
    studio: { procedure: "experiments.results", input: (e) => ({ experimentId: e.id }) },
    rest: { method: "GET", path: (e) => `/api/v1/experiments/${e.id}/results` },
  }),
  parityRow({
    name: "create an experiment",
    permission: "flows:publish",
    audit: { action: "experiment.create", targetType: "experiment" },
    setup: botWithVersions,
    studio: { procedure: "experiments.create", input: (s) => ({ botId: s.botId, experiment: s.body }) },
    rest: { method: "POST", path: (s) => `/api/v1/bots/${s.botId}/experiments`, body: (s) => s.body },
  }),
  parityRow({
    name: "change a draft experiment",
    permission: "flows:publish",
    audit: { action: "experiment.update", targetType: "experiment" },
    setup: (fx) => experiment(fx),
    studio: {
      procedure: "experiments.update",
      input: (e) => ({ experimentId: e.id, changes: { name: "renamed" } }),
    },
    rest: { method: "PATCH", path: (e) => `/api/v1/experiments/${e.id}`, body: () => ({ name: "renamed" }) },
  }),
  parityRow({
    name: "start an experiment",
    permission: "flows:publish",
    audit: { action: "experiment.start", targetType: "experiment" },
    setup: (fx) => experiment(fx),
    studio: { procedure: "experiments.start", input: (e) => ({ experimentId: e.id }) },
    rest: { method: "POST", path: (e) => `/api/v1/experiments/${e.id}/start` },
  }),
  parityRow({
    name: "stop an experiment",
    permission: "flows:publish",
    audit: { action: "experiment.stop", targetType: "experiment" },
    setup: (fx) => experiment(fx, true),
    studio: { procedure: "experiments.stop", input: (e) => ({ experimentId: e.id }) },
    rest: { method: "POST", path: (e) => `/api/v1/experiments/${e.id}/stop` },
  }),
  parityRow({
    name: "promote an experiment's variant",
    permission: "flows:publish",
    audit: { action: "experiment.promote", targetType: "experiment" },
    setup: (fx) => experiment(fx, true),
    studio: { procedure: "experiments.promote", input: (e) => ({ experimentId: e.id, variantKey: "b" }) },
    rest: {
      method: "POST",
      path: (e) => `/api/v1/experiments/${e.id}/promote`,
      body: () => ({ variantKey: "b" }),
    },
  }),
];
