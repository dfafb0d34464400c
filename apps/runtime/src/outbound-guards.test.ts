import { createServer, type Server, type ServerResponse } from "node:http";
import { MODEL_EVENT_TYPES } from "@parley/models";
import { type FakeProvider, startFakeProvider } from "@parley/models/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flowEdge, flowNode } from "./test-support/flow-document";
import { closeServer, listenOnLoopback } from "./test-support/loopback-server";
import { call, seedBot, startTestRuntime, type TestRuntime } from "./test-support/runtime-harness";

/**
 * Finding 9 at the attacker's layer: a partner API and a model provider that answer with 50 MB.
 * The runtime reads no more than PARLEY_OUTBOUND_MAX_RESPONSE_BYTES of either: the http node takes
 * its error branch with the reason, the llm node's route falls back to its next model.
 */
const FIFTY_MB = 50 * 1024 * 1024;
const LIMIT = 1024 * 1024;

/** Serves 50 MB of JSON-ish bytes (no Content-Length) to anything; records how much got out. */
function hugeServer() {
  const sent: Promise<number>[] = [];
  const server = createServer((request, response: ServerResponse) => {
    request.resume();
    const piece = Buffer.alloc(64 * 1024, " ");
    let written = 0;
    sent.push(new Promise((resolve) => response.on("close", () => resolve(written))));
    response.writeHead(200, { "content-type": "application/json" });
    const pump = () => {
      while (written < FIFTY_MB && !response.destroyed) {
        written += piece.length;
        if (!response.write(piece)) return void response.once("drain", pump);
      }
      if (!response.destroyed) response.end();
    };
    pump();
  });
  return { server, sent };
}

function flow(partnerUrl: string): Record<string, unknown> {
  return {
    version: 1,
    id: "bounded",
    name: "Bounded",
    variables: [{ name: "question", type: "string", scope: "conversation" }],
    settings: { language: "en" },
    nodes: [
      flowNode("start", "start", {}),
      flowNode("fetch", "http", { method: "GET", url: `${partnerUrl}/catalog.json`, timeoutMs: 20_000 }),
      flowNode("fetched", "message", { text: "Catalog loaded." }),
      flowNode("fetchFailed", "message", { text: "Catalog failed: {{ sys.lastError }}" }),
      flowNode("ask", "ask", { prompt: "Question?", input: { type: "text" }, saveTo: "question" }),
      flowNode("ai", "llm", {
        prompt: "{{ question }}",
        modelRoute: "support",
        mode: { type: "reply", stream: true },
        timeoutMs: 20_000,
      }),
      flowNode("aiFailed", "message", { text: "No model could answer." }),
      flowNode("done", "end", { outcome: "completed" }),
    ],
    edges: [
      flowEdge("start", "next", "fetch"),
      flowEdge("fetch", "success", "fetched"),
      flowEdge("fetch", "error", "fetchFailed"),
      flowEdge("fetched", "next", "ask"),
      flowEdge("fetchFailed", "next", "ask"),
      flowEdge("ask", "next", "ai"),
      flowEdge("ask", "error", "done"),
      flowEdge("ai", "next", "done"),
      flowEdge("ai", "error", "aiFailed"),
      flowEdge("aiFailed", "next", "done"),
    ],
  };
}

describe("bounded outbound responses (runtime, PARLEY_OUTBOUND_MAX_RESPONSE_BYTES)", () => {
  let t: TestRuntime;
  let huge: ReturnType<typeof hugeServer>;
  let hugeUrl: string;
  let backup: FakeProvider;
  let seed: Awaited<ReturnType<typeof seedBot>>;

  beforeAll(async () => {
    huge = hugeServer();
    hugeUrl = await listenOnLoopback(huge.server as Server);
    backup = await startFakeProvider({ protocol: "openai", otherwise: { reply: "The backup answers." } });
    t = await startTestRuntime("postgres+redis", { PARLEY_OUTBOUND_MAX_RESPONSE_BYTES: String(LIMIT) });
    seed = await seedBot(t.runtime, flow(hugeUrl));
    const admin = t.runtime.models.admin();
    await admin.saveProvider(seed.tenant.id, {
      name: "flood",
      kind: "openai_compatible",
      baseUrl: `${hugeUrl}/v1`,
      apiKey: "sk-flood-0123456789",
    });
    await admin.saveProvider(seed.tenant.id, {
      name: "backup",
      kind: "openai_compatible",
      baseUrl: backup.baseUrl,
      apiKey: "sk-backup-0123456789",
    });
    await admin.saveRoute(seed.tenant.id, {
      name: "support",
      isDefault: true,
      policy: {
        targets: [
          { provider: "flood", model: "big" },
          { provider: "backup", model: "small" },
        ],
        retry: { attempts: 2 },
      },
    });
  }, 120_000);

  afterAll(async () => {
    await t?.cleanup();
    await backup?.close();
    await closeServer(huge?.server as Server | undefined);
  }, 30_000);

  it("http node: error branch with the reason; llm node: the next model answers; neither reads the 50 MB", async () => {
    const started = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/conversations`, {
      key: seed.key,
      body: {},
    });
    expect(started.status).toBe(201);
    const texts = (started.body.messages as { text?: string }[]).map((message) => message.text);
    expect(texts[0]).toMatch(/^Catalog failed: .*exceeded 1048576 bytes/);
    expect(texts).toContain("Question?");

    const answered = await call(
      t.url,
      "POST",
      `/api/v1/conversations/${started.body.conversationId}/messages`,
      {
        key: seed.key,
        body: { text: "What is on the menu?" },
      },
    );
    expect(answered.status).toBe(200);
    expect(answered.body.messages[0]).toMatchObject({ source: "llm", text: "The backup answers." });

    // The flood was asked once per call (too_large is not retried on the same model) and could
    // send only a bounded part of its 50 MB before the runtime hung up.
    const sent = await Promise.all(huge.sent);
    expect(sent).toHaveLength(2);
    for (const bytes of sent) expect(bytes).toBeLessThan(FIFTY_MB / 2);

    await t.runtime.models.flushAnalytics(); // call records are written in batches
    const [record] = await t.runtime.deps.db.forTenant(seed.tenant.id).analyticsEvent.findMany({
      where: { type: MODEL_EVENT_TYPES.call },
    });
    expect(record?.properties).toMatchObject({
      provider: "backup",
      attempts: [
        { provider: "flood", outcome: "too_large" },
        { provider: "backup", outcome: "ok" },
      ],
    });
  }, 60_000);
});

/**
 * Findings 17 and 19 at the attacker's layer: a published flow's http nodes. One calls
 * `[::127.0.0.1]` (IPv4-compatible IPv6: refused even though this test runtime allows loopback),
 * the other sends its own Authorization and Cookie to a partner that redirects to another origin.
 */
describe("published http nodes: embedded-IPv4 addresses and cross-origin redirects", () => {
  let t: TestRuntime;
  let partner: Server;
  let other: Server;
  let partnerUrl: string;
  let otherUrl: string;
  const partnerSaw: Record<string, string | string[] | undefined>[] = [];
  const otherSaw: Record<string, string | string[] | undefined>[] = [];

  beforeAll(async () => {
    partner = createServer((request, response) => {
      partnerSaw.push(request.headers);
      if (request.url === "/away") response.writeHead(302, { location: `${otherUrl}/landing` }).end();
      else response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
    other = createServer((request, response) => {
      otherSaw.push(request.headers);
      response.writeHead(200, { "content-type": "application/json" }).end('{"landed":true}');
    });
    partnerUrl = await listenOnLoopback(partner);
    otherUrl = await listenOnLoopback(other);
    t = await startTestRuntime("postgres+redis");
  }, 120_000);

  afterAll(async () => {
    await t?.cleanup();
    await closeServer(partner);
    await closeServer(other);
  }, 30_000);

  function twoCalls(): Record<string, unknown> {
    const port = new URL(partnerUrl).port;
    return {
      version: 1,
      id: "guards",
      name: "Guards",
      variables: [{ name: "landed", type: "boolean" }],
      settings: { language: "en" },
      nodes: [
        flowNode("start", "start", {}),
        flowNode("compat", "http", { method: "GET", url: `http://[::127.0.0.1]:${port}/secret` }),
        flowNode("compatOk", "message", { text: "Reached it." }),
        flowNode("compatFailed", "message", { text: "Refused: {{ sys.lastError }}" }),
        flowNode("redirected", "http", {
          method: "GET",
          url: `${partnerUrl}/away`,
          headers: { Authorization: "Bearer flow-owned-token", Cookie: "session=flow-owned" },
          responseMapping: [{ variable: "landed", expression: "body.landed" }],
        }),
        flowNode("landedMessage", "message", { text: "Landed: {{ landed }}" }),
        flowNode("redirectFailed", "message", { text: "Redirect failed: {{ sys.lastError }}" }),
        flowNode("done", "end", { outcome: "completed" }),
      ],
      edges: [
        flowEdge("start", "next", "compat"),
        flowEdge("compat", "success", "compatOk"),
        flowEdge("compat", "error", "compatFailed"),
        flowEdge("compatOk", "next", "redirected"),
        flowEdge("compatFailed", "next", "redirected"),
        flowEdge("redirected", "success", "landedMessage"),
        flowEdge("redirected", "error", "redirectFailed"),
        flowEdge("landedMessage", "next", "done"),
        flowEdge("redirectFailed", "next", "done"),
      ],
    };
  }

  it("refuses [::127.0.0.1] and drops the flow's credentials on the cross-origin redirect", async () => {
    const seed = await seedBot(t.runtime, twoCalls());
    const started = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/conversations`, {
      key: seed.key,
      body: {},
    });
    expect(started.status).toBe(201);
    const texts = (started.body.messages as { text?: string }[]).map((message) => message.text);
    // (sys.lastError may hide addresses from flows; the reason's words stay.)
    expect(texts[0]).toMatch(/^Refused: .*IPv4-compatible address/);
    expect(texts[1]).toBe("Landed: true");
    // Only the redirecting call reached the partner (the [::127.0.0.1] one never connected) ...
    expect(partnerSaw).toHaveLength(1);
    expect(partnerSaw[0]?.authorization).toBe("Bearer flow-owned-token");
    // ... and the other origin got neither the token nor the cookie.
    expect(otherSaw).toHaveLength(1);
    expect(otherSaw[0]?.authorization).toBeUndefined();
    expect(otherSaw[0]?.cookie).toBeUndefined();
  }, 60_000);

  it("refuses [::127.0.0.1] as a workspace's model endpoint", async () => {
    const seed = await seedBot(t.runtime, twoCalls());
    const port = new URL(partnerUrl).port;
    await expect(
      t.runtime.models.admin().saveProvider(seed.tenant.id, {
        name: "sneaky",
        kind: "openai_compatible",
        baseUrl: `http://[::127.0.0.1]:${port}/v1`,
      }),
    ).rejects.toThrow(/IPv4-compatible address embedding 127\.0\.0\.1/);
  }, 60_000);
});
