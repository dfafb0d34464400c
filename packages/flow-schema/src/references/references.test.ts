import { describe, expect, it } from "vitest";
import { flowNodeSchema } from "../nodes/flow-node";
import { expressionsOf } from "./expressions-of";
import { templatesOf } from "./templates-of";
import { variableReferencesOf } from "./variable-references-of";

const position = { x: 0, y: 0 };

describe("templatesOf", () => {
  it("lists every template field of a message with its location", () => {
    const message = flowNodeSchema.parse({
      id: "m",
      kind: "message",
      position,
      data: {
        text: "Hi {{ name }}",
        card: { title: "T", buttons: [{ label: "Go", url: "https://x/{{ id }}" }] },
        quickReplies: [{ label: "not a template {{ x }}" }],
      },
    });
    expect(templatesOf(message)).toEqual([
      { location: ["data", "text"], template: "Hi {{ name }}" },
      { location: ["data", "card", "title"], template: "T" },
      { location: ["data", "card", "buttons", 0, "url"], template: "https://x/{{ id }}" },
    ]);
  });
});

describe("expressionsOf", () => {
  it("lists http body and mapping expressions with their inputs", () => {
    const http = flowNodeSchema.parse({
      id: "h",
      kind: "http",
      position,
      data: {
        url: "https://x",
        body: { type: "expression", expression: "{ 'a': a }" },
        responseMapping: [{ variable: "id", expression: "body.id" }],
      },
    });
    expect(expressionsOf(http)).toEqual([
      { location: ["data", "body", "expression"], expression: "{ 'a': a }", input: "variables" },
      { location: ["data", "responseMapping", 0, "expression"], expression: "body.id", input: "response" },
    ]);
  });
});

describe("variableReferencesOf", () => {
  it("lists reads and typed writes", () => {
    const intent = flowNodeSchema.parse({
      id: "i",
      kind: "intent",
      position,
      data: {
        text: "{{ question }}",
        intents: [{ name: "a", examples: ["a"] }],
        entities: [{ name: "qty", type: "number", saveTo: "quantity" }],
        saveIntentTo: "intent",
      },
    });
    expect(variableReferencesOf(intent)).toEqual([
      { access: "read", path: "question", location: ["data", "text"] },
      { access: "write", path: "intent", location: ["data", "saveIntentTo"], writes: "string" },
      { access: "write", path: "quantity", location: ["data", "entities", 0, "saveTo"], writes: "number" },
    ]);
  });
});
