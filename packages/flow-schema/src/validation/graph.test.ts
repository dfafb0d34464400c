import { describe, expect, it } from "vitest";
import { buildFlow, chain, edge, node, withCode } from "../../test/fixtures";
import { createValidationContext } from "./context";
import { stronglyConnectedComponents, successorIndexes } from "./graph";
import { validateFlow } from "./validate-flow";

describe("stronglyConnectedComponents", () => {
  it("finds cycles, self-loops and singletons", () => {
    // 0 -> 1 -> 2 -> 0, 3 -> 3, 4 -> 0
    const components = stronglyConnectedComponents([[1], [2], [0], [3], [0]]);
    expect(components.map((component) => component.join(",")).sort()).toEqual(["0,1,2", "3", "4"]);
  });

  it("handles a 20,000-node chain without overflowing the stack", () => {
    const successors = Array.from({ length: 20_000 }, (_, index) => (index < 19_999 ? [index + 1] : [0]));
    expect(stronglyConnectedComponents(successors)).toHaveLength(1);
  });
});

describe("successorIndexes", () => {
  it("follows edges and jump targets, skipping dangling ones", () => {
    const flow = buildFlow({
      nodes: [
        node("start", "start"),
        node("go", "jump", { targetNodeId: "start" }),
        node("lost", "jump", { targetNodeId: "x" }),
      ],
      edges: [edge("start", "next", "go"), edge("start", "next", "missing")],
    });
    expect(successorIndexes(createValidationContext(flow, {}).context)).toEqual([[1], [0], []]);
  });
});

describe("loop-without-input", () => {
  it("reports a loop closed by a jump", () => {
    const flow = buildFlow({
      nodes: [
        node("start", "start"),
        node("say", "message", { text: "hi" }),
        node("again", "jump", { targetNodeId: "say" }),
      ],
      edges: chain("start", "say", "again"),
    });
    const [problem] = withCode(validateFlow(flow), "loop-without-input");
    expect(problem?.nodeId).toBe("say");
    expect(problem?.message).toContain('"say", "again"');
  });

  it("reports a node connected to itself", () => {
    const flow = buildFlow({
      nodes: [node("start", "start"), node("spin", "set-variable")],
      edges: [edge("start", "next", "spin"), edge("spin", "next", "spin")],
    });
    expect(withCode(validateFlow(flow), "loop-without-input").map((problem) => problem.nodeId)).toEqual([
      "spin",
    ]);
  });

  it("reports an error branch that retries forever", () => {
    const flow = buildFlow({
      nodes: [node("start", "start"), node("call", "http"), node("done", "end")],
      edges: [edge("start", "next", "call"), edge("call", "success", "done"), edge("call", "error", "call")],
    });
    expect(withCode(validateFlow(flow), "loop-without-input")).toHaveLength(1);
  });

  it.each([
    ["wait", {}],
    ["handoff", {}],
    ["subflow", { flowId: "other" }],
  ] as const)("accepts a loop through a %s node", (kind, data) => {
    const flow = buildFlow({
      nodes: [node("start", "start"), node("say", "message", { text: "hi" }), node("pause", kind, data)],
      edges: [...chain("start", "say", "pause"), edge("pause", "next", "say")],
    });
    expect(withCode(validateFlow(flow), "loop-without-input")).toEqual([]);
  });

  it("reports each separate loop once", () => {
    const flow = buildFlow({
      nodes: [
        node("start", "start"),
        node("a", "message", { text: "a" }),
        node("b", "message", { text: "b" }),
        node("c", "condition", {
          groups: [{ id: "x", rules: [{ variable: "sys.channel", operator: "isSet" }] }],
        }),
        node("d", "message", { text: "d" }),
      ],
      edges: [
        edge("start", "next", "c"),
        edge("c", "x", "a"),
        edge("a", "next", "b"),
        edge("b", "next", "a"),
        edge("c", "else", "d"),
        edge("d", "next", "d"),
      ],
    });
    expect(withCode(validateFlow(flow), "loop-without-input").map((problem) => problem.nodeId)).toEqual([
      "a",
      "d",
    ]);
  });
});

describe("unreachable-node", () => {
  it("counts nodes reached only through a jump as reachable", () => {
    const flow = buildFlow({
      nodes: [node("start", "start"), node("go", "jump", { targetNodeId: "end" }), node("end", "end")],
      edges: [edge("start", "next", "go")],
    });
    expect(validateFlow(flow)).toEqual([]);
  });

  it("is not reported when there is no start (missing-start says it all)", () => {
    const flow = buildFlow({ nodes: [node("a", "end"), node("b", "end")] });
    expect(validateFlow(flow).map((problem) => problem.code)).toEqual(["missing-start"]);
  });
});
