import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { emptyFlow, parseFlowDocument } from "@parley/flow-schema";
import { describe, expect, it } from "vitest";
import { addNode, connect } from "./document-ops";
import { layeredLayout } from "./layout";

const examples = join(import.meta.dirname, "../../../../../examples/flows");

describe("layeredLayout", () => {
  it("puts every edge target below its source except for loops, and never overlaps two nodes", () => {
    for (const file of readdirSync(examples)) {
      const parsed = parseFlowDocument(JSON.parse(readFileSync(join(examples, file), "utf8")));
      if (!parsed.ok) continue;
      const positions = layeredLayout(parsed.flow);
      expect(positions.size).toBe(parsed.flow.nodes.length);
      const start = parsed.flow.nodes.find((n) => n.kind === "start");
      if (start) expect(positions.get(start.id)?.y).toBe(0);
      const spots = new Set([...positions.values()].map((p) => `${p.x},${p.y}`));
      expect(spots.size, file).toBe(positions.size);
      const downward = parsed.flow.edges.filter(
        (e) => (positions.get(e.target)?.y ?? 0) > (positions.get(e.source)?.y ?? 0),
      );
      // Loops may point back up; the rest must flow downward.
      expect(downward.length, file).toBeGreaterThanOrEqual(parsed.flow.edges.length - 3);
    }
  });

  it("handles a cycle and is deterministic", () => {
    let doc = emptyFlow("f", "F");
    const a = addNode(doc, "message", { x: 0, y: 0 });
    const b = addNode(a.doc, "message", { x: 0, y: 0 });
    doc = connect(b.doc, { source: "start", sourceHandle: "next", target: a.nodeId }).doc;
    doc = connect(doc, { source: a.nodeId, sourceHandle: "next", target: b.nodeId }).doc;
    doc = connect(doc, { source: b.nodeId, sourceHandle: "next", target: a.nodeId }).doc;
    const first = layeredLayout(doc);
    expect(first.get("start")?.y).toBe(0);
    expect(first.get(a.nodeId)?.y).toBeGreaterThan(0);
    expect(first.get(b.nodeId)?.y).toBeGreaterThan(first.get(a.nodeId)?.y ?? 0);
    expect(layeredLayout(doc)).toEqual(first);
  });

  it("puts a condition's branches side by side, in the order of its outputs, without overlap", () => {
    let doc = emptyFlow("f", "F");
    const condition = addNode(doc, "condition", { x: 0, y: 0 });
    const yes = addNode(condition.doc, "message", { x: 0, y: 0 });
    const no = addNode(yes.doc, "message", { x: 0, y: 0 });
    doc = connect(no.doc, { source: "start", sourceHandle: "next", target: condition.nodeId }).doc;
    const node = doc.nodes.find((n) => n.id === condition.nodeId) as { data: { groups: { id: string }[] } };
    const firstGroup = node.data.groups[0]?.id as string;
    // Connected in reverse order: the layout follows the outputs' order, not the edges'.
    doc = connect(doc, { source: condition.nodeId, sourceHandle: "else", target: no.nodeId }).doc;
    doc = connect(doc, { source: condition.nodeId, sourceHandle: firstGroup, target: yes.nodeId }).doc;
    const positions = layeredLayout(doc);
    const [left, right] = [positions.get(yes.nodeId), positions.get(no.nodeId)];
    expect(left?.y).toBe(right?.y);
    expect(left?.y).toBeGreaterThan(positions.get(condition.nodeId)?.y ?? 0);
    expect(left?.x).toBeLessThan(right?.x ?? 0);
    // Node cards (220 x 90) never overlap.
    const boxes = [...positions.values()];
    for (const [i, a] of boxes.entries())
      for (const b of boxes.slice(i + 1))
        expect(Math.abs(a.x - b.x) >= 220 || Math.abs(a.y - b.y) >= 90, JSON.stringify([a, b])).toBe(true);
  });

  it("lays out 500 nodes", () => {
    let doc = emptyFlow("big", "Big");
    let previous = "start";
    for (let i = 0; i < 499; i++) {
      const added = addNode(doc, "message", { x: 0, y: 0 });
      doc = connect(added.doc, { source: previous, sourceHandle: "next", target: added.nodeId }).doc;
      previous = added.nodeId;
    }
    const positions = layeredLayout(doc);
    expect(positions.size).toBe(500);
    expect(new Set([...positions.values()].map((p) => p.y)).size).toBe(500);
  });
});
