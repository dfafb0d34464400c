import { describe, expect, it } from "vitest";
import { createNode, nodeCatalog, nodeWaitsFor } from "./catalog";
import { flowNodeSchema, nodeKinds } from "./nodes/flow-node";

describe("nodeCatalog", () => {
  it("has one entry per kind, keyed by its kind", () => {
    expect(Object.keys(nodeCatalog).sort()).toEqual([...nodeKinds].sort());
    for (const kind of nodeKinds) expect(nodeCatalog[kind].kind).toBe(kind);
  });

  it.each(nodeKinds)("gives %s nodes default data that parses", (kind) => {
    const node = createNode(kind, { id: `new-${kind}`, position: { x: 1, y: 2 } });
    expect(flowNodeSchema.safeParse(node).error?.issues).toBeUndefined();
  });

  it("returns fresh default data every time", () => {
    const first = nodeCatalog["ab-split"].createDefaultData();
    first.variants[0]!.weight = 99;
    expect(nodeCatalog["ab-split"].createDefaultData().variants[0]!.weight).toBe(50);
  });

  it("marks exactly ask, wait and handoff as waiting for input", () => {
    const waiting = nodeKinds.filter((kind) => nodeWaitsFor(kind) !== null);
    expect(waiting).toEqual(["ask", "handoff", "wait"]);
    expect(nodeWaitsFor("ask")).toBe("userMessage");
    expect(nodeWaitsFor("wait")).toBe("timer");
    expect(nodeWaitsFor("handoff")).toBe("agent");
  });

  it("creates nodes with a label when asked", () => {
    expect(createNode("end", { id: "e", position: { x: 0, y: 0 }, label: "Bye" })).toEqual({
      id: "e",
      kind: "end",
      position: { x: 0, y: 0 },
      label: "Bye",
      data: {},
    });
  });

  it("describes every kind for the palette", () => {
    for (const kind of nodeKinds) {
      const entry = nodeCatalog[kind];
      expect(entry.label.length).toBeGreaterThan(0);
      expect(entry.icon).toMatch(/^[a-z0-9-]+$/);
      expect(entry.description.length).toBeGreaterThan(10);
    }
    expect(nodeKinds.filter((kind) => !nodeCatalog[kind].repeatable)).toEqual(["start"]);
  });
});
