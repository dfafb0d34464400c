import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flowEdge, flowNode } from "./test-support/flow-document";
import { closeServer, listenOnLoopback } from "./test-support/loopback-server";
import { call, seedBot, startTestRuntime, type TestRuntime } from "./test-support/runtime-harness";

/** The parts of an OTLP/JSON span this test reads. */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: {
    key: string;
    value: { stringValue?: string; intValue?: string | number; boolValue?: boolean };
  }[];
}

/** A local OTLP/HTTP collector: keeps every span posted to /v1/traces (JSON, as the exporter sends). */
function otlpCollector() {
  const spans: OtlpSpan[] = [];
  const services = new Set<string>();
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      if (request.url === "/v1/traces") {
        const payload = JSON.parse(body) as {
          resourceSpans: {
            resource: { attributes: OtlpSpan["attributes"] };
            scopeSpans: { spans: OtlpSpan[] }[];
          }[];
        };
        for (const resourceSpan of payload.resourceSpans) {
          const name = resourceSpan.resource.attributes.find((a) => a.key === "service.name");
          if (name?.value.stringValue) services.add(name.value.stringValue);
          for (const scope of resourceSpan.scopeSpans) spans.push(...scope.spans);
        }
      }
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  return { server, spans, services };
}

const attribute = (span: OtlpSpan | undefined, key: string) => {
  const value = span?.attributes.find((a) => a.key === key)?.value;
  return value?.stringValue ?? value?.intValue ?? value?.boolValue;
};

/** Asks a question and answers it with the llm node (the offline model: no provider configured). */
function llmFlow(): Record<string, unknown> {
  return {
    version: 1,
    id: "traced",
    name: "Traced",
    variables: [{ name: "question", type: "string", scope: "conversation" }],
    settings: { language: "en" },
    nodes: [
      flowNode("start", "start", {}),
      flowNode("ask", "ask", { prompt: "Ask me", input: { type: "text" }, saveTo: "question" }),
      flowNode("ai", "llm", { prompt: "{{ question }}", mode: { type: "reply", stream: false } }),
      flowNode("done", "end", { outcome: "completed" }),
    ],
    edges: [
      flowEdge("start", "next", "ask"),
      flowEdge("ask", "next", "ai"),
      flowEdge("ask", "error", "done"),
      flowEdge("ai", "next", "ask"),
      flowEdge("ai", "error", "done"),
    ],
  };
}

describe("OpenTelemetry traces over OTLP (OTEL_EXPORTER_OTLP_ENDPOINT)", () => {
  let t: TestRuntime | undefined;
  let collector: ReturnType<typeof otlpCollector>;
  const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
  const callerSpanId = "00f067aa0ba902b7";

  beforeAll(async () => {
    collector = otlpCollector();
    const endpoint = await listenOnLoopback(collector.server);
    t = await startTestRuntime("embedded", {
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      PARLEY_INSTANCE_ID: "runtime-traced-1",
    });
    const seed = await seedBot(t.runtime, llmFlow());
    const started = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/conversations`, {
      key: seed.key,
      body: {},
    });
    expect(started.status).toBe(201);
    const reply = await call(t.url, "POST", `/api/v1/conversations/${started.body.conversationId}/messages`, {
      key: seed.key,
      body: { text: "What is a trace?" },
      headers: { traceparent: `00-${traceId}-${callerSpanId}-01` },
    });
    expect(reply.status).toBe(200);
    // Closing flushes the batch of spans not yet exported.
    await t.runtime.close();
  }, 90_000);

  afterAll(async () => {
    await t?.cleanup().catch(() => {});
    await closeServer(collector?.server as Server | undefined);
  });

  it("continues the caller's trace with a server span per request", () => {
    expect(collector.services).toEqual(new Set(["parley-runtime"]));
    const server = collector.spans.find(
      (span) =>
        span.traceId === traceId && span.name === "POST /api/v1/conversations/:conversationId/messages",
    );
    expect(server?.parentSpanId).toBe(callerSpanId);
    expect(server?.kind).toBe(2); // SERVER
    expect(attribute(server, "http.response.status_code")).toBe(200);
    expect(attribute(server, "http.route")).toBe("/api/v1/conversations/:conversationId/messages");
  });

  it("traces the turn pipeline under it: lock, load, engine with its nodes and effects, commit, after-commit", () => {
    const inTrace = collector.spans.filter((span) => span.traceId === traceId);
    const byName = (name: string) => inTrace.find((span) => span.name === name);
    const server = byName("POST /api/v1/conversations/:conversationId/messages");
    for (const name of ["parley.turn.lock", "parley.turn.load", "parley.turn.engine", "parley.turn.commit"]) {
      expect(byName(name), name).toBeDefined();
      expect(inTrace.some((span) => span.spanId === byName(name)?.parentSpanId)).toBe(true);
    }
    const engine = byName("parley.turn.engine");
    const llmNode = byName("parley.node llm");
    expect(llmNode?.parentSpanId).toBe(engine?.spanId);
    expect(attribute(llmNode, "parley.node.id")).toBe("ai");
    const effect = byName("parley.effect llm");
    expect(effect?.parentSpanId).toBe(llmNode?.spanId);
    expect(attribute(effect, "parley.effect.outcome")).toBe("ok");
    expect(byName("parley.turn.after_commit")?.parentSpanId).toBe(byName("parley.turn.commit")?.spanId);
    // Every span of the turn descends from the request's server span.
    const parents = new Map(inTrace.map((span) => [span.spanId, span.parentSpanId]));
    for (const span of inTrace) {
      let cursor: string | undefined = span.spanId;
      while (cursor && cursor !== server?.spanId) cursor = parents.get(cursor);
      if (span.spanId !== server?.spanId) expect(cursor, span.name).toBe(server?.spanId);
    }
  });

  it("exports no span of another request into the caller's trace", () => {
    const foreign = collector.spans.filter(
      (span) => span.traceId === traceId && span.name.startsWith("POST /api/v1/bots"),
    );
    expect(foreign).toEqual([]);
  });
});
