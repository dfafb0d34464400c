import { describe, expect, it } from "vitest";
import { inlineFlow, TestConversation } from "../../test/support";
import { compile } from "../compile/compile";
import type { FlowContext } from "../interpret/context";
import type { KnowledgePort } from "../ports/knowledge";
import type { LlmCallOptions, LlmPort } from "../ports/llm";
import { knownNamesOf } from "./known-names";

const context = (vars: Record<string, unknown>, extra: Partial<FlowContext> = {}): FlowContext => ({
  vars,
  sys: {},
  rt: {},
  ...extra,
});

describe("knownNamesOf", () => {
  it("takes string variables named like a person's name, whole and word by word", () => {
    expect(
      knownNamesOf(
        context({
          name: "Jane Doe",
          customer_first_name: "Bob",
          lastName: "O'Brien",
          company_name: "Acme Corp",
          email: "jane@example.com",
          surname: 42,
          question: "Where is my order?",
        }),
      ).sort(),
    ).toEqual(["Bob", "Doe", "Jane", "Jane Doe", "O'Brien"]);
  });

  it("adds the contact's name and the names of a subflow's callers", () => {
    const names = knownNamesOf(
      context(
        { topic: "refund" },
        {
          rt: { stack: [{ vars: { full_name: "Ada Lovelace" } }] },
          env: { conversationId: "c", flowId: "f", now: 0, contactName: "Grace" },
        },
      ),
    );
    expect(names.sort()).toEqual(["Ada", "Ada Lovelace", "Grace", "Lovelace"]);
    expect(knownNamesOf(context({ name: "x", first_name: "  " }))).toEqual([]);
  });
});

describe("llm and knowledge nodes", () => {
  it("pass the conversation's known names to their ports", async () => {
    const llmOptions: LlmCallOptions[] = [];
    const knowledgeOptions: unknown[] = [];
    const llm: LlmPort = {
      async complete(_request, options) {
        llmOptions.push(options);
        return { text: "Hello" };
      },
    };
    const knowledge: KnowledgePort = {
      async answer(_question, options) {
        knowledgeOptions.push(options);
        return { answered: false };
      },
    };
    const flow = inlineFlow({
      nodes: [
        { id: "start", kind: "start" },
        { id: "kb", kind: "knowledge", data: { question: "Hours for {{ name }}?" } },
        { id: "model", kind: "llm", data: { prompt: "Greet {{ name }}", mode: { type: "reply" } } },
        { id: "bye", kind: "end" },
      ],
      edges: [
        ["start", "next", "kb"],
        ["kb", "noAnswer", "model"],
        ["kb", "answered", "bye"],
        ["model", "next", "bye"],
      ],
      variables: [{ name: "name", type: "string" }],
      settings: { defaultModelRoute: "default" },
    });
    const conversation = new TestConversation(compile(flow), {
      ports: { llm, knowledge },
      extra: { conversation: { id: "conversation-1", contactName: "J. Doe" } },
    });
    await conversation.start({ name: "Jane Doe" });
    const expected = ["Jane Doe", "Jane", "Doe", "J. Doe"];
    expect([...(llmOptions[0]?.knownNames ?? [])]).toEqual(expected);
    expect(knowledgeOptions[0]).toMatchObject({ knownNames: expected });
  });
});
