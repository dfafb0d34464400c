import { outputHandlesOf, parseFlowDocument } from "@parley/flow-schema";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../src/compile/compile";
import { turnResultSchema } from "../src/interpret/result";
import { createMemoryHttp } from "../src/offline/http";
import { createMemoryKnowledge } from "../src/offline/knowledge";
import { createOfflineLlm } from "../src/offline/llm";
import type { NluPort } from "../src/ports/nlu";
import type { TurnEventInput } from "../src/protocol/events";
import { type InlineNode, inlineFlow, TestConversation } from "../test/support";

const variables = [
  { name: "text", type: "string" },
  { name: "count", type: "number", default: 0 },
  { name: "picks", type: "list" },
];

/** Node data per kind, from a random seed (every kind except start and subflow). */
const nodeData = fc.oneof(
  fc.record({
    kind: fc.constant("message"),
    data: fc.record({ text: fc.constantFrom("Hi {{ text }}", "Count {{ count }}") }),
  }),
  fc.record({
    kind: fc.constant("ask"),
    data: fc.oneof(
      fc.constant({ prompt: "Text?", input: { type: "text" }, saveTo: "text", maxRetries: 1 }),
      fc.constant({
        prompt: "Number?",
        input: { type: "number", min: 0, max: 9 },
        saveTo: "count",
        maxRetries: 0,
      }),
      fc.constant({
        prompt: "Pick",
        input: {
          type: "choice",
          multiple: true,
          options: [
            { id: "a", label: "A" },
            { id: "b", label: "B" },
          ],
        },
        saveTo: "picks",
      }),
    ),
  }),
  fc.record({
    kind: fc.constant("condition"),
    data: fc.constant({ groups: [{ id: "big", rules: [{ variable: "count", operator: "gt", value: 3 }] }] }),
  }),
  fc.record({
    kind: fc.constant("set-variable"),
    data: fc.constantFrom(
      { assignments: [{ variable: "count", value: { type: "expression", expression: "count + 1" } }] },
      { assignments: [{ variable: "text", value: { type: "template", template: "t{{ count }}" } }] },
      { assignments: [{ variable: "count", value: { type: "expression", expression: "$error('x')" } }] },
    ),
  }),
  fc.record({
    kind: fc.constant("http"),
    data: fc.constantFrom({ url: "https://api.example.com/ok" }, { url: "https://api.example.com/missing" }),
  }),
  fc.record({
    kind: fc.constant("llm"),
    data: fc.constantFrom(
      { prompt: "Say hi", mode: { type: "reply" } },
      {
        prompt: "Extract",
        mode: { type: "extract", fields: [{ variable: "count", type: "number", required: true }] },
      },
    ),
  }),
  fc.record({
    kind: fc.constant("intent"),
    data: fc.constant({
      intents: [
        { name: "yes", examples: ["yes"] },
        { name: "no", examples: ["no"] },
      ],
    }),
  }),
  fc.record({ kind: fc.constant("knowledge"), data: fc.constant({ question: "{{ text }}" }) }),
  fc.record({ kind: fc.constant("handoff"), data: fc.constant({ message: "Human" }) }),
  fc.record({ kind: fc.constant("wait"), data: fc.constant({ duration: { amount: 1, unit: "minutes" } }) }),
  fc.record({
    kind: fc.constant("ab-split"),
    data: fc.constant({
      variants: [
        { id: "x", weight: 30 },
        { id: "y", weight: 70 },
      ],
    }),
  }),
  fc.record({ kind: fc.constant("jump"), data: fc.constant({ targetNodeId: "" }) }),
  fc.record({ kind: fc.constant("end"), data: fc.constant({}) }),
);

/** A valid flow: random nodes whose handles connect to random nodes (or stay unconnected). */
const flowArbitrary = fc
  .record({
    nodes: fc.array(nodeData, { minLength: 1, maxLength: 12 }),
    wiring: fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
  })
  .map(({ nodes, wiring }) => {
    const all: InlineNode[] = [
      { id: "start", kind: "start", data: {} },
      ...nodes.map((node, index) => ({ id: `n${index}`, ...node })),
    ];
    let cursor = 0;
    const pick = () => wiring[cursor++ % wiring.length]!;
    const edges: [string, string, string][] = [];
    for (const node of all) {
      if (node.kind === "jump") node.data = { targetNodeId: all[1 + (pick() % (all.length - 1))]!.id };
      const parsed = parseFlowDocument(inlineFlow({ nodes: [node as InlineNode] }));
      const handles = parsed.ok ? outputHandlesOf(parsed.flow.nodes[0]!) : [];
      for (const handle of handles) {
        const choice = pick() % (all.length + 1);
        if (choice < all.length - 1) edges.push([node.id, handle, all[1 + choice]!.id]);
      }
    }
    return inlineFlow({ id: "generated", nodes: all, edges, variables });
  });

const eventArbitrary: fc.Arbitrary<TurnEventInput | "timer"> = fc.oneof(
  fc
    .constantFrom("yes", "no", "7", "hello", "", "A, B")
    .map((text) => ({ type: "user.text" as const, text })),
  fc.constant({ type: "user.choice" as const, values: ["A"] }),
  fc.constant("timer" as const),
  fc.constant({ type: "handoff.resolved" as const }),
);

const nlu: NluPort = {
  async classify(request) {
    const intent = request.intents.find((candidate) =>
      candidate.examples.includes(request.text.trim().toLowerCase()),
    );
    return { intent: intent?.name ?? null, score: intent ? 1 : 0, entities: [] };
  },
};

describe("generated flows", () => {
  it("compile and run to a waiting or ended state without throwing", async () => {
    await fc.assert(
      fc.asyncProperty(
        flowArbitrary,
        fc.array(eventArbitrary, { maxLength: 5 }),
        fc.string(),
        async (flow, events, id) => {
          expect(parseFlowDocument(flow).ok).toBe(true);
          const machine = compile(flow);
          const conversation = new TestConversation(machine, {
            id: `c-${id}`,
            ports: {
              nlu,
              llm: createOfflineLlm(),
              knowledge: createMemoryKnowledge([{ title: "T", text: "hello there" }]),
              http: createMemoryHttp([{ url: "https://api.example.com/ok", body: { ok: true } }]),
            },
            extra: { options: { maxNodeVisits: 200 } },
          });
          const timer = setTimeout(
            () => console.log("HUNG", JSON.stringify(flow), JSON.stringify(events), id),
            3000,
          );
          let result = await conversation.start();
          for (const event of events) {
            const timerId = result.timers[0]?.timerId ?? "none";
            result = await conversation.send(event === "timer" ? { type: "timer.fired", timerId } : event);
            expect(["waiting", "ended", "handoff"]).toContain(result.status);
            expect(turnResultSchema.safeParse(result).success).toBe(true);
          }
          clearTimeout(timer);
        },
      ),
      { numRuns: 60 },
    );
  }, 60_000);
});
