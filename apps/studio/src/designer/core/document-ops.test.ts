import { readFileSync } from "node:fs";
import { join } from "node:path";
import { checkFlow, emptyFlow, type FlowDocument, parseFlowDocument } from "@parley/flow-schema";
import { describe, expect, it } from "vitest";
import {
  addConnectedNode,
  addNode,
  connect,
  copySelection,
  EditRefused,
  moveNodes,
  pasteClipboard,
  removeElements,
  removeVariable,
  updateNode,
  upsertVariable,
} from "./document-ops";

const examples = join(import.meta.dirname, "../../../../../examples/flows");
const pizza = (): FlowDocument => {
  const parsed = parseFlowDocument(JSON.parse(readFileSync(join(examples, "pizza-order.json"), "utf8")));
  if (!parsed.ok) throw new Error("pizza example does not parse");
  return parsed.flow;
};

describe("document edits", () => {
  it("adds the next node below an output and connects it, clear of other nodes", () => {
    let doc = emptyFlow("f", "F");
    const first = addConnectedNode(doc, "message", { source: "start", sourceHandle: "next" });
    doc = first.doc;
    const start = doc.nodes.find((n) => n.id === "start");
    const message = doc.nodes.find((n) => n.id === first.nodeId);
    expect(message?.position.y).toBeGreaterThan(start?.position.y ?? 0);
    expect(doc.edges).toContainEqual(
      expect.objectContaining({ source: "start", sourceHandle: "next", target: first.nodeId }),
    );
    // A condition's two outputs get two nodes side by side, not on top of each other.
    const condition = addConnectedNode(doc, "condition", { source: first.nodeId, sourceHandle: "next" });
    doc = condition.doc;
    const a = addConnectedNode(doc, "end", { source: condition.nodeId, sourceHandle: "group-1" });
    const b = addConnectedNode(a.doc, "end", { source: condition.nodeId, sourceHandle: "else" });
    const [pa, pb] = [a.nodeId, b.nodeId].map((id) => b.doc.nodes.find((n) => n.id === id)?.position);
    expect(Math.abs((pa?.x ?? 0) - (pb?.x ?? 0))).toBeGreaterThanOrEqual(200);
    expect(b.doc.edges.filter((e) => e.source === condition.nodeId)).toHaveLength(2);
  });

  it("builds a valid flow from an empty one: add, connect, fill in", () => {
    let doc = emptyFlow("greet", "Greet");
    const message = addNode(doc, "message", { x: 0, y: 150.4 });
    doc = message.doc;
    expect(doc.nodes.find((n) => n.id === message.nodeId)?.position).toEqual({ x: 0, y: 150 });
    const end = addNode(doc, "end", { x: 0, y: 300 });
    doc = end.doc;
    doc = connect(doc, { source: "start", sourceHandle: "next", target: message.nodeId }).doc;
    doc = connect(doc, { source: message.nodeId, sourceHandle: "next", target: end.nodeId }).doc;
    // A fresh message has no text: the validator says so, and filling it in fixes the flow.
    const before = checkFlow(doc);
    expect(before.problems.map((p) => [p.nodeId, p.code])).toContainEqual([message.nodeId, "empty-message"]);
    doc = updateNode(doc, message.nodeId, { data: { text: "Hello!", quickReplies: [] } });
    expect(checkFlow(doc)).toMatchObject({ ok: true, problems: [] });
  });

  it("refuses a second start node and unknown endpoints", () => {
    const doc = emptyFlow("f", "F");
    expect(() => addNode(doc, "start", { x: 0, y: 0 })).toThrow(EditRefused);
    expect(() => connect(doc, { source: "start", sourceHandle: "next", target: "nope" })).toThrow(
      /no node nope/,
    );
  });

  it("keeps one edge per output handle: reconnecting replaces the old wire", () => {
    let doc = emptyFlow("f", "F");
    const a = addNode(doc, "end", { x: 0, y: 100 });
    const b = addNode(a.doc, "end", { x: 100, y: 100 });
    doc = connect(b.doc, { source: "start", sourceHandle: "next", target: a.nodeId }).doc;
    doc = connect(doc, { source: "start", sourceHandle: "next", target: b.nodeId }).doc;
    expect(doc.edges).toHaveLength(1);
    expect(doc.edges[0]?.target).toBe(b.nodeId);
    expect(connect(doc, { source: "start", sourceHandle: "next", target: b.nodeId }).doc).toBe(doc);
  });

  it("removes nodes with their edges, and keeps untouched nodes identical", () => {
    const doc = pizza();
    const victim = doc.nodes[1]?.id as string;
    const next = removeElements(doc, { nodeIds: [victim] });
    expect(next.nodes.some((n) => n.id === victim)).toBe(false);
    expect(next.edges.some((e) => e.source === victim || e.target === victim)).toBe(false);
    expect(next.nodes[0]).toBe(doc.nodes[0]);
    expect(removeElements(doc, {})).toBe(doc);
  });

  it("moves only the nodes named and returns the same document when nothing moves", () => {
    const doc = pizza();
    const first = doc.nodes[0];
    if (!first) throw new Error("empty");
    expect(moveNodes(doc, new Map([[first.id, first.position]]))).toBe(doc);
    const moved = moveNodes(doc, new Map([[first.id, { x: 999.6, y: -3 }]]));
    expect(moved.nodes[0]?.position).toEqual({ x: 1000, y: -3 });
    expect(moved.nodes[1]).toBe(doc.nodes[1]);
  });

  it("copies a selection with its inner edges and pastes it with fresh ids, skipping a second start", () => {
    const doc = pizza();
    const ids = doc.nodes.slice(0, 3).map((n) => n.id);
    const clip = copySelection(doc, ids);
    expect(clip.edges.every((e) => ids.includes(e.source) && ids.includes(e.target))).toBe(true);
    const pasted = pasteClipboard(doc, clip);
    const hasStart = clip.nodes.some((n) => n.kind === "start");
    expect(pasted.nodeIds).toHaveLength(clip.nodes.length - (hasStart ? 1 : 0));
    expect(new Set(pasted.doc.nodes.map((n) => n.id)).size).toBe(pasted.doc.nodes.length);
    expect(new Set(pasted.doc.edges.map((e) => e.id)).size).toBe(pasted.doc.edges.length);
    for (const id of pasted.nodeIds) expect(ids).not.toContain(id);
  });

  it("declares, renames and removes variables", () => {
    let doc = emptyFlow("f", "F");
    doc = upsertVariable(doc, { name: "city", type: "string", scope: "conversation" });
    doc = upsertVariable(doc, { name: "town", type: "string", scope: "conversation" }, "city");
    expect(doc.variables.map((v) => v.name)).toEqual(["town"]);
    expect(removeVariable(doc, "town").variables).toEqual([]);
  });

  it("updates a label and clears it with an empty string", () => {
    const doc = emptyFlow("f", "F");
    expect(updateNode(doc, "start", { label: "Begin" }).nodes[0]?.label).toBe("Begin");
    expect(updateNode(doc, "start", { label: "" }).nodes[0]).not.toHaveProperty("label");
  });
});
