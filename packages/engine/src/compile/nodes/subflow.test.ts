import { describe, expect, it } from "vitest";
import { inlineFlow, loadExample, said, TestConversation, visited } from "../../../test/support";
import { compile } from "../compile";
import { FlowCompileError } from "../errors";

const child = inlineFlow({
  id: "child",
  nodes: [
    { id: "start", kind: "start" },
    {
      id: "hello",
      kind: "message",
      data: { text: "child sees {{ greeting }} in {{ sys.flowId }}, parent var: [{{ secret }}]" },
    },
    { id: "ask", kind: "ask", data: { prompt: "Nickname?", input: { type: "text" }, saveTo: "nickname" } },
    { id: "done", kind: "end" },
  ],
  edges: [
    ["start", "next", "hello"],
    ["hello", "next", "ask"],
    ["ask", "next", "done"],
  ],
  variables: [
    { name: "greeting", type: "string", default: "hi" },
    { name: "nickname", type: "string" },
    { name: "loyalty", type: "number", scope: "contact" },
  ],
});

const parent = inlineFlow({
  id: "parent",
  nodes: [
    { id: "start", kind: "start" },
    {
      id: "call",
      kind: "subflow",
      data: {
        flowId: "child",
        inputs: [{ child: "greeting", parent: "welcome" }],
        outputs: [{ child: "nickname", parent: "nick" }],
      },
    },
    {
      id: "after",
      kind: "message",
      data: { text: "back in {{ sys.flowId }}: nick={{ nick }} secret={{ secret }} loyalty={{ loyalty }}" },
    },
  ],
  edges: [
    ["start", "next", "call"],
    ["call", "next", "after"],
  ],
  variables: [
    { name: "welcome", type: "string", default: "hello there" },
    { name: "nick", type: "string" },
    { name: "secret", type: "string", default: "s3cret" },
    { name: "loyalty", type: "number", scope: "contact", default: 7 },
  ],
});

describe("subflow node", () => {
  it("runs the called flow with its own variables, seeded from inputs, and copies outputs back", async () => {
    const machine = compile(parent, { subflows: { child } });
    const conversation = new TestConversation(machine);
    const first = await conversation.start();
    expect(said(first)).toEqual(["child sees hello there in child, parent var: []", "Nickname?"]);
    expect(first.variables).toEqual({ greeting: "hello there", loyalty: 7 });
    expect(first.snapshot.value).toEqual({ call: "ask" });

    const second = await conversation.say("Lovelace");
    expect(visited(second)).toEqual(["ask", "done", "after"]);
    expect(said(second)).toEqual(["back in parent: nick=Lovelace secret=s3cret loyalty=7"]);
    expect(second.variables).toEqual({
      welcome: "hello there",
      secret: "s3cret",
      loyalty: 7,
      nick: "Lovelace",
    });
    expect(second.snapshot.context.rt).toEqual({});
  });

  it("runs the example tour's e-mail subflow", async () => {
    const machine = compile(loadExample("every-node-kind"), {
      subflows: { "collect-email": loadExample("collect-email") },
    });
    expect(JSON.stringify(machine)).toContain('"enterSubflow"');
  });

  it("refuses a missing or recursive subflow at compile time", () => {
    expect(() => compile(parent)).toThrow(FlowCompileError);
    try {
      compile(parent);
    } catch (error) {
      expect((error as FlowCompileError).problems).toEqual([
        expect.objectContaining({
          nodeId: "call",
          code: "unknown-subflow",
          path: ["nodes", 1, "data", "flowId"],
        }),
      ]);
    }
    const loop = inlineFlow({
      id: "child",
      nodes: [
        { id: "start", kind: "start" },
        { id: "again", kind: "subflow", data: { flowId: "parent" } },
      ],
      edges: [["start", "next", "again"]],
    });
    try {
      compile(parent, { subflows: { child: loop, parent } });
      expect.unreachable();
    } catch (error) {
      const problem = (error as FlowCompileError).problems[0];
      expect(problem).toMatchObject({ code: "subflow-recursion", nodeId: "again" });
      expect(problem?.message).toContain("parent -> child -> parent");
    }
  });
});
