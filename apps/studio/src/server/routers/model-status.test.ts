import { type FakeProvider, startFakeProvider } from "@parley/models/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStudioHarness, type StudioCaller, type StudioHarness } from "../test-support/harness";

/**
 * The offline-model warning's source (`models.botStatus`, REST `GET /api/v1/bots/{botId}/model-status`):
 * a flow whose llm node would be answered by the offline provider is flagged, by the node's title,
 * until a real provider serves the route it resolves to.
 */
let harness: StudioHarness;
let owner: StudioCaller;
let botId: string;
let flowId: string;
let provider: FakeProvider;

/** `base` (a saved draft) with one llm node titled `title`, asking for the default route, after the start node. */
function withLlmNode(base: Record<string, unknown>, title: string) {
  const nodes = base.nodes as { id: string; kind: string }[];
  const start = nodes.find((node) => node.kind === "start")?.id ?? "start";
  return {
    ...base,
    nodes: [
      ...nodes,
      {
        id: "answer",
        kind: "llm",
        label: title,
        position: { x: 0, y: 100 },
        data: { prompt: "Answer {{question}}", mode: { type: "reply" } },
      },
    ],
    edges: [
      ...(base.edges as unknown[]),
      { id: "e-answer", source: start, sourceHandle: "next", target: "answer" },
    ],
  };
}

beforeAll(async () => {
  harness = await createStudioHarness();
  const tenant = await harness.tenant("Offline Inc");
  owner = await harness.as(tenant.ownerId, tenant.tenantId);
  botId = (await owner.bots.create({ name: "Helper" })).id;
  const flow = await owner.flows.create({ botId, name: "Support", source: { type: "empty" } });
  flowId = flow.id;
  provider = await startFakeProvider({ protocol: "openai", otherwise: { reply: "Real answer." } });
});

afterAll(async () => {
  await provider?.close();
  await harness?.cleanup();
});

describe("models.botStatus", () => {
  it("says nothing for a flow without model nodes", async () => {
    const status = await owner.models.botStatus({ botId, flowId });
    expect(status).toEqual({ usesModels: false, offlineOnly: false, uses: [] });
  });

  it("flags an llm node answered by the offline provider, by its title, until a real provider serves it", async () => {
    const draft = await owner.flows.get({ flowId });
    await owner.flows.saveDraft({
      flowId,
      document: withLlmNode(draft.draft, "Answer questions"),
      expectedRevision: draft.draftRevision,
    });
    const offline = await owner.models.botStatus({ botId, flowId });
    expect(offline.usesModels).toBe(true);
    expect(offline.offlineOnly).toBe(true);
    expect(offline.uses).toEqual([
      expect.objectContaining({
        requested: "default",
        offlineOnly: true,
        nodes: [{ nodeId: "answer", title: "Answer questions", kind: "llm" }],
      }),
    ]);
    // The bot's published flows are checked without flowId: nothing is published yet.
    expect((await owner.models.botStatus({ botId })).usesModels).toBe(false);

    await owner.models.saveProvider({ name: "real", kind: "openai_compatible", baseUrl: provider.baseUrl });
    await owner.models.saveRoute({
      name: "main",
      isDefault: true,
      policy: {
        targets: [
          { provider: "real", model: "small" },
          { provider: "offline", model: "offline" },
        ],
      },
    });
    const real = await owner.models.botStatus({ botId, flowId });
    expect(real.offlineOnly).toBe(false);
    expect(real.uses[0]).toMatchObject({ route: "main", providers: ["real", "offline"], offlineOnly: false });
  });
});
