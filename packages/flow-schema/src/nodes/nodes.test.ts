import { describe, expect, it } from "vitest";
import { flowNodeSchema, type NodeKind, nodeKinds } from "./flow-node";

const position = { x: 10, y: 20 };

/** A realistic, fully specified node of every kind. */
const sampleData: Record<NodeKind, unknown> = {
  start: {},
  message: {
    text: "Hi {{ name }}",
    image: { url: "https://example.com/a.png", alt: "A" },
    card: {
      title: "Card",
      subtitle: "Sub",
      imageUrl: "https://example.com/c.png",
      buttons: [{ label: "Go", url: "https://example.com" }],
    },
    quickReplies: [{ label: "Yes" }, { label: "No", value: "no" }],
  },
  ask: {
    prompt: "Size?",
    input: { type: "choice", multiple: true, options: [{ id: "s", label: "Small" }] },
    saveTo: "size",
    retryPrompt: "Pick one",
    maxRetries: 3,
  },
  condition: {
    groups: [
      {
        id: "big",
        match: "any",
        rules: [
          { variable: "size", operator: "equals", value: "large" },
          { variable: "count", operator: "gte", value: { variable: "limit" } },
          { variable: "size", operator: "in", value: ["xl", "xxl"] },
          { variable: "vip", operator: "isTrue" },
        ],
      },
    ],
  },
  "set-variable": {
    assignments: [
      { variable: "a", value: { type: "literal", value: { nested: [1, null] } } },
      { variable: "b", value: { type: "expression", expression: "a.nested[0] + 1" } },
      { variable: "c", value: { type: "template", template: "{{ a }}" } },
    ],
  },
  http: {
    integrationId: "crm",
    method: "POST",
    url: "/leads/{{ id }}",
    headers: { "X-Trace": "{{ sys.conversationId }}" },
    query: { q: "1" },
    body: { type: "template", contentType: "json", template: '{"id": "{{ id }}"}' },
    responseMapping: [{ variable: "leadId", expression: "body.id" }],
    saveStatusTo: "status",
    timeoutMs: 5000,
  },
  llm: {
    prompt: "Summarise",
    systemPrompt: "Be brief",
    historyWindow: 5,
    modelRoute: "fast",
    mode: { type: "extract", fields: [{ variable: "mood", type: "string", required: true }] },
    temperature: 0.2,
    maxTokens: 100,
    timeoutMs: 20_000,
  },
  intent: {
    classifier: "llm",
    modelRoute: "fast",
    intents: [{ name: "billing", examples: ["invoice"] }],
    entities: [
      { name: "size", type: "list", values: [{ value: "large", synonyms: ["big"] }], saveTo: "size" },
    ],
    threshold: 0.5,
  },
  knowledge: { question: "{{ q }}", citations: false, reply: false, saveAnswerTo: "answer" },
  handoff: { reason: "help", queue: "billing", message: "Connecting", priority: "urgent" },
  subflow: {
    flowId: "collect-email",
    inputs: [{ child: "email", parent: "contact.email" }],
    outputs: [{ child: "email", parent: "email" }],
  },
  jump: { targetNodeId: "start" },
  wait: { duration: { amount: 3, unit: "hours" } },
  "ab-split": {
    variants: [
      { id: "a", weight: 30 },
      { id: "b", label: "B", weight: 70 },
    ],
  },
  end: { outcome: "done" },
};

describe("flowNodeSchema", () => {
  it.each(nodeKinds)("parses a %s node", (kind) => {
    const result = flowNodeSchema.safeParse({
      id: `n-${kind}`,
      kind,
      position,
      label: kind,
      data: sampleData[kind],
    });
    expect(result.error?.issues).toBeUndefined();
    expect(result.data?.kind).toBe(kind);
  });

  it("applies defaults", () => {
    const ask = flowNodeSchema.parse({
      id: "a",
      kind: "ask",
      position,
      data: { prompt: "Age?", input: { type: "number" }, saveTo: "age" },
    });
    expect(ask.kind === "ask" && ask.data).toEqual({
      prompt: "Age?",
      input: { type: "number", integer: false },
      saveTo: "age",
      maxRetries: 2,
    });
    const intent = flowNodeSchema.parse({
      id: "i",
      kind: "intent",
      position,
      data: { intents: [{ name: "hi", examples: ["hi"] }] },
    });
    expect(intent.kind === "intent" && intent.data.text).toBe("{{ sys.lastUserMessage }}");
  });

  it("rejects an unknown kind, unknown keys and wrong data", () => {
    expect(flowNodeSchema.safeParse({ id: "x", kind: "teleport", position, data: {} }).success).toBe(false);
    expect(
      flowNodeSchema.safeParse({ id: "x", kind: "start", position, data: {}, colour: "red" }).success,
    ).toBe(false);
    expect(flowNodeSchema.safeParse({ id: "x", kind: "start", position, data: { typo: 1 } }).success).toBe(
      false,
    );
    expect(flowNodeSchema.safeParse({ id: "has space", kind: "start", position, data: {} }).success).toBe(
      false,
    );
  });

  it("requires message content", () => {
    expect(flowNodeSchema.safeParse({ id: "m", kind: "message", position, data: {} }).success).toBe(false);
    expect(flowNodeSchema.safeParse({ id: "m", kind: "message", position, data: { text: "" } }).success).toBe(
      true,
    );
  });

  it("checks condition rule operands by operator", () => {
    const rule = (value: Record<string, unknown>) =>
      flowNodeSchema.safeParse({
        id: "c",
        kind: "condition",
        position,
        data: { groups: [{ id: "g", rules: [{ variable: "x", ...value }] }] },
      }).success;
    expect(rule({ operator: "isSet" })).toBe(true);
    expect(rule({ operator: "isSet", value: 1 })).toBe(false);
    expect(rule({ operator: "equals" })).toBe(false);
    expect(rule({ operator: "in", value: "a" })).toBe(false);
    expect(rule({ operator: "in", value: ["a"] })).toBe(true);
    expect(rule({ operator: "matches", value: ".*" })).toBe(false);
  });

  it("rejects waits longer than 30 days", () => {
    const wait = (amount: number, unit: string) =>
      flowNodeSchema.safeParse({ id: "w", kind: "wait", position, data: { duration: { amount, unit } } })
        .success;
    expect(wait(30, "days")).toBe(true);
    expect(wait(31, "days")).toBe(false);
    expect(wait(0, "seconds")).toBe(false);
  });

  it("rejects invalid identifiers where variables are named", () => {
    const ask = (saveTo: string) =>
      flowNodeSchema.safeParse({
        id: "a",
        kind: "ask",
        position,
        data: { prompt: "?", input: { type: "text" }, saveTo },
      }).success;
    expect(ask("ok_name1")).toBe(true);
    expect(ask("1bad")).toBe(false);
    expect(ask("with.dot")).toBe(false);
  });
});
