import { emptyFlow } from "@parley/flow-schema";
import { describe, expect, it } from "vitest";
import { diffFlows, summarizeDiff } from "./diff";
import { addNode, connect, moveNodes, updateNode, upsertVariable } from "./document-ops";

describe("diffFlows", () => {
  it("reports added, removed, changed and moved nodes, edges and variables", () => {
    let base = emptyFlow("f", "F");
    const m = addNode(base, "message", { x: 0, y: 100 });
    base = updateNode(m.doc, m.nodeId, { data: { text: "Hi", quickReplies: [] } });
    const gone = addNode(base, "handoff", { x: 0, y: 200 });
    base = gone.doc;

    let draft = updateNode(base, m.nodeId, { data: { text: "Hello", quickReplies: [] } });
    draft = moveNodes(draft, new Map([["start", { x: 50, y: 0 }]]));
    draft = { ...draft, nodes: draft.nodes.filter((n) => n.id !== gone.nodeId) };
    const added = addNode(draft, "end", { x: 0, y: 300 });
    draft = connect(added.doc, { source: m.nodeId, sourceHandle: "next", target: added.nodeId }).doc;
    draft = upsertVariable(draft, { name: "x", type: "number", scope: "conversation" });

    const diff = diffFlows(base, draft);
    expect(diff.nodes.get(m.nodeId)).toBe("changed");
    expect(diff.changedFields.get(m.nodeId)).toEqual(["data.text"]);
    expect(diff.nodes.get("start")).toBe("moved");
    expect(diff.nodes.get(gone.nodeId)).toBe("removed");
    expect(diff.nodes.get(added.nodeId)).toBe("added");
    expect(diff.edgesAdded).toHaveLength(1);
    expect(diff.variablesAdded).toEqual(["x"]);
    expect(diff.onlyLayout).toBe(false);
    expect(summarizeDiff(diff)).toContain("1 node added");
  });

  it("says when only the layout changed, and when nothing did", () => {
    const base = emptyFlow("f", "F");
    expect(summarizeDiff(diffFlows(base, base))).toBe("No differences");
    const moved = diffFlows(base, moveNodes(base, new Map([["start", { x: 9, y: 9 }]])));
    expect(moved.onlyLayout).toBe(true);
  });
});
