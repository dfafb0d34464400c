import { checkFlow, emptyFlow, nodeKinds } from "@parley/flow-schema";
import { describe, expect, it } from "vitest";
import { problemsByNode } from "./canvas-model";
import { addConnectedNode, addNode } from "./document-ops";
import { nodeTone, orderProblems, problemTone } from "./problem-tones";

describe("problems while building", () => {
  it("an empty canvas has no error, only the hint to connect the start", () => {
    const problems = checkFlow(emptyFlow("f", "F")).problems;
    expect(problems.map((p) => problemTone(p))).toEqual(["todo"]);
    expect(problems[0]?.message).toBe('"Start": connect its "Next" output to the next step');
  });

  it("every new node comes without errors, its first hint in words naming it by title, not by id", () => {
    for (const kind of nodeKinds) {
      if (kind === "start") continue;
      const added = addConnectedNode(emptyFlow("f", "F"), kind, { source: "start", sourceHandle: "next" });
      const problems = problemsByNode(checkFlow(added.doc).problems).get(added.nodeId) ?? [];
      expect(nodeTone(problems), `${kind}: ${problems.map((p) => p.message).join("; ")}`).not.toBe("error");
      for (const problem of problems) expect(problem.message, kind).not.toContain(added.nodeId);
    }
  });

  it("a new ask node declares its own variable, a fresh one each time", () => {
    let doc = emptyFlow("f", "F");
    const first = addNode(doc, "ask", { x: 0, y: 100 });
    const second = addNode(first.doc, "ask", { x: 0, y: 200 });
    doc = second.doc;
    const saveTo = (id: string) =>
      (doc.nodes.find((n) => n.id === id)?.data as { saveTo?: string } | undefined)?.saveTo;
    expect([saveTo(first.nodeId), saveTo(second.nodeId)]).toEqual(["answer", "answer_2"]);
    expect(doc.variables.map((v) => [v.name, v.type])).toEqual([
      ["answer", "string"],
      ["answer_2", "string"],
    ]);
    expect(checkFlow(doc).problems.filter((p) => p.code === "undeclared-variable")).toEqual([]);
  });

  it("shows mistakes first, then what to fill in, then what to connect", () => {
    const at = (code: string) => ({ nodeId: "n", path: [], code, message: code }) as never;
    const ordered = orderProblems([at("unconnected-handle"), at("empty-message"), at("invalid-template")]);
    expect(ordered.map((p) => p.code)).toEqual(["invalid-template", "empty-message", "unconnected-handle"]);
    expect(nodeTone(ordered)).toBe("error");
    expect(nodeTone([])).toBeNull();
  });
});
