import { createServer, type Server } from "node:http";
import { MODEL_EVENT_TYPES } from "@parley/models";
import { type FakeProvider, makePdf, startFakeProvider } from "@parley/models/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flowEdge, flowNode } from "./test-support/flow-document";
import { closeServer, listenOnLoopback } from "./test-support/loopback-server";
import { call, seedBot, startTestRuntime, type TestRuntime } from "./test-support/runtime-harness";
import { sendStreamed } from "./test-support/sse-turn";

/**
 * A help-desk flow: every question goes to the knowledge node first; when the knowledge base has no
 * answer, the llm node answers through the tenant's `support` route.
 */
function helpDeskFlow(): Record<string, unknown> {
  return {
    version: 1,
    id: "help-desk",
    name: "Help desk",
    variables: [{ name: "question", type: "string", scope: "conversation" }],
    settings: { language: "en" },
    nodes: [
      flowNode("start", "start", {}, 0),
      flowNode(
        "ask",
        "ask",
        { prompt: "What can I help with?", input: { type: "text" }, saveTo: "question" },
        100,
      ),
      flowNode("kb", "knowledge", { question: "{{ question }}", citations: true, timeoutMs: 10_000 }, 200),
      flowNode(
        "ai",
        "llm",
        {
          prompt: "{{ question }}",
          systemPrompt: "You are the shop's assistant.",
          modelRoute: "support",
          mode: { type: "reply", stream: true },
          timeoutMs: 10_000,
        },
        300,
      ),
      flowNode("sorry", "message", { text: "Sorry, no model could answer." }, 400),
      flowNode("done", "end", { outcome: "completed" }, 500),
    ],
    edges: [
      flowEdge("start", "next", "ask"),
      flowEdge("ask", "next", "kb"),
      flowEdge("ask", "error", "done"),
      flowEdge("kb", "answered", "ask"),
      flowEdge("kb", "noAnswer", "ai"),
      flowEdge("ai", "next", "ask"),
      flowEdge("ai", "error", "sorry"),
      flowEdge("sorry", "next", "ask"),
    ],
  };
}

/** Asks the visitor's name into `name`, then greets them through the llm node (route `private`). */
function greeterFlow(): Record<string, unknown> {
  return {
    version: 1,
    id: "greeter",
    name: "Greeter",
    variables: [{ name: "name", type: "string", scope: "conversation" }],
    settings: { language: "en" },
    nodes: [
      flowNode("start", "start", {}),
      flowNode("ask", "ask", { prompt: "What is your name?", input: { type: "text" }, saveTo: "name" }),
      flowNode("greet", "llm", {
        prompt: "Write a one-line welcome for {{ name }}.",
        modelRoute: "private",
        mode: { type: "reply", stream: true },
        timeoutMs: 10_000,
      }),
      flowNode("done", "end", { outcome: "completed" }),
    ],
    edges: [
      flowEdge("start", "next", "ask"),
      flowEdge("ask", "next", "greet"),
      flowEdge("ask", "error", "done"),
      flowEdge("greet", "next", "done"),
      flowEdge("greet", "error", "done"),
    ],
  };
}

describe("llm and knowledge nodes through the tenant's models (Postgres + Redis)", () => {
  let t: TestRuntime;
  let seed: Awaited<ReturnType<typeof seedBot>>;
  let primary: FakeProvider;
  let secondary: FakeProvider;
  let documents: Server;
  let documentsUrl: string;

  beforeAll(async () => {
    // The first request to the primary fails with a 500; later ones answer.
    primary = await startFakeProvider({
      protocol: "openai",
      script: [{ error: 500, message: "primary is having a bad day" }],
      otherwise: { reply: "Penguins cannot fly, but they swim very fast.", usage: { input: 40, output: 12 } },
    });
    secondary = await startFakeProvider({
      protocol: "openai",
      otherwise: {
        reply: "Unworn shoes can be returned within 60 days for a full refund [1].",
        usage: { input: 200, output: 15 },
      },
    });
    const pdf = makePdf(
      [["Returns", "Unworn shoes can be returned within 60 days for a full refund."]],
      "Returns policy",
      { binary: true },
    );
    documents = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/pdf" }).end(pdf);
    });
    documentsUrl = `${await listenOnLoopback(documents)}/returns.pdf`;

    t = await startTestRuntime("postgres+redis");
    seed = await seedBot(t.runtime, helpDeskFlow());
    const admin = t.runtime.models.admin();
    const tenantId = seed.tenant.id;
    await admin.saveProvider(tenantId, {
      name: "primary",
      kind: "openai_compatible",
      baseUrl: primary.baseUrl,
      apiKey: "sk-primary-0123456789",
    });
    await admin.saveProvider(tenantId, {
      name: "secondary",
      kind: "openai",
      baseUrl: secondary.baseUrl,
      apiKey: "sk-secondary-0123456789",
    });
    await admin.saveRoute(tenantId, {
      name: "support",
      isDefault: true,
      policy: {
        targets: [
          { provider: "primary", model: "shop-large" },
          { provider: "secondary", model: "shop-small" },
        ],
        retry: { attempts: 1 },
        timeoutMs: 5_000,
      },
    });
    await admin.savePrice(tenantId, {
      provider: "primary",
      model: "shop-large",
      inputPerMillion: 1_000,
      outputPerMillion: 2_000,
    });
    // The document arrives as a binary PDF through the runtime's guarded client (loopback allowed in tests).
    const [ingested] = await t.runtime.models.knowledgeBase.ingestUrls({ tenantId, botId: seed.bot.id }, [
      documentsUrl,
    ]);
    expect(ingested).toMatchObject({
      ok: true,
      result: { document: { status: "ready", title: "Returns policy" } },
    });
  }, 120_000);

  afterAll(async () => {
    await t?.cleanup();
    await primary?.close();
    await secondary?.close();
    await closeServer(documents);
  }, 30_000);

  it("answers from the knowledge base with citations (falling back past a 500), then through the llm node when it has no answer, recording every call", async () => {
    const started = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/conversations`, {
      key: seed.key,
      body: {},
    });
    expect(started.status).toBe(201);
    const id = started.body.conversationId as string;

    // Knowledge: the grounded answer is written by the routed model. The primary fails with a 500,
    // the secondary answers; the reply cites the PDF.
    const answered = await call(t.url, "POST", `/api/v1/conversations/${id}/messages`, {
      key: seed.key,
      body: { text: "How long do I have to return shoes?" },
    });
    expect(answered.status).toBe(200);
    const [knowledgeReply] = answered.body.messages;
    expect(knowledgeReply).toMatchObject({
      type: "text",
      source: "knowledge",
      text: "Unworn shoes can be returned within 60 days for a full refund [1].",
      citations: [{ title: "Returns policy (p. 1)", url: documentsUrl }],
    });
    expect(primary.requests).toHaveLength(1);
    expect(secondary.requests).toHaveLength(1);
    // The keys were stored encrypted and decrypted for the official client.
    expect(primary.requests[0]?.headers.authorization).toBe("Bearer sk-primary-0123456789");
    expect(secondary.requests[0]?.headers.authorization).toBe("Bearer sk-secondary-0123456789");
    const groundedPrompt = JSON.stringify(secondary.requests[0]?.body.messages);
    expect(groundedPrompt).toContain("60 days");
    expect(secondary.requests[0]?.body.model).toBe("shop-small");

    // No relevant passage: the knowledge node takes noAnswer (no model call for it), and the llm node
    // answers through the primary, streamed to the client as SSE tokens.
    const { events } = await sendStreamed(t.url, seed.key, id, "Why can't penguins fly?");
    const tokens = events.filter((event) => event.event === "token").map((event) => event.data.token);
    expect(tokens.length).toBeGreaterThan(3);
    expect(tokens.join("")).toBe("Penguins cannot fly, but they swim very fast.");
    const done = events.at(-1);
    expect(done?.event).toBe("done");
    expect(done?.data.messages[0]).toMatchObject({
      source: "llm",
      text: "Penguins cannot fly, but they swim very fast.",
    });
    expect(primary.requests).toHaveLength(2);
    expect(primary.requests[1]).toMatchObject({ streaming: true, body: { model: "shop-large" } });
    expect(JSON.stringify(primary.requests[1]?.body.messages)).toContain("You are the shop's assistant.");
    expect(secondary.requests).toHaveLength(1);

    // Both calls are in analytics_events with provider, model, tokens, cost and fallback position.
    await t.runtime.models.flushAnalytics(); // call records are written in batches
    const calls = await t.runtime.deps.db.forTenant(seed.tenant.id).analyticsEvent.findMany({
      where: { type: MODEL_EVENT_TYPES.call },
      orderBy: { occurredAt: "asc" },
    });
    expect(calls).toHaveLength(2);
    expect(calls.every((event) => event.botId === seed.bot.id && event.conversationId === id)).toBe(true);
    const [grounded, reply] = calls.map((event) => event.properties as Record<string, unknown>);
    expect(grounded).toMatchObject({
      route: "support",
      provider: "secondary",
      model: "shop-small",
      outcome: "ok",
      fallbackPosition: 1,
      inputTokens: 200,
      outputTokens: 15,
      cacheHit: false,
      attempts: [
        { provider: "primary", model: "shop-large", outcome: "server_error" },
        { provider: "secondary", model: "shop-small", outcome: "ok" },
      ],
    });
    expect(reply).toMatchObject({
      requestedRoute: "support",
      route: "support",
      provider: "primary",
      model: "shop-large",
      outcome: "ok",
      fallbackPosition: 0,
      inputTokens: 40,
      outputTokens: 12,
      // 40 * 1000 / 1e6 + 12 * 2000 / 1e6 from the tenant's price table.
      costUsd: 0.064,
    });
    expect(reply?.timeToFirstTokenMs).toEqual(expect.any(Number));
    expect(JSON.stringify(calls)).not.toContain("sk-primary-0123456789");
  });

  it("takes a tenant's configuration change without a restart", async () => {
    const admin = t.runtime.models.admin();
    const routes = await admin.listRoutes(seed.tenant.id);
    const support = routes.find((route) => route.name === "support");
    expect(support).toBeDefined();
    // Only the secondary now: the change is visible to the next turn.
    await admin.saveRoute(seed.tenant.id, {
      id: support?.id,
      name: "support",
      isDefault: true,
      policy: { targets: [{ provider: "secondary", model: "shop-small" }], retry: { attempts: 1 } },
    });
    const before = primary.requests.length;
    const started = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/conversations`, {
      key: seed.key,
      body: {},
    });
    const reply = await call(t.url, "POST", `/api/v1/conversations/${started.body.conversationId}/messages`, {
      key: seed.key,
      body: { text: "Tell me about penguins" },
    });
    expect(reply.body.messages[0]).toMatchObject({ source: "llm" });
    expect(primary.requests.length).toBe(before);
    expect(secondary.requests.at(-1)?.body.model).toBe("shop-small");
  });

  it("masks the name a conversation knows before the llm node's prompt leaves, and puts it back in the reply", async () => {
    // The provider refuses (400) any request carrying the raw name, and greets whichever
    // placeholder it was given.
    const namer = await startFakeProvider({
      protocol: "openai",
      forbidden: ["Jane Doe", "Jane", "Doe"],
      otherwise: (request) => ({
        reply: `Welcome, ${/\[NAME_\d+\]/.exec(request.raw)?.[0] ?? "stranger"}! Lovely to meet you.`,
      }),
    });
    try {
      const named = await seedBot(t.runtime, greeterFlow());
      const admin = t.runtime.models.admin();
      // Tenant-supplied endpoints go through the SSRF rules (the test runtime allows loopback only).
      await expect(
        admin.saveProvider(named.tenant.id, {
          name: "metadata",
          kind: "openai_compatible",
          baseUrl: "http://169.254.169.254/v1",
        }),
      ).rejects.toThrow(/baseUrl cannot be used: refused to contact 169\.254\.169\.254/);
      await admin.saveProvider(named.tenant.id, {
        name: "namer",
        kind: "openai_compatible",
        baseUrl: namer.baseUrl,
      });
      await admin.saveRoute(named.tenant.id, {
        name: "private",
        isDefault: true,
        policy: { targets: [{ provider: "namer", model: "greeter" }], pii: { enabled: true } },
      });
      const started = await call(t.url, "POST", `/api/v1/bots/${named.bot.id}/conversations`, {
        key: named.key,
        body: {},
      });
      expect(started.body.messages[0]).toMatchObject({ text: "What is your name?" });
      const { events } = await sendStreamed(t.url, named.key, started.body.conversationId, "Jane Doe");
      const expected = "Welcome, Jane Doe! Lovely to meet you.";
      const tokens = events.filter((event) => event.event === "token").map((event) => event.data.token);
      expect(tokens.join("")).toBe(expected);
      expect(events.at(-1)?.data.messages[0]).toMatchObject({ source: "llm", text: expected });
      // The name never left: not in the prompt, not in the history (the user's own message).
      expect(namer.violations).toEqual([]);
      expect(namer.requests).toHaveLength(1);
      const sent = JSON.stringify(namer.requests[0]?.body.messages);
      expect(sent).toContain("Write a one-line welcome for [NAME_1].");
      expect(sent).not.toMatch(/Jane|Doe/);
      await t.runtime.models.flushAnalytics(); // call records are written in batches
      const [record] = await t.runtime.deps.db.forTenant(named.tenant.id).analyticsEvent.findMany({
        where: { type: MODEL_EVENT_TYPES.call },
      });
      expect(record?.properties).toMatchObject({ provider: "namer", outcome: "ok", piiMasked: 1 });
    } finally {
      await namer.close();
    }
  });
});
