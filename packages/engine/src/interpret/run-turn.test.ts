import { outgoingMessageSchema } from "@parley/contract";
import { describe, expect, it } from "vitest";
import { inlineFlow, loadExample, said, TestConversation, visited } from "../../test/support";
import { compile } from "../compile/compile";
import type { MachineJson } from "../compile/machine-schema";
import { turnEventSchema } from "../protocol/events";
import { InvalidMachineError } from "./machine-cache";
import { turnResultSchema } from "./result";
import { parseEvent, runTurn, TurnInputError } from "./run-turn";

const pizza = compile(loadExample("pizza-order"));

describe("runTurn with the pizza flow", () => {
  it("takes an order from greeting to confirmation", async () => {
    const conversation = new TestConversation(pizza);
    const greeting = await conversation.start();
    expect(said(greeting)).toEqual([
      "Welcome to Parley Pizza! 🍕 I can take your order in a minute.",
      "What's your name?",
    ]);
    expect(greeting.messages.filter((message) => message.type === "typing")).toHaveLength(2);
    expect(visited(greeting)).toEqual(["start", "greeting", "ask-name"]);

    const size = await conversation.say("Ada");
    expect(said(size)).toEqual(["Nice to meet you, Ada! Which size would you like?"]);
    expect(size.messages.find((message) => message.type === "ask")).toMatchObject({
      input: { kind: "choice", choices: [{ value: "small" }, { value: "medium" }, { value: "large" }] },
    });

    await conversation.send({ type: "user.choice", values: ["large"] });
    const retry = await conversation.say("not a number");
    expect(said(retry)).toEqual([
      "That doesn't look like a phone number. Please try again, e.g. +1 555 123 4567.",
    ]);
    const done = await conversation.say("(555) 123-4567");
    expect(said(done)).toEqual([
      "Great choice! Large pizzas come with free garlic bread.",
      "Thanks Ada! Your large pizza is in the oven. We'll text +15551234567 when it's on its way.",
    ]);
    expect(done.messages.at(-1)).toEqual({
      type: "end",
      nodeId: "order-placed",
      reason: "completed",
      outcome: "order-placed",
    });
    expect(done.status).toBe("ended");
    expect(done.variables).toEqual({ customerName: "Ada", size: "large", phone: "+15551234567" });

    for (const result of conversation.results) {
      expect(turnResultSchema.safeParse(result).success).toBe(true);
      for (const message of result.messages) expect(outgoingMessageSchema.parse(message)).toEqual(message);
    }
  });

  it("persists small snapshots without message history", async () => {
    const conversation = new TestConversation(pizza);
    await conversation.start();
    await conversation.say("Ada Lovelace");
    const result = await conversation.say("medium");
    const bytes = Buffer.byteLength(JSON.stringify(result.snapshot));
    expect(bytes).toBeLessThan(2048);
    expect(JSON.stringify(result.snapshot)).not.toContain("Welcome to Parley Pizza");
    expect(result.snapshot).toEqual({
      status: "active",
      value: "ask-phone",
      context: {
        vars: { customerName: "Ada Lovelace", size: "medium" },
        sys: { lastUserMessage: "medium" },
        rt: {},
      },
    });
  });

  it("restores a snapshot persisted after turn 1 into a fresh actor for turn 2", async () => {
    const first = await runTurn({
      machine: pizza,
      snapshot: null,
      event: { type: "conversation.start" },
      conversation: { id: "r" },
    });
    const stored = JSON.parse(JSON.stringify(first.snapshot));
    const reloaded = JSON.parse(JSON.stringify(pizza)) as MachineJson;
    const second = await runTurn({
      machine: reloaded,
      snapshot: stored,
      event: { type: "user.text", text: "Grace" },
      conversation: { id: "r" },
    });
    expect(said(second)).toEqual(["Nice to meet you, Grace! Which size would you like?"]);
    expect(second.snapshot.value).toBe("ask-size");
  });

  it("starts a new conversation when its first event is a user message", async () => {
    const result = await runTurn({
      machine: pizza,
      snapshot: null,
      event: { type: "user.text", text: "hi" },
      conversation: { id: "n" },
    });
    expect(said(result)).toEqual([
      "Welcome to Parley Pizza! 🍕 I can take your order in a minute.",
      "What's your name?",
      "Nice to meet you, hi! Which size would you like?",
    ]);
  });
});

describe("published versions", () => {
  it("keeps running a version 1 conversation on version 1's machine after version 2 exists", async () => {
    const v1 = compile(loadExample("pizza-order"));
    const conversation = new TestConversation(v1);
    await conversation.start();
    await conversation.say("Ada");

    const flow = loadExample("pizza-order") as { nodes: { id: string; data: Record<string, unknown> }[] };
    const edited = structuredClone(flow) as typeof flow & {
      edges: { source: string; target: string; sourceHandle: string }[];
    };
    edited.nodes = edited.nodes.filter((node) => node.id !== "ask-size");
    edited.edges = edited.edges.filter((edge) => edge.source !== "ask-size" && edge.target !== "ask-size");
    edited.edges.push({
      id: "ask-name:next:ask-phone",
      source: "ask-name",
      sourceHandle: "next",
      target: "ask-phone",
    } as never);
    const confirmation = edited.nodes.find((node) => node.id === "confirmation")!;
    confirmation.data = { text: "v2 says thanks" };
    const v2 = compile(edited);
    expect(v2.version).not.toBe(v1.version);
    // v2 conversations run v2 meanwhile (and warm the machine cache with v2).
    await new TestConversation(v2, { id: "other" }).start();

    await conversation.send({ type: "user.choice", values: ["small"] });
    const done = await conversation.say("+1 555 123 4567");
    expect(said(done)).toContain(
      "Thanks Ada! Your small pizza is in the oven. We'll text +15551234567 when it's on its way.",
    );

    // The v1 snapshot does not fit v2 (its state is gone): a clear caller error, not a crash.
    const old = new TestConversation(v1, { id: "old" });
    await old.start();
    await old.say("Ada");
    await expect(
      runTurn({
        machine: v2,
        snapshot: old.snapshot,
        event: { type: "user.text", text: "small" },
        conversation: { id: "old" },
      }),
    ).rejects.toThrow(TurnInputError);
  });
});

describe("failures never escape a turn", () => {
  it("stops a loop that never waits, sends the fallback message and ends", async () => {
    const machine = compile(
      inlineFlow({
        nodes: [
          { id: "start", kind: "start" },
          { id: "a", kind: "message", data: { text: "again" } },
          { id: "b", kind: "jump", data: { targetNodeId: "a" } },
        ],
        edges: [
          ["start", "next", "a"],
          ["a", "next", "b"],
        ],
        settings: { fallback: { message: "Loop fallback" } },
      }),
    );
    const result = await new TestConversation(machine, { extra: { options: { maxNodeVisits: 50 } } }).start();
    expect(result.status).toBe("ended");
    expect(result.messages.at(-2)).toMatchObject({ type: "text", text: "Loop fallback", source: "system" });
    expect(result.messages.at(-1)).toMatchObject({ type: "end", reason: "error" });
    expect(result.trace.notes.at(-1)?.message).toContain("more than 50 nodes");
    expect(result.snapshot).toMatchObject({ status: "done", value: "$failed" });
    const after = await runTurn({
      machine,
      snapshot: result.snapshot,
      event: { type: "user.text", text: "x" },
      conversation: { id: "x" },
    });
    expect(after.status).toBe("ended");
    expect(after.messages).toEqual([]);
  });

  it("ends a turn that is stuck in an eventless self-loop", async () => {
    const machine = compile(
      inlineFlow({
        nodes: [
          { id: "start", kind: "start" },
          {
            id: "spin",
            kind: "condition",
            data: { groups: [{ id: "never", rules: [{ variable: "x", operator: "isSet" }] }] },
          },
        ],
        edges: [
          ["start", "next", "spin"],
          ["spin", "else", "spin"],
        ],
        variables: [{ name: "x", type: "string" }],
      }),
    );
    const result = await new TestConversation(machine).start();
    expect(result.status).toBe("ended");
    expect(result.trace.notes.at(-1)?.message).toContain("loops at node spin");
  });

  it("re-runs a node whose handle leads back to itself", async () => {
    let calls = 0;
    const machine = compile(
      inlineFlow({
        nodes: [
          { id: "start", kind: "start" },
          { id: "call", kind: "http", data: { url: "https://api.example.com/flaky" } },
          { id: "ok", kind: "message", data: { text: "ok after {{ attempts }}" } },
        ],
        edges: [
          ["start", "next", "call"],
          ["call", "error", "call"],
          ["call", "success", "ok"],
        ],
        variables: [{ name: "attempts", type: "number" }],
      }),
    );
    const http = {
      request: async () => {
        calls += 1;
        return calls < 3
          ? { status: 500, headers: {}, body: "" }
          : { status: 200, headers: {}, body: String(calls) };
      },
    };
    const flaky = machine.states.call!;
    expect(flaky.invoke?.onDone.find((transition) => transition.target === "call")?.reenter).toBe(true);
    const result = await new TestConversation(machine, { ports: { http } }).start();
    expect(calls).toBe(3);
    expect(visited(result)).toEqual(["start", "call", "call", "call", "ok"]);
  });

  it("routes failures to the flow's fallback node when settings name one", async () => {
    const machine = compile(loadExample("support-triage"));
    const conversation = new TestConversation(machine, {
      ports: { knowledge: { answer: async () => ({ answered: false }) } },
    });
    await conversation.start();
    // No nlu port: classification fails, so the intent node takes its (connected) fallback branch.
    const result = await conversation.say("anything at all");
    expect(visited(result)).toEqual(["ask-issue", "route", "not-understood", "ask-issue"]);

    const noBranch = compile(
      inlineFlow({
        nodes: [
          { id: "start", kind: "start" },
          { id: "call", kind: "http", data: { url: "https://x.example" } },
          { id: "help", kind: "message", data: { text: "A human will help" } },
        ],
        edges: [["start", "next", "call"]],
        settings: { fallback: { message: "Oops", nodeId: "help" } },
      }),
    );
    const fallback = await new TestConversation(noBranch).start();
    expect(said(fallback)).toEqual(["Oops", "A human will help"]);
  });

  it("rejects arguments it cannot use with clear errors", async () => {
    await expect(
      runTurn({
        machine: pizza,
        snapshot: null,
        event: { type: "user.shout" } as never,
        conversation: { id: "x" },
      }),
    ).rejects.toThrow(TurnInputError);
    await expect(
      runTurn({
        machine: { ...pizza, states: {}, version: "bogus" },
        snapshot: null,
        event: { type: "conversation.start" },
        conversation: { id: "x" },
      }),
    ).rejects.toThrow(InvalidMachineError);
    await expect(
      runTurn({
        machine: pizza,
        snapshot: { status: "active", value: "no-such-node", context: { vars: {}, sys: {}, rt: {} } },
        event: { type: "user.text", text: "hi" },
        conversation: { id: "x" },
      }),
    ).rejects.toThrow(/does not fit machine pizza-order/);
    await expect(
      runTurn({
        machine: { id: "x" } as never,
        snapshot: null,
        event: { type: "conversation.start" },
        conversation: { id: "x" },
      }),
    ).rejects.toThrow(InvalidMachineError);
  });

  it("cancels effects when the caller aborts the turn", async () => {
    const machine = compile(
      inlineFlow({
        nodes: [
          { id: "start", kind: "start" },
          { id: "call", kind: "http", data: { url: "https://x.example", timeoutMs: 60_000 } },
          { id: "failed", kind: "message", data: { text: "failed: {{ sys.lastError }}" } },
        ],
        edges: [
          ["start", "next", "call"],
          ["call", "error", "failed"],
        ],
      }),
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("caller went away")), 20);
    const result = await runTurn({
      machine,
      snapshot: null,
      event: { type: "conversation.start" },
      conversation: { id: "abort" },
      signal: controller.signal,
      ports: {
        http: {
          request: (_request, { signal }) =>
            new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason))),
        },
      },
    });
    expect(said(result)).toEqual(["failed: GET request failed: caller went away"]);
  });
});

describe("parseEvent", () => {
  it("agrees with turnEventSchema on accepted and rejected events", () => {
    const samples: unknown[] = [
      { type: "user.text", text: "hi" },
      { type: "user.text", text: "hi", extra: 1 },
      { type: "user.text", text: "x".repeat(10_001) },
      { type: "user.text", text: 3 },
      { type: "user.choice", values: ["a", "b"] },
      { type: "user.choice", values: [] },
      { type: "user.choice", values: ["a", 1] },
      { type: "timer.fired", timerId: "t1" },
      { type: "timer.fired" },
      { type: "conversation.start" },
      { type: "conversation.start", variables: { name: "Ada", n: 1 } },
      { type: "conversation.start", variables: [1] },
      { type: "conversation.start", variables: null },
      { type: "handoff.resolved", variables: { a: 1 } },
      { type: "handoff.resolved" },
      { type: "nope" },
      null,
      "user.text",
    ];
    for (const sample of samples) {
      const expected = turnEventSchema.safeParse(sample);
      if (expected.success)
        expect(parseEvent(sample as never), JSON.stringify(sample)).toEqual(expected.data);
      else expect(() => parseEvent(sample as never), JSON.stringify(sample)).toThrow(TurnInputError);
    }
  });
});
