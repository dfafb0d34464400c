import { createServer, type IncomingMessage, type Server } from "node:http";
import { verifyWebhookSignature } from "@parley/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flowEdge, flowNode } from "./test-support/flow-document";
import { closeServer, listenOnLoopback } from "./test-support/loopback-server";
import { call, seedBot, startTestRuntime, type TestRuntime } from "./test-support/runtime-harness";
import { sendStreamed } from "./test-support/sse-turn";

/** A flow exercising streaming LLM replies, a hanging http effect, a wait timer and a handoff. */
function featureFlow(slowUrl: string): Record<string, unknown> {
  return {
    version: 1,
    id: "features",
    name: "Features",
    variables: [
      { name: "topic", type: "string", scope: "conversation" },
      { name: "status", type: "number", scope: "conversation" },
    ],
    settings: { language: "en" },
    nodes: [
      flowNode("start", "start", {}, 0),
      flowNode(
        "ask-topic",
        "ask",
        { prompt: "Topic?", input: { type: "text", minLength: 1 }, saveTo: "topic", maxRetries: 1 },
        100,
      ),
      flowNode(
        "ai",
        "llm",
        { prompt: "Say something about {{ topic }}", mode: { type: "reply", stream: true }, timeoutMs: 5000 },
        200,
      ),
      flowNode(
        "lookup",
        "http",
        { method: "GET", url: slowUrl, saveStatusTo: "status", timeoutMs: 300 },
        300,
      ),
      flowNode("lookup-failed", "message", { text: "The lookup timed out, carrying on." }, 400),
      flowNode("pause", "wait", { duration: { amount: 1, unit: "seconds" } }, 500),
      flowNode("after-pause", "message", { text: "Back after the pause." }, 600),
      flowNode(
        "agent",
        "handoff",
        { reason: "wants a human", message: "Connecting you to a person now.", priority: "normal" },
        700,
      ),
      flowNode("bye", "message", { text: "The bot is back." }, 800),
      flowNode("done", "end", { outcome: "completed" }, 900),
    ],
    edges: [
      flowEdge("start", "next", "ask-topic"),
      flowEdge("ask-topic", "next", "ai"),
      flowEdge("ask-topic", "error", "done"),
      flowEdge("ai", "next", "lookup"),
      flowEdge("ai", "error", "lookup"),
      flowEdge("lookup", "success", "pause"),
      flowEdge("lookup", "error", "lookup-failed"),
      flowEdge("lookup-failed", "next", "pause"),
      flowEdge("pause", "next", "after-pause"),
      flowEdge("after-pause", "next", "agent"),
      flowEdge("agent", "next", "bye"),
      flowEdge("bye", "next", "done"),
    ],
  };
}

interface Received {
  body: string;
  signature: string;
  type: string;
}

describe("turn features over HTTP (embedded)", () => {
  let t: TestRuntime;
  let seed: Awaited<ReturnType<typeof seedBot>>;
  let hooks: Server;
  let hookUrl: string;
  const received: Received[] = [];
  let failFirst = true;

  beforeAll(async () => {
    hooks = createServer((request: IncomingMessage, response) => {
      if (request.url === "/slow") return; // never answers: the http node must time out
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        if (failFirst) {
          failFirst = false;
          response.writeHead(500).end("try again");
          return;
        }
        received.push({
          body,
          signature: String(request.headers["parley-signature"]),
          type: String(request.headers["parley-event-type"]),
        });
        response.writeHead(204).end();
      });
    });
    hookUrl = await listenOnLoopback(hooks);
    t = await startTestRuntime("embedded");
    seed = await seedBot(t.runtime, featureFlow(`${hookUrl}/slow`));
  }, 90_000);
  afterAll(async () => {
    await t?.cleanup();
    await closeServer(hooks);
  }, 30_000);

  it("streams tokens, survives a hanging effect, fires a timer after a restart, hands off and back, and signs webhooks", async () => {
    const subscription = await call(t.url, "POST", "/api/v1/webhooks", {
      key: seed.key,
      body: {
        url: `${hookUrl}/hook`,
        events: ["conversation.started", "handoff.requested", "conversation.ended"],
      },
    });
    expect(subscription.status).toBe(201);
    const secret = subscription.body.secret as string;

    const started = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/conversations`, {
      key: seed.key,
      body: {},
    });
    const id = started.body.conversationId as string;

    // SSE: tokens as the (offline) LLM writes, then messages, then done.
    const { response, events } = await sendStreamed(t.url, seed.key, id, "pizza");
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const names = events.map((e) => e.event);
    expect(names.filter((n) => n === "token").length).toBeGreaterThan(3);
    expect(names.indexOf("token")).toBeLessThan(names.indexOf("message"));
    expect(names.at(-1)).toBe("done");
    const done = events.at(-1)!.data;
    // The hanging http effect took its error branch and the turn still answered.
    expect(JSON.stringify(done.messages)).toContain("The lookup timed out");
    expect(done.status).toBe("waiting");

    // The wait timer is a durable job: restart the runtime before it fires.
    await t.restart();
    const deadline = Date.now() + 10_000;
    let transcript = await call(t.url, "GET", `/api/v1/conversations/${id}`, { key: seed.key });
    while (transcript.body.status !== "handoff" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      transcript = await call(t.url, "GET", `/api/v1/conversations/${id}`, { key: seed.key });
    }
    expect(transcript.body.status).toBe("handoff");
    expect(JSON.stringify(transcript.body.entries)).toContain("Back after the pause.");

    // During the handoff the bot is silent; agents need an agent-scoped key.
    const userDuringHandoff = await call(t.url, "POST", `/api/v1/conversations/${id}/messages`, {
      key: seed.key,
      body: { text: "hello?" },
    });
    expect(userDuringHandoff.body).toEqual({ messages: [], status: "handoff" });
    const readOnly = await call(t.url, "POST", "/api/v1/api-keys", {
      key: seed.key,
      body: { name: "writer", scopes: ["conversations:write"] },
    });
    const refused = await call(t.url, "POST", `/api/v1/conversations/${id}/messages`, {
      key: readOnly.body.key,
      body: { text: "I am an agent", author: "agent" },
    });
    expect(refused.status).toBe(403);
    const agentKey = await call(t.url, "POST", "/api/v1/api-keys", {
      key: seed.key,
      body: { name: "agent", scopes: ["conversations:agent"] },
    });
    const agentReply = await call(t.url, "POST", `/api/v1/conversations/${id}/messages`, {
      key: agentKey.body.key,
      body: { text: "Hi, this is Sam.", author: "agent" },
    });
    expect(agentReply.status).toBe(200);
    const back = await call(t.url, "POST", `/api/v1/conversations/${id}/handback`, {
      key: agentKey.body.key,
      body: {},
    });
    expect(back.body.status).toBe("ended");
    expect(JSON.stringify(back.body.messages)).toContain("The bot is back.");
    transcript = await call(t.url, "GET", `/api/v1/conversations/${id}`, { key: seed.key });
    expect(transcript.body.entries.map((e: { author: string }) => e.author)).toContain("agent");

    // Webhooks: signed, retried after a 500, one per event.
    const until = Date.now() + 15_000;
    while (received.length < 3 && Date.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received.map((r) => r.type).sort()).toEqual([
      "conversation.ended",
      "conversation.started",
      "handoff.requested",
    ]);
    for (const hook of received) {
      expect(verifyWebhookSignature(secret, hook.body, hook.signature)).toBe(true);
      expect(verifyWebhookSignature("whsec_wrong", hook.body, hook.signature)).toBe(false);
      expect(JSON.parse(hook.body).data.conversationId).toBe(id);
    }
  }, 60_000);

  it("exposes turn metrics", async () => {
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/parley_turn_duration_seconds_bucket/);
    expect(metrics).toMatch(/parley_queue_depth\{queue="timers"\}/);
    expect(metrics).toMatch(/parley_active_conversations \d+/);
    expect(metrics).toMatch(/parley_turns_total\{channel="api",status="(waiting|handoff|ended)"\}/);
  });
});
