import { checkFlow, emptyFlow } from "@parley/flow-schema";
import { describe, expect, it } from "vitest";
import { addNode, connect, removeElements, updateNode, upsertVariable } from "./document-ops";
import { mergeFlows } from "./merge";

describe("mergeFlows", () => {
  it("replays my changes on top of theirs and reports nodes we both changed", () => {
    let base = emptyFlow("f", "F");
    const m = addNode(base, "message", { x: 0, y: 100 });
    base = updateNode(m.doc, m.nodeId, { data: { text: "Hi", quickReplies: [] } });
    const shared = addNode(base, "message", { x: 200, y: 100 });
    base = updateNode(shared.doc, shared.nodeId, { data: { text: "Shared", quickReplies: [] } });

    // They: add an end node connected after the message, and edit the shared node.
    const end = addNode(base, "end", { x: 0, y: 300 });
    let theirs = connect(end.doc, { source: m.nodeId, sourceHandle: "next", target: end.nodeId }).doc;
    theirs = updateNode(theirs, shared.nodeId, { data: { text: "Theirs", quickReplies: [] } });

    // Me: connect start to the message, declare a variable, edit the shared node, delete nothing of theirs.
    let mine = connect(base, { source: "start", sourceHandle: "next", target: m.nodeId }).doc;
    mine = upsertVariable(mine, { name: "city", type: "string", scope: "conversation" });
    mine = updateNode(mine, shared.nodeId, { data: { text: "Mine", quickReplies: [] } });

    const { doc, conflicts } = mergeFlows(base, mine, theirs);
    expect(doc.nodes.map((n) => n.id).sort()).toEqual(["start", m.nodeId, shared.nodeId, end.nodeId].sort());
    expect(doc.edges.map((e) => [e.source, e.target])).toEqual(
      expect.arrayContaining([
        ["start", m.nodeId],
        [m.nodeId, end.nodeId],
      ]),
    );
    expect(doc.variables.map((v) => v.name)).toEqual(["city"]);
    expect(conflicts).toEqual([shared.nodeId]);
    expect(JSON.stringify(doc.nodes.find((n) => n.id === shared.nodeId))).toContain("Mine");
    expect(new Set(doc.edges.map((e) => e.id)).size).toBe(doc.edges.length);
    expect(checkFlow(doc).flow).not.toBeNull();
  });

  it("drops their edges into nodes I removed", () => {
    let base = emptyFlow("f", "F");
    const m = addNode(base, "message", { x: 0, y: 100 });
    base = m.doc;
    const theirs = connect(base, { source: "start", sourceHandle: "next", target: m.nodeId }).doc;
    const mine = removeElements(base, { nodeIds: [m.nodeId] });
    const { doc } = mergeFlows(base, mine, theirs);
    expect(doc.nodes.map((n) => n.id)).toEqual(["start"]);
    expect(doc.edges).toEqual([]);
  });
});
