import { checkFlow, emptyFlow } from "@parley/flow-schema";
import { describe, expect, it } from "vitest";
import { buildCanvasEdges, buildCanvasNodes, traversedEdges } from "./canvas-model";
import { addNode, connect, moveNodes } from "./document-ops";

describe("canvas model", () => {
  it("derives nodes with handles and problems, reusing unchanged node objects", () => {
    let doc = emptyFlow("f", "F");
    const ask = addNode(doc, "ask", { x: 0, y: 100 });
    doc = connect(ask.doc, { source: "start", sourceHandle: "next", target: ask.nodeId }).doc;
    const problems = checkFlow(doc).problems;
    const first = buildCanvasNodes(doc, { problems });
    const askNode = first.find((n) => n.id === ask.nodeId);
    expect(askNode?.data.handles.map((h) => h.id)).toEqual(["next", "error"]);
    expect(askNode?.data.problems.length).toBeGreaterThan(0);

    const moved = moveNodes(doc, new Map([[ask.nodeId, { x: 10, y: 100 }]]));
    const second = buildCanvasNodes(moved, { problems }, first);
    expect(second[0]).toBe(first[0]);
    expect(second[1]).not.toBe(first[1]);
    expect(second[1]?.position).toEqual({ x: 10, y: 100 });

    const active = buildCanvasNodes(moved, { problems, activeNodeId: "start" }, second);
    expect(active[0]?.data.active).toBe(true);
    expect(active[1]).toBe(second[1]);
  });

  it("marks the edges a test turn followed", () => {
    let doc = emptyFlow("f", "F");
    const end = addNode(doc, "end", { x: 0, y: 100 });
    const connected = connect(end.doc, { source: "start", sourceHandle: "next", target: end.nodeId });
    doc = connected.doc;
    const traversed = traversedEdges(doc, ["start", end.nodeId]);
    expect([...traversed]).toEqual([connected.edgeId]);
    const edges = buildCanvasEdges(doc, [], traversed);
    expect(edges[0]?.animated).toBe(true);
    expect(buildCanvasEdges(doc, edges, traversed)[0]).toBe(edges[0]);
  });
});
