import { describe, expect, it } from "vitest";
import { inlineFlow, said, TestConversation, visited } from "../../../test/support";
import { compile } from "../compile";

describe("message node", () => {
  it("renders text, image, card and quick replies, with typing when the flow sets a delay", async () => {
    const machine = compile(
      inlineFlow({
        nodes: [
          { id: "start", kind: "start" },
          {
            id: "hello",
            kind: "message",
            data: {
              text: "Hi {{ name }}, you are on {{ sys.channel }}",
              image: { url: "https://cdn.example.com/{{ name }}.png", alt: "Picture of {{ name }}" },
              card: {
                title: "Plan {{ plan }}",
                buttons: [
                  { label: "Docs", url: "https://example.com/docs" },
                  { label: "Buy", value: "buy" },
                  { label: "Later" },
                ],
              },
              quickReplies: [{ label: "Yes" }, { label: "No thanks", value: "no" }],
            },
          },
        ],
        edges: [["start", "next", "hello"]],
        variables: [
          { name: "name", type: "string", default: "Ada L" },
          { name: "plan", type: "string", default: "pro" },
        ],
        settings: { typingDelayMs: 300 },
      }),
    );
    const conversation = new TestConversation(machine, {
      extra: { conversation: { id: "c", channel: "web" } },
    });
    const result = await conversation.start();
    expect(result.messages).toEqual([
      { type: "typing", nodeId: "hello", durationMs: 300 },
      { type: "text", nodeId: "hello", text: "Hi Ada L, you are on web", format: "plain", source: "flow" },
      { type: "image", nodeId: "hello", url: "https://cdn.example.com/Ada%20L.png", alt: "Picture of Ada L" },
      {
        type: "card",
        nodeId: "hello",
        title: "Plan pro",
        buttons: [
          { label: "Docs", url: "https://example.com/docs" },
          { label: "Buy", value: "buy" },
          { label: "Later", value: "Later" },
        ],
      },
      {
        type: "quick_replies",
        nodeId: "hello",
        replies: [
          { label: "Yes", value: "Yes" },
          { label: "No thanks", value: "no" },
        ],
      },
      { type: "end", nodeId: "", reason: "completed" },
    ]);
    expect(result.status).toBe("ended");
  });
});

const askFlow = (input: Record<string, unknown>, connectError = true) =>
  inlineFlow({
    nodes: [
      { id: "start", kind: "start" },
      {
        id: "ask",
        kind: "ask",
        data: {
          prompt: "Your {{ what }}?",
          retryPrompt: "Again, your {{ what }}?",
          input,
          saveTo: "answer",
          maxRetries: 1,
        },
      },
      { id: "thanks", kind: "message", data: { text: "Got {{ answer }}" } },
      { id: "gave-up", kind: "message", data: { text: "Never mind ({{ sys.lastError }})" } },
    ],
    edges: [
      ["start", "next", "ask"],
      ["ask", "next", "thanks"],
      ...(connectError ? ([["ask", "error", "gave-up"]] as [string, string, string][]) : []),
    ],
    variables: [
      { name: "answer", type: "string" },
      { name: "what", type: "string", default: "age" },
    ],
    settings: { fallback: { message: "Fallback says sorry" } },
  });

describe("ask node", () => {
  it("prompts with the expected input, saves a valid answer and continues", async () => {
    const conversation = new TestConversation(
      compile(askFlow({ type: "number", integer: true, min: 0, max: 130 })),
    );
    const first = await conversation.start();
    expect(first.messages).toEqual([
      {
        type: "ask",
        nodeId: "ask",
        text: "Your age?",
        input: { kind: "number", hint: "a whole number between 0 and 130" },
        attempt: 0,
      },
    ]);
    expect(first.status).toBe("waiting");
    expect(first.waitingFor).toBe("user");
    const second = await conversation.say(" 42 ");
    expect(said(second)).toEqual(["Got 42"]);
    expect(second.variables.answer).toBe(42);
    expect(second.trace.variables).toEqual([{ nodeId: "ask", name: "answer", before: undefined, after: 42 }]);
  });

  it("re-prompts an invalid answer with the retry prompt, then takes the error branch", async () => {
    const conversation = new TestConversation(compile(askFlow({ type: "email" })));
    await conversation.start();
    const retry = await conversation.say("not an email");
    expect(retry.messages).toMatchObject([{ type: "ask", text: "Again, your age?", attempt: 1 }]);
    expect(retry.status).toBe("waiting");
    const failed = await conversation.say("still not");
    expect(said(failed)).toEqual(["Never mind (no valid answer after 2 attempts)"]);
    expect(visited(failed)).toEqual(["ask", "gave-up"]);
    expect(failed.status).toBe("ended");
  });

  it("goes to the flow's fallback when retries run out and the error handle is unconnected", async () => {
    const conversation = new TestConversation(compile(askFlow({ type: "email" }, false)));
    await conversation.start();
    await conversation.say("x");
    const failed = await conversation.say("y");
    expect(said(failed)).toEqual(["Fallback says sorry"]);
    expect(failed.messages.at(-1)).toMatchObject({ type: "end", reason: "error" });
    expect(failed.status).toBe("ended");
  });

  it("takes picked values for choice questions and offers the options", async () => {
    const input = {
      type: "choice",
      multiple: true,
      options: [
        { id: "olives", label: "Olives" },
        { id: "ham", label: "Ham", value: "ham" },
      ],
    };
    const conversation = new TestConversation(compile(askFlow(input)));
    const first = await conversation.start();
    expect(first.messages[0]).toMatchObject({
      type: "ask",
      input: {
        kind: "choice",
        multiple: true,
        choices: [
          { label: "Olives", value: "Olives" },
          { label: "Ham", value: "ham" },
        ],
      },
    });
    const picked = await conversation.send({ type: "user.choice", values: ["ham", "Olives"] });
    expect(picked.variables.answer).toEqual(["Olives", "ham"]);
    expect(said(picked)).toEqual(["Got Olives, ham"]);
  });

  it("validates every input kind at run time", async () => {
    const cases: [Record<string, unknown>, string, string, unknown][] = [
      [{ type: "text", minLength: 3 }, "ab", " abc ", "abc"],
      [{ type: "number", integer: false }, "lots", "2,5", 2.5],
      [{ type: "email" }, "ada@", "ada@example.org", "ada@example.org"],
      [{ type: "phone", defaultCountry: "US" }, "12", "555-123-4567", "+15551234567"],
      [{ type: "date", min: "2025-01-01" }, "2024-12-31", "3 March 2025", "2025-03-03"],
      [{ type: "choice", multiple: false, options: [{ id: "a", label: "Alpha" }] }, "beta", "alpha", "Alpha"],
    ];
    for (const [input, invalid, valid, saved] of cases) {
      const conversation = new TestConversation(compile(askFlow(input)));
      await conversation.start();
      const retry = await conversation.say(invalid);
      expect(retry.messages[0], JSON.stringify(input)).toMatchObject({ type: "ask", attempt: 1 });
      const done = await conversation.say(valid);
      expect(done.variables.answer, JSON.stringify(input)).toEqual(saved);
    }
  });
});

describe("handoff node", () => {
  it("hands over with a notice, ignores user text meanwhile and continues when resolved", async () => {
    const machine = compile(
      inlineFlow({
        nodes: [
          { id: "start", kind: "start" },
          {
            id: "human",
            kind: "handoff",
            data: {
              message: "Connecting you, {{ name }}",
              queue: "billing",
              reason: "Refund for {{ name }}",
              priority: "high",
            },
          },
          { id: "back", kind: "message", data: { text: "Welcome back ({{ resolution }})" } },
        ],
        edges: [
          ["start", "next", "human"],
          ["human", "next", "back"],
        ],
        variables: [
          { name: "name", type: "string", default: "Ada" },
          { name: "resolution", type: "string" },
        ],
      }),
    );
    const conversation = new TestConversation(machine);
    const handed = await conversation.start();
    expect(handed.status).toBe("handoff");
    expect(handed.waitingFor).toBe("agent");
    expect(handed.messages).toEqual([
      {
        type: "handoff",
        nodeId: "human",
        text: "Connecting you, Ada",
        queue: "billing",
        reason: "Refund for Ada",
        priority: "high",
      },
    ]);
    const meanwhile = await conversation.say("hello?");
    expect(meanwhile.status).toBe("handoff");
    expect(meanwhile.messages).toEqual([]);
    expect(meanwhile.trace.notes[0]?.message).toContain("not expected");
    const resolved = await conversation.send({
      type: "handoff.resolved",
      variables: { resolution: "refunded" },
    });
    expect(said(resolved)).toEqual(["Welcome back (refunded)"]);
    expect(resolved.status).toBe("ended");
  });
});
