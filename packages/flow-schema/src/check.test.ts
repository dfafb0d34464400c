import { describe, expect, it } from "vitest";
import { validFlowInput } from "../test/fixtures";
import { checkFlow } from "./check";

describe("checkFlow", () => {
  it("returns the flow and no problems for a valid document", () => {
    const result = checkFlow(validFlowInput());
    expect(result.ok).toBe(true);
    expect(result.problems).toEqual([]);
    expect(result.flow?.id).toBe("test-flow");
  });

  it("returns shape problems and no flow when the shape is wrong", () => {
    const result = checkFlow({ ...validFlowInput(), nodes: "none" });
    expect(result.ok).toBe(false);
    expect(result.flow).toBeNull();
    expect(result.problems.map((problem) => problem.code)).toEqual(["invalid-shape"]);
  });

  it("returns the parsed flow with its semantic problems", () => {
    const input = validFlowInput();
    input.edges = [];
    const result = checkFlow(input);
    expect(result.ok).toBe(false);
    expect(result.flow?.nodes).toHaveLength(5);
    expect(new Set(result.problems.map((problem) => problem.code))).toEqual(
      new Set(["unconnected-handle", "unreachable-node"]),
    );
  });

  it("passes subflow options through", () => {
    const input = validFlowInput();
    input.nodes.push({ id: "sub", kind: "subflow", position: { x: 0, y: 0 }, data: { flowId: "nope" } });
    input.edges = input.edges!.filter((edge) => edge.source !== "thanks");
    input.edges.push(
      { id: "t-sub", source: "thanks", sourceHandle: "next", target: "sub" },
      { id: "sub-bye", source: "sub", sourceHandle: "next", target: "bye" },
    );
    expect(checkFlow(input).ok).toBe(true);
    expect(checkFlow(input, { flowExists: () => false }).problems.map((problem) => problem.code)).toEqual([
      "unknown-subflow",
    ]);
  });
});
