import { describe, expect, it } from "vitest";
import { inlineFlow, manualClock, said, TestConversation, visited } from "../../../test/support";
import { pendingTimerOf } from "../../interpret/snapshot";
import { compile } from "../compile";

describe("condition node", () => {
  const machine = compile(
    inlineFlow({
      nodes: [
        { id: "start", kind: "start" },
        {
          id: "check",
          kind: "condition",
          data: {
            groups: [
              {
                id: "adult-vip",
                match: "all",
                rules: [
                  { variable: "age", operator: "gte", value: 18 },
                  { variable: "vip", operator: "isTrue" },
                ],
              },
              {
                id: "named",
                match: "any",
                rules: [
                  { variable: "name", operator: "isSet" },
                  { variable: "age", operator: "gt", value: 100 },
                ],
              },
            ],
          },
        },
        { id: "vip", kind: "message", data: { text: "vip" } },
        { id: "named-msg", kind: "message", data: { text: "named" } },
        { id: "other", kind: "message", data: { text: "other" } },
      ],
      edges: [
        ["start", "next", "check"],
        ["check", "adult-vip", "vip"],
        ["check", "named", "named-msg"],
        ["check", "else", "other"],
      ],
      variables: [
        { name: "age", type: "number" },
        { name: "vip", type: "boolean", default: false },
        { name: "name", type: "string" },
      ],
    }),
  );

  it("takes the first matching group's handle, else `else`", async () => {
    const run = async (variables: Record<string, unknown>) =>
      said(await new TestConversation(machine).start(variables));
    expect(await run({ age: 30, vip: true, name: "Ada" })).toEqual(["vip"]);
    expect(await run({ age: 30, name: "Ada" })).toEqual(["named"]);
    expect(await run({ age: 101 })).toEqual(["named"]);
    expect(await run({ age: 30 })).toEqual(["other"]);
  });

  it("ignores undeclared start variables and says so in the trace", async () => {
    const result = await new TestConversation(machine).start({ age: 30, intruder: 1 });
    expect(result.variables).not.toHaveProperty("intruder");
    expect(result.trace.notes.map((note) => note.message).join()).toContain('"intruder" is not declared');
  });
});

describe("set-variable node", () => {
  const flow = (expression: string) =>
    inlineFlow({
      nodes: [
        { id: "start", kind: "start" },
        {
          id: "set",
          kind: "set-variable",
          data: {
            assignments: [
              { variable: "count", value: { type: "literal", value: 2 } },
              { variable: "label", value: { type: "template", template: "{{ name }} x{{ count }}" } },
              { variable: "total", value: { type: "expression", expression } },
            ],
          },
        },
        { id: "show", kind: "message", data: { text: "{{ label }} = {{ total }}" } },
      ],
      edges: [
        ["start", "next", "set"],
        ["set", "next", "show"],
      ],
      variables: [
        { name: "name", type: "string", default: "pizza" },
        { name: "count", type: "number" },
        { name: "label", type: "string" },
        { name: "total", type: "number" },
      ],
      settings: { fallback: { message: "Could not compute" } },
    });

  it("applies literal, template and JSONata assignments in order", async () => {
    const result = await new TestConversation(
      compile(flow("count * 7.5 + ($exists(sys.conversationId) ? 1 : 0)")),
    ).start();
    expect(said(result)).toEqual(["pizza x2 = 16"]);
    expect(result.trace.variables.map((change) => [change.name, change.after])).toEqual([
      ["count", 2],
      ["label", "pizza x2"],
      ["total", 16],
    ]);
    expect(result.trace.effects).toMatchObject([{ nodeId: "set", kind: "expression", outcome: "ok" }]);
  });

  it("takes the flow's fallback when an expression fails or blows its budget", async () => {
    const failing = await new TestConversation(compile(flow('$error("nope")'))).start();
    expect(said(failing)).toEqual(["Could not compute"]);
    expect(failing.status).toBe("ended");

    const slow = await new TestConversation(compile(flow("$count([1..90000].($string($) & 'x'))")), {
      extra: { options: { expressionBudget: { timeoutMs: 20 } } },
    }).start();
    expect(said(slow)).toEqual(["Could not compute"]);
    expect(slow.trace.notes.map((note) => note.message).join()).toContain("20 ms");
  });

  it.each([
    ['$string($length($pad("x", 200000000)))', "$pad result would be 200000000 characters"],
    ['$match($pad("", 200000, "a") & "!", /(a+)+$/)', "regular expression was run on 200001 characters"],
    ['$reduce([1..40], function($text, $i) { $text & $text }, "xx")', "String concatenation (&) would be"],
    ["($f := function($n) { $f($n + 1) }; $f(0))", "more than 200 ms of CPU time"],
  ])(
    "a hostile expression (%s) ends its own turn with the fallback, and the trace says why",
    async (expression, why) => {
      const result = await new TestConversation(compile(flow(expression)), {
        extra: { options: { expressionBudget: { timeoutMs: 200 } } },
      }).start();
      expect(said(result)).toEqual(["Could not compute"]);
      expect(result.trace.effects).toMatchObject([{ nodeId: "set", kind: "expression", outcome: "error" }]);
      expect(result.trace.notes.map((note) => note.message).join()).toContain(why);
    },
  );

  it("applies literal-only assignments without an effect", async () => {
    const machine = compile(
      inlineFlow({
        nodes: [
          { id: "start", kind: "start" },
          {
            id: "set",
            kind: "set-variable",
            data: { assignments: [{ variable: "flag", value: { type: "literal", value: true } }] },
          },
        ],
        edges: [["start", "next", "set"]],
        variables: [{ name: "flag", type: "boolean" }],
      }),
    );
    expect(JSON.stringify(machine)).not.toContain("evaluateAssignments");
    const result = await new TestConversation(machine).start();
    expect(result.variables.flag).toBe(true);
    expect(result.trace.effects).toEqual([]);
  });
});

describe("jump node", () => {
  it("continues at its target node", async () => {
    const machine = compile(
      inlineFlow({
        nodes: [
          { id: "start", kind: "start" },
          { id: "again", kind: "jump", data: { targetNodeId: "ask.again" } },
          {
            id: "ask.again",
            kind: "ask",
            data: { prompt: "Name?", input: { type: "text" }, saveTo: "name" },
          },
        ],
        edges: [
          ["start", "next", "again"],
          ["ask.again", "next", "again"],
        ],
        variables: [{ name: "name", type: "string" }],
      }),
    );
    const conversation = new TestConversation(machine);
    expect(visited(await conversation.start())).toEqual(["start", "again", "ask.again"]);
    const second = await conversation.say("Ada");
    expect(visited(second)).toEqual(["ask.again", "again", "ask.again"]);
    expect(second.snapshot.value).toBe("ask~again");
  });
});

describe("wait node", () => {
  const machine = compile(
    inlineFlow({
      nodes: [
        { id: "start", kind: "start" },
        { id: "pause", kind: "wait", data: { duration: { amount: 5, unit: "minutes" } } },
        {
          id: "ask",
          kind: "ask",
          data: { prompt: "Still there?", input: { type: "text" }, saveTo: "reply" },
        },
        { id: "echo", kind: "message", data: { text: "You said {{ reply }}" } },
      ],
      edges: [
        ["start", "next", "pause"],
        ["pause", "next", "ask"],
        ["ask", "next", "echo"],
      ],
      variables: [{ name: "reply", type: "string" }],
    }),
  );

  it("requests a timer and continues only when that timer fires", async () => {
    const clock = manualClock();
    const conversation = new TestConversation(machine, { ports: { clock } });
    const waiting = await conversation.start();
    expect(waiting.status).toBe("waiting");
    expect(waiting.waitingFor).toBe("timer");
    expect(waiting.timers).toEqual([
      { timerId: `pause@${clock.now() + 300_000}`, dueAt: clock.now() + 300_000, nodeId: "pause" },
    ]);
    // What the host reads from the persisted snapshot (timer recovery) is the timer it was asked for.
    expect(pendingTimerOf(conversation.snapshot)).toEqual({
      id: waiting.timers[0]!.timerId,
      dueAt: waiting.timers[0]!.dueAt,
    });

    const stale = await conversation.send({ type: "timer.fired", timerId: "pause@1" });
    expect(stale.messages).toEqual([]);
    expect(stale.waitingFor).toBe("timer");

    clock.advance(300_000);
    const resumed = await conversation.send({ type: "timer.fired", timerId: waiting.timers[0]!.timerId });
    expect(said(resumed)).toEqual(["Still there?"]);
    expect(resumed.waitingFor).toBe("user");
    expect(pendingTimerOf(conversation.snapshot)).toBeUndefined();
  });

  it("keeps a message sent during the wait for the next question", async () => {
    const conversation = new TestConversation(machine, { ports: { clock: manualClock() } });
    const waiting = await conversation.start();
    const during = await conversation.say("I'm here");
    expect(during.messages).toEqual([]);
    expect(during.waitingFor).toBe("timer");
    const resumed = await conversation.send({ type: "timer.fired", timerId: waiting.timers[0]!.timerId });
    expect(said(resumed)).toEqual(["Still there?", "You said I'm here"]);
    expect(resumed.status).toBe("ended");
  });
});

describe("ab-split node", () => {
  const machine = compile(
    inlineFlow({
      nodes: [
        { id: "start", kind: "start" },
        {
          id: "split",
          kind: "ab-split",
          data: {
            variants: [
              { id: "a", weight: 20 },
              { id: "off", weight: 0 },
              { id: "b", weight: 80 },
            ],
          },
        },
        { id: "say-a", kind: "message", data: { text: "A" } },
        { id: "say-off", kind: "message", data: { text: "never" } },
        { id: "say-b", kind: "message", data: { text: "B" } },
      ],
      edges: [
        ["start", "next", "split"],
        ["split", "a", "say-a"],
        ["split", "off", "say-off"],
        ["split", "b", "say-b"],
      ],
    }),
  );
  const variantOf = async (id: string) => said(await new TestConversation(machine, { id }).start())[0];

  it("is sticky per conversation and reproducible from its id", async () => {
    for (const id of ["c-1", "c-2", "c-3"]) {
      const first = await variantOf(id);
      expect(await variantOf(id)).toBe(first);
      expect(await variantOf(id)).toBe(first);
    }
  });

  it("follows the weights and never picks a zero-weight variant", async () => {
    const counts: Record<string, number> = {};
    for (let index = 0; index < 400; index += 1) {
      const variant = (await variantOf(`conversation-${index}`))!;
      counts[variant] = (counts[variant] ?? 0) + 1;
    }
    expect(counts.never).toBeUndefined();
    expect(counts.A).toBeGreaterThan(50);
    expect(counts.A).toBeLessThan(110);
    expect(counts.B).toBe(400 - counts.A!);
  });

  it("takes an experiment's assigned branch, even a zero-weight one, whatever the bucket", async () => {
    const assigned = async (id: string, variant: string, nodeId = "split") =>
      said(
        await new TestConversation(machine, {
          extra: { conversation: { id, abSplitChoice: { nodeId, variant } } },
        }).start(),
      )[0];
    for (const id of ["c-1", "c-2", "c-3", "c-4"]) {
      expect(await assigned(id, "a")).toBe("A");
      expect(await assigned(id, "b")).toBe("B");
      expect(await assigned(id, "off")).toBe("never");
      // A choice for another node leaves this one to the bucket.
      expect(await assigned(id, "off", "elsewhere")).toBe(await variantOf(id));
    }
  });
});

describe("end node", () => {
  it("ends with its outcome; later events are ignored", async () => {
    const machine = compile(
      inlineFlow({
        nodes: [
          { id: "start", kind: "start" },
          { id: "bye", kind: "end", data: { outcome: "resolved" } },
        ],
        edges: [["start", "next", "bye"]],
      }),
    );
    const conversation = new TestConversation(machine);
    const ended = await conversation.start();
    expect(ended.messages).toEqual([
      { type: "end", nodeId: "bye", reason: "completed", outcome: "resolved" },
    ]);
    expect(ended.status).toBe("ended");
    expect(ended.waitingFor).toBeNull();
    const after = await conversation.say("hello?");
    expect(after.status).toBe("ended");
    expect(after.messages).toEqual([]);
  });

  it("ends the flow at an unconnected handle", async () => {
    const machine = compile(inlineFlow({ nodes: [{ id: "start", kind: "start" }] }));
    const ended = await new TestConversation(machine).start();
    expect(ended.status).toBe("ended");
    expect(ended.messages).toEqual([{ type: "end", nodeId: "", reason: "completed" }]);
  });
});
