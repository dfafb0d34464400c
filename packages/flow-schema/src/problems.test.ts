import { describe, expect, it } from "vitest";
import { formatFlowPath, formatFlowProblem } from "./problems";

describe("formatFlowPath", () => {
  it("writes paths the way JavaScript would", () => {
    expect(formatFlowPath(["nodes", 3, "data", "prompt"])).toBe("nodes[3].data.prompt");
    expect(formatFlowPath(["nodes", 0, "data", "headers", "X-Trace"])).toBe(
      'nodes[0].data.headers["X-Trace"]',
    );
    expect(formatFlowPath([])).toBe("(document)");
  });
});

describe("formatFlowProblem", () => {
  it("puts location, node, code and message on one line", () => {
    expect(
      formatFlowProblem({
        nodeId: "ask",
        path: ["nodes", 2, "data", "prompt"],
        code: "ask-without-prompt",
        message: "no prompt",
      }),
    ).toBe("nodes[2].data.prompt (node ask) [ask-without-prompt] no prompt");
    expect(
      formatFlowProblem({ nodeId: null, path: ["nodes"], code: "missing-start", message: "no start" }),
    ).toBe("nodes [missing-start] no start");
  });
});
