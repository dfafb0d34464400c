import { describe, expect, it } from "vitest";
import { node, validFlowInput } from "../test/fixtures";
import { parseFlowDocument } from "./parse";
import { DEFAULT_FALLBACK_MESSAGE } from "./settings";

describe("parseFlowDocument", () => {
  it("parses a valid document and applies defaults", () => {
    const result = parseFlowDocument({ version: 1, id: "f", name: "F", nodes: [node("start", "start")] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.flow.edges).toEqual([]);
    expect(result.flow.variables).toEqual([]);
    expect(result.flow.settings).toEqual({
      language: "en",
      typingDelayMs: 0,
      fallback: { message: DEFAULT_FALLBACK_MESSAGE },
    });
  });

  it("fills variable scope and nested defaults", () => {
    const result = parseFlowDocument({ ...validFlowInput(), variables: [{ name: "a", type: "string" }] });
    expect(result.ok && result.flow.variables).toEqual([
      { name: "a", type: "string", scope: "conversation" },
    ]);
  });

  it("maps shape errors inside a node to that node's id", () => {
    const input = validFlowInput();
    input.nodes[2] = {
      ...node("ask-name", "ask"),
      data: { prompt: "?", input: { type: "text" }, saveTo: "1bad" },
    } as never;
    const result = parseFlowDocument(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      {
        nodeId: "ask-name",
        path: ["nodes", 2, "data", "saveTo"],
        code: "invalid-shape",
        message:
          "nodes[2].data.saveTo: must be an identifier: letters, digits and _, not starting with a digit",
      },
    ]);
  });

  it("names the valid kinds when a node kind is unknown", () => {
    const input = validFlowInput();
    input.nodes.push({ id: "x", kind: "teleport", position: { x: 0, y: 0 }, data: {} } as never);
    const result = parseFlowDocument(input);
    expect(!result.ok && result.problems[0]).toMatchObject({
      nodeId: "x",
      path: ["nodes", 5, "kind"],
      message: expect.stringContaining("unknown node kind; expected one of start, message, ask"),
    });
  });

  it("gives a null node id outside nodes or when the node has no usable id", () => {
    const input = { ...validFlowInput(), name: "" } as Record<string, unknown>;
    const result = parseFlowDocument(input);
    expect(!result.ok && result.problems[0]).toMatchObject({ nodeId: null, path: ["name"] });

    const noId = validFlowInput();
    noId.nodes[0] = { kind: "start", position: { x: 0, y: 0 }, data: {} } as never;
    const second = parseFlowDocument(noId);
    expect(!second.ok && second.problems[0]).toMatchObject({ nodeId: null, path: ["nodes", 0, "id"] });
  });

  it("reports unknown keys (typos) instead of dropping them", () => {
    const result = parseFlowDocument({ ...validFlowInput(), varaibles: [] });
    expect(!result.ok && result.problems[0]?.message).toContain("varaibles");
  });

  it("rejects what is not a document", () => {
    for (const input of [null, [], "flow", 42]) {
      const result = parseFlowDocument(input);
      expect(!result.ok && result.problems[0]?.code).toBe("invalid-shape");
    }
  });

  it("rejects missing and future versions with a clear message", () => {
    const missing = parseFlowDocument({ ...validFlowInput(), version: undefined });
    expect(!missing.ok && missing.problems[0]?.message).toContain('"version" must be a positive integer');
    const future = parseFlowDocument({ ...validFlowInput(), version: 7 });
    expect(!future.ok && future.problems[0]).toMatchObject({
      code: "unsupported-version",
      message: expect.stringContaining("version 7 is newer"),
    });
  });
});
