import { describe, expect, it } from "vitest";
import { createNode } from "./catalog";
import { flowDocumentSchema } from "./document";
import { emptyFlow } from "./empty-flow";
import { HISTORY_NODE_KINDS, needsConversationHistory } from "./references/history";
import { modelRoutesOf } from "./references/model-routes-of";

describe("emptyFlow", () => {
  it("is a valid document with only a start node", () => {
    const doc = emptyFlow("greet", "Greet");
    expect(flowDocumentSchema.parse(doc)).toEqual(doc);
    expect(doc).toMatchObject({ id: "greet", name: "Greet", edges: [], variables: [] });
    expect(doc.nodes.map((node) => [node.id, node.kind])).toEqual([["start", "start"]]);
  });
});

describe("modelRoutesOf", () => {
  it("finds node routes and the default route, sorted, once each", () => {
    const doc = {
      settings: { defaultModelRoute: "smart" },
      nodes: [
        { id: "a", kind: "llm", data: { modelRoute: "cheap" } },
        { id: "b", kind: "knowledge", data: { modelRoute: "smart" } },
        { id: "c", kind: "intent", data: { modelRoute: "  " } },
        { id: "d", kind: "message", data: { text: "modelRoute" } },
      ],
    };
    expect(modelRoutesOf(doc)).toEqual(["cheap", "smart"]);
  });

  it("reads drafts that do not parse and ignores what is not a document", () => {
    expect(modelRoutesOf({ nodes: [{ data: { modelRoute: "fast" } }], version: "nope" })).toEqual(["fast"]);
    expect(modelRoutesOf(null)).toEqual([]);
    expect(modelRoutesOf("modelRoute")).toEqual([]);
  });
});

describe("needsConversationHistory", () => {
  it("is true exactly when a node prompts a model", () => {
    const doc = emptyFlow("f", "F");
    expect(needsConversationHistory(doc)).toBe(false);
    for (const kind of HISTORY_NODE_KINDS) {
      const node = createNode(kind, { id: "n", position: { x: 0, y: 0 }, label: kind });
      expect(needsConversationHistory({ nodes: [...doc.nodes, node] })).toBe(true);
    }
    const ask = createNode("ask", { id: "q", position: { x: 0, y: 0 }, label: "Ask" });
    expect(needsConversationHistory({ nodes: [...doc.nodes, ask] })).toBe(false);
  });
});
