import { describe, expect, it } from "vitest";
import { checkFlow } from "../check";
import { emptyFlow } from "../empty-flow";
import { nodeName } from "./node-name";

describe("problems name nodes by their title", () => {
  it("uses the label people see, and kind and id only for a node without one", () => {
    expect(nodeName({ id: "ask-1", kind: "ask", label: "Ask size" })).toBe('"Ask size"');
    expect(nodeName({ id: "ask-1", kind: "ask", label: "  " })).toBe('ask node "ask-1"');
    expect(nodeName({ id: "ask-1", kind: "ask" })).toBe('ask node "ask-1"');
  });

  it("says what to do about a new, empty flow in words, without internal ids", () => {
    const flow = emptyFlow("f", "F");
    const start = flow.nodes[0];
    if (!start) throw new Error("no start node");
    const labelled = { ...flow, nodes: [{ ...start, label: "Start" }] };
    const problems = checkFlow(labelled).problems;
    expect(problems.map((p) => [p.code, p.message])).toEqual([
      ["unconnected-handle", '"Start": connect its "Next" output to the next step'],
    ]);
  });
});
