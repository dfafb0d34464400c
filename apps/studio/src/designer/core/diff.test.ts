import { emptyFlow } from "@parley/flow-schema";
import { describe, expect, it } from "vitest";
import { diffFlows, summarizeDiff } from "./diff";
import { addNode, connect, moveNodes, updateNode, upsertVariable } from "./document-ops";
import { fieldPathInWords, valueInWords } from "./field-guide";

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

describe("what changed inside a node, field by field", () => {
  it("lists each differing leaf with both values, named in the inspector's words", () => {
    const base = addNode(emptyFlow("f", "F"), "ask", { x: 0, y: 100 });
    const before = updateNode(base.doc, base.nodeId, {
      label: "Size",
      data: {
        prompt: "What size?",
        input: { type: "choice", multiple: false, options: [{ id: "s", label: "Small" }] },
        saveTo: "size",
        maxRetries: 2,
      },
    });
    const after = updateNode(before, base.nodeId, {
      label: "Pizza size",
      data: {
        prompt: "Which size?",
        input: {
          type: "choice",
          multiple: false,
          options: [
            { id: "s", label: "Small" },
            { id: "l", label: "Large" },
          ],
        },
        saveTo: "size",
        maxRetries: 2,
      },
    });
    const changes = diffFlows(before, after).fieldChanges.get(base.nodeId) ?? [];
    expect(changes).toEqual([
      { path: "label", before: "Size", after: "Pizza size" },
      { path: "data.prompt", before: "What size?", after: "Which size?" },
      { path: "data.input.options.1", before: undefined, after: { id: "l", label: "Large" } },
    ]);
    expect(changes.map((c) => fieldPathInWords("ask", c.path))).toEqual([
      "Title",
      "Question",
      "Answer type › Button 2",
    ]);
    expect(fieldPathInWords("ask", "data.input.options.0.label")).toBe(
      "Answer type › Button 1 › Button text",
    );
    expect(fieldPathInWords("condition", "data.groups.0.rules.1.value")).toBe("Branch 1 › Rule 2 › Value");
    expect(valueInWords(undefined)).toBe("not set");
    expect(valueInWords("large")).toBe('"large"');
  });
});
