import { describe, expect, it } from "vitest";
import { createNode } from "./catalog";
import { describeOutputHandles, outputHandlesOf } from "./handles";
import { flowNodeSchema, nodeKinds } from "./nodes/flow-node";

const position = { x: 0, y: 0 };

describe("outputHandlesOf", () => {
  it("gives the fixed handles of simple kinds", () => {
    const handles = Object.fromEntries(
      nodeKinds.map((kind) => [kind, outputHandlesOf(createNode(kind, { id: kind, position }))]),
    );
    expect(handles).toEqual({
      start: ["next"],
      message: ["next"],
      ask: ["next", "error"],
      condition: ["group-1", "else"],
      "set-variable": ["next"],
      http: ["success", "error"],
      llm: ["next", "error"],
      intent: ["greeting", "fallback"],
      knowledge: ["answered", "noAnswer"],
      handoff: ["next"],
      subflow: ["next"],
      jump: [],
      wait: ["next"],
      "ab-split": ["a", "b"],
      end: [],
    });
  });

  it("follows the branches in the data, in order", () => {
    const condition = flowNodeSchema.parse({
      id: "c",
      kind: "condition",
      position,
      data: {
        groups: [
          { id: "small", label: "Small", rules: [{ variable: "s", operator: "equals", value: "s" }] },
          { id: "large", rules: [{ variable: "s", operator: "equals", value: "l" }] },
        ],
      },
    });
    expect(outputHandlesOf(condition)).toEqual(["small", "large", "else"]);
    expect(describeOutputHandles(condition).map((handle) => handle.label)).toEqual([
      "Small",
      "large",
      "Else",
    ]);

    const intent = flowNodeSchema.parse({
      id: "i",
      kind: "intent",
      position,
      data: {
        intents: [
          { name: "billing", examples: ["bill"] },
          { name: "tech", examples: ["bug"] },
        ],
      },
    });
    expect(outputHandlesOf(intent)).toEqual(["billing", "tech", "fallback"]);

    const split = flowNodeSchema.parse({
      id: "s",
      kind: "ab-split",
      position,
      data: {
        variants: [
          { id: "x", weight: 20 },
          { id: "y", label: "Y", weight: 80 },
        ],
      },
    });
    expect(describeOutputHandles(split)).toEqual([
      { id: "x", label: "x (20%)" },
      { id: "y", label: "Y (80%)" },
    ]);
  });
});
