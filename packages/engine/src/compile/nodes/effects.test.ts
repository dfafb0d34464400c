import { describe, expect, it } from "vitest";
import { inlineFlow, loadExample, said, TestConversation, visited } from "../../../test/support";
import { createMemoryHttp } from "../../offline/http";
import { createMemoryKnowledge } from "../../offline/knowledge";
import { createOfflineLlm, OFFLINE_REPLY } from "../../offline/llm";
import { createOfflineNlu } from "../../offline/nlu";
import type { HttpPort } from "../../ports/http";
import type { LlmPort } from "../../ports/llm";
import { compile } from "../compile";

/** A port call that never settles and ignores its signal: only the engine's deadline ends it. */
const never = () => new Promise<never>(() => {});

describe("http node", () => {
  const leadCapture = compile(loadExample("lead-capture"));

  async function capture(http: HttpPort) {
    const conversation = new TestConversation(leadCapture, { ports: { http } });
    await conversation.start();
    await conversation.say("Ada");
    await conversation.say("ada@example.com");
    return conversation.say("Analytical Engines Ltd");
  }

  it("sends the rendered request, maps the response and takes success", async () => {
    const http = createMemoryHttp([
      {
        method: "POST",
        url: "https://crm.example.com/api/leads",
        status: 201,
        body: { id: "L-42", status: "new" },
      },
    ]);
    const result = await capture(http);
    expect(http.requests).toHaveLength(1);
    expect(http.requests[0]).toMatchObject({
      method: "POST",
      url: "https://crm.example.com/api/leads",
      headers: { "X-Lead-Source": "parley-chatbot", "content-type": "application/json" },
    });
    expect(JSON.parse(http.requests[0]!.body!)).toEqual({
      name: "Ada",
      email: "ada@example.com",
      company: "Analytical Engines Ltd",
      conversationId: "conversation-1",
    });
    expect(result.variables).toMatchObject({ leadId: "L-42" });
    expect(said(result)[0]).toContain("Your reference is L-42");
    expect(result.trace.effects).toMatchObject([
      { nodeId: "send-to-crm", kind: "http", outcome: "ok", detail: "POST 201" },
    ]);
  });

  it("takes the error branch on a non-2xx status, with the reason in sys.lastError", async () => {
    const result = await capture(
      createMemoryHttp([{ url: "https://crm.example.com/*", status: 503, body: "busy" }]),
    );
    expect(visited(result)).toContain("crm-failed");
    expect(result.messages.find((message) => message.type === "handoff")).toMatchObject({
      reason: expect.stringContaining("HTTP 503"),
    });
  });

  it("takes the error branch when the request times out or the network fails", async () => {
    const started = Date.now();
    const slow = await new TestConversation(compile(httpFlow(200)), {
      ports: { http: { request: never } },
    }).start();
    expect(said(slow)).toEqual(["failed: GET request failed: timed out after 200 ms"]);
    expect(slow.trace.effects).toMatchObject([{ kind: "http", outcome: "timeout" }]);
    expect(Date.now() - started).toBeLessThan(2000);

    const broken: HttpPort = { request: async () => Promise.reject(new Error("ECONNREFUSED")) };
    const failed = await new TestConversation(compile(httpFlow(1000)), { ports: { http: broken } }).start();
    expect(said(failed)).toEqual(["failed: GET request failed: ECONNREFUSED"]);
    expect(failed.trace.effects).toMatchObject([{ kind: "http", outcome: "error", detail: "ECONNREFUSED" }]);
  });

  it("encodes placeholders in the URL and query", async () => {
    const http = createMemoryHttp([{ url: "https://api.example.com/users/*", body: { tier: "gold" } }]);
    const result = await new TestConversation(compile(httpFlow(1000)), { ports: { http } }).start({
      user: "a/b c",
    });
    expect(http.requests[0]!.url).toBe("https://api.example.com/users/a%2Fb%20c?expand=a%2Fb%20c");
    expect(said(result)).toEqual(["tier gold"]);
  });

  it("falls back to the flow fallback when the error handle is unconnected, and fails cleanly with no port", async () => {
    const flow = httpFlow(1000, false);
    const result = await new TestConversation(compile(flow)).start();
    expect(said(result)).toEqual(["Flow fallback"]);
    expect(result.trace.notes.map((note) => note.message).join()).toContain("no http port");
  });
});

function httpFlow(timeoutMs: number, connectError = true) {
  return inlineFlow({
    nodes: [
      { id: "start", kind: "start" },
      {
        id: "call",
        kind: "http",
        data: {
          url: "https://api.example.com/users/{{ user }}",
          query: { expand: "{{ user }}" },
          responseMapping: [{ variable: "tier", expression: "body.tier" }],
          timeoutMs,
        },
      },
      { id: "ok", kind: "message", data: { text: "tier {{ tier }}" } },
      { id: "failed", kind: "message", data: { text: "failed: {{ sys.lastError }}" } },
    ],
    edges: [
      ["start", "next", "call"],
      ["call", "success", "ok"],
      ...(connectError ? ([["call", "error", "failed"]] as [string, string, string][]) : []),
    ],
    variables: [
      { name: "user", type: "string", default: "u1" },
      { name: "tier", type: "string" },
    ],
    settings: { fallback: { message: "Flow fallback" } },
  });
}

const llmFlow = (mode: Record<string, unknown>, timeoutMs = 1000) =>
  inlineFlow({
    nodes: [
      { id: "start", kind: "start" },
      { id: "ask", kind: "ask", data: { prompt: "Tell me", input: { type: "text" }, saveTo: "said" } },
      {
        id: "model",
        kind: "llm",
        data: {
          prompt: "Reply to {{ said }}",
          systemPrompt: "Be brief, {{ name }}.",
          historyWindow: 2,
          mode,
          timeoutMs,
        },
      },
      { id: "after", kind: "message", data: { text: "saved={{ reply }} email={{ email }} n={{ count }}" } },
      { id: "failed", kind: "message", data: { text: "llm failed: {{ sys.lastError }}" } },
    ],
    edges: [
      ["start", "next", "ask"],
      ["ask", "next", "model"],
      ["model", "next", "after"],
      ["model", "error", "failed"],
    ],
    variables: [
      { name: "said", type: "string" },
      { name: "name", type: "string", default: "bot" },
      { name: "reply", type: "string" },
      { name: "email", type: "string" },
      { name: "count", type: "number" },
    ],
    settings: { defaultModelRoute: "smart" },
  });

describe("llm node", () => {
  it("replies, streams tokens through onStream and saves the reply", async () => {
    const requests: unknown[] = [];
    const llm: LlmPort = {
      async complete(request, { onToken }) {
        requests.push(request);
        for (const token of ["Hello ", "there"]) onToken?.(token);
        return { text: "Hello there", model: "test-model" };
      },
    };
    const tokens: string[] = [];
    const conversation = new TestConversation(
      compile(llmFlow({ type: "reply", stream: true, saveTo: "reply" })),
      {
        ports: { llm },
        extra: { onStream: (chunk) => tokens.push(`${chunk.nodeId}:${chunk.token}`) },
      },
    );
    await conversation.start();
    const result = await conversation.say("hi!");
    expect(tokens).toEqual(["model:Hello ", "model:there"]);
    expect(result.messages[0]).toEqual({
      type: "text",
      nodeId: "model",
      text: "Hello there",
      format: "markdown",
      source: "llm",
    });
    expect(said(result)[1]).toContain("saved=Hello there");
    expect(requests[0]).toEqual({
      route: "smart",
      messages: [
        { role: "system", content: "Be brief, bot." },
        { role: "assistant", content: "Tell me" },
        { role: "user", content: "hi!" },
        { role: "user", content: "Reply to hi!" },
      ],
    });
    expect(result.trace.effects).toMatchObject([{ kind: "llm", outcome: "ok", detail: "test-model" }]);
  });

  it("the offline model says plainly that it is offline", async () => {
    const tokens: string[] = [];
    const conversation = new TestConversation(compile(llmFlow({ type: "reply", stream: true })), {
      ports: { llm: createOfflineLlm() },
      extra: { onStream: (chunk) => tokens.push(chunk.token) },
    });
    await conversation.start();
    const result = await conversation.say("hi");
    expect(said(result)[0]).toBe(OFFLINE_REPLY);
    expect(tokens.join("")).toBe(OFFLINE_REPLY);
  });

  it("extracts typed fields, and fails to the error branch on missing or mistyped ones", async () => {
    const extract = {
      type: "extract",
      fields: [
        { variable: "email", type: "string", description: "the e-mail address", required: true },
        { variable: "count", type: "number" },
      ],
    };
    const offline = new TestConversation(compile(llmFlow(extract)), { ports: { llm: createOfflineLlm() } });
    await offline.start();
    expect(said(await offline.say("write to ada@example.com about 3 pizzas"))).toEqual([
      "saved= email=ada@example.com n=3",
    ]);
    const missing = new TestConversation(compile(llmFlow(extract)), { ports: { llm: createOfflineLlm() } });
    await missing.start();
    expect(said(await missing.say("no address here"))[0]).toContain('cannot extract "email"');

    const mistyped: LlmPort = {
      complete: async () => ({ text: "", json: { email: "a@b.co", count: "many" } }),
    };
    const wrong = new TestConversation(compile(llmFlow(extract)), { ports: { llm: mistyped } });
    await wrong.start();
    expect(said(await wrong.say("x"))).toEqual(["llm failed: extracted count is not a number"]);
  });

  it("takes the error branch when the model times out", async () => {
    const conversation = new TestConversation(compile(llmFlow({ type: "reply", stream: false }, 150)), {
      ports: { llm: { complete: never } },
    });
    await conversation.start();
    const result = await conversation.say("hi");
    expect(said(result)).toEqual(["llm failed: model call failed: timed out after 150 ms"]);
    expect(result.trace.effects).toMatchObject([{ kind: "llm", outcome: "timeout" }]);
  });
});

describe("intent and knowledge nodes (support triage)", () => {
  const machine = compile(loadExample("support-triage"));
  const knowledge = createMemoryKnowledge([
    {
      title: "Refunds",
      url: "https://help.example.com/refunds",
      text: "Refunds are issued within 5 business days to the original payment method.\n\nInvoices can be downloaded from the billing page.",
    },
  ]);
  const nlu = createOfflineNlu();

  async function ask(question: string) {
    const conversation = new TestConversation(machine, { ports: { nlu, knowledge } });
    await conversation.start();
    return conversation.say(question);
  }

  it("routes a recognised intent to its branch and answers from the knowledge base with citations", async () => {
    const result = await ask("how do I get a refund");
    expect(visited(result).slice(0, 3)).toEqual(["ask-issue", "route", "billing-answer"]);
    const answer = result.messages.find(
      (message) => message.type === "text" && message.source === "knowledge",
    );
    expect(answer).toMatchObject({
      text: expect.stringContaining("Refunds are issued within 5 business days"),
      citations: [{ title: "Refunds", url: "https://help.example.com/refunds" }],
    });
    expect(result.trace.effects.map((call) => call.kind)).toEqual(["nlu", "knowledge"]);
  });

  it("takes noAnswer when the knowledge base has nothing relevant", async () => {
    const result = await ask("why is my bill so high");
    expect(visited(result)).toContain("billing-handoff");
    expect(result.status).toBe("handoff");
  });

  it("takes the fallback branch for text no intent matches", async () => {
    const result = await ask("purple elephants dancing");
    expect(visited(result)).toContain("not-understood");
    expect(result.waitingFor).toBe("user");
  });

  it("trains the offline NLU once per set of intents", async () => {
    const counting = createOfflineNlu();
    for (const text of ["how do I get a refund", "where is my package"]) {
      const conversation = new TestConversation(machine, { ports: { nlu: counting, knowledge } });
      await conversation.start();
      await conversation.say(text);
    }
    expect(counting.trainings).toBe(1);
  });

  it("takes fallback when classification fails (no nlu port, or an llm classifier offline)", async () => {
    const conversation = new TestConversation(machine, { ports: { knowledge } });
    await conversation.start();
    const result = await conversation.say("how do I get a refund");
    expect(visited(result)).toContain("not-understood");
    expect(result.trace.notes.map((note) => note.message).join()).toContain("no nlu port");
  });
});
