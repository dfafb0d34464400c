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
    expect(first.get(a.nodeId)?.y).toBe(160);
    expect(first.get(b.nodeId)?.y).toBe(320);
    expect(layeredLayout(doc)).toEqual(first);
  });

  it("lays out 500 nodes quickly", () => {
    let doc = emptyFlow("big", "Big");
    let previous = "start";
    for (let i = 0; i < 499; i++) {
      const added = addNode(doc, "message", { x: 0, y: 0 });
      doc = connect(added.doc, { source: previous, sourceHandle: "next", target: added.nodeId }).doc;
      previous = added.nodeId;
    }
    const started = performance.now();
    expect(layeredLayout(doc).size).toBe(500);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
