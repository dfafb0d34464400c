import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flowEdge, flowNode } from "./test-support/flow-document";
import { call, seedBot, startTestRuntime, type TestRuntime } from "./test-support/runtime-harness";

const WIDGET_ORIGIN = "http://shop.test";

/** start -> set-variable (`total` from `expression`) -> message; the fallback says the set failed. */
function expressionFlow(expression: string): Record<string, unknown> {
  return {
    version: 1,
    id: "expression",
    name: "Expression",
    variables: [
      { name: "total", type: "string" },
      { name: "deep", type: "list" },
    ],
    settings: { fallback: { message: "Could not compute" } },
    nodes: [
      flowNode("start", "start", {}, 0),
      flowNode(
        "set",
        "set-variable",
        { assignments: [{ variable: "total", value: { type: "expression", expression } }] },
        100,
      ),
      flowNode("show", "message", { text: "Total: {{ total }}" }, 200),
      flowNode("done", "end", { outcome: "completed" }, 300),
    ],
    edges: [
      flowEdge("start", "next", "set"),
      flowEdge("set", "next", "show"),
      flowEdge("show", "next", "done"),
    ],
  };
}

/** start -> http GET `url` -> on error, a message that shows `sys.lastError`. */
function failingHttpFlow(url: string): Record<string, unknown> {
  return {
    version: 1,
    id: "http-error",
    name: "HTTP error",
    variables: [],
    settings: {},
    nodes: [
      flowNode("start", "start", {}, 0),
      flowNode("lookup", "http", { method: "GET", url, timeoutMs: 2000 }, 100),
      flowNode("ok", "message", { text: "ok" }, 200),
      flowNode("failed", "message", { text: "Failed: {{ sys.lastError }}" }, 300),
      flowNode("done", "end", { outcome: "completed" }, 400),
    ],
    edges: [
      flowEdge("start", "next", "lookup"),
      flowEdge("lookup", "success", "ok"),
      flowEdge("lookup", "error", "failed"),
      flowEdge("ok", "next", "done"),
      flowEdge("failed", "next", "done"),
    ],
  };
}

type Seed = Awaited<ReturnType<typeof seedBot>>;

/** Starts a conversation the way the widget does: publishable key, allowed origin. */
function startAsWidget(t: TestRuntime, seed: Seed, body: Record<string, unknown> = {}) {
  return call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/conversations`, {
    key: seed.bot.publishableKey,
    body,
    headers: { origin: WIDGET_ORIGIN },
  });
}

const texts = (body: { messages: { type: string; text?: string }[] }) =>
  body.messages.filter((message) => message.type === "text").map((message) => message.text);

describe("tenant expressions cannot hurt anyone but their own turn (HTTP, embedded)", () => {
  let t: TestRuntime;
  let regex: Seed;
  let runaway: Seed;
  let pad: Seed;
  let other: Seed;

  beforeAll(async () => {
    t = await startTestRuntime("embedded");
    const deps = { deps: t.runtime.deps! };
    regex = await seedBot(
      deps,
      expressionFlow('$string($match("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", /(a+)+$/))'),
    );
    runaway = await seedBot(
      deps,
      expressionFlow(
        '($f := function($n) { $f($n + 1) }; $string($f(0)) & $match($pad("", 200000, "a"), /(a+)+$/))',
      ),
    );
    pad = await seedBot(deps, expressionFlow('$string($length($pad("x", 200000000)))'));
    other = await seedBot(deps, expressionFlow('"fine " & $string(6 * 7)'));
  }, 120_000);

  afterAll(async () => {
    await t?.cleanup();
  });

  it("answers the review's catastrophic regex (RE2 matches it in linear time)", async () => {
    const response = await startAsWidget(t, regex);
    expect(response.status).toBe(201);
    expect(texts(response.body)).toEqual(["Total: "]);
  });

  it("a runaway expression ends its own turn with the fallback while another tenant's turn completes", async () => {
    const finished: string[] = [];
    const runawayTurn = startAsWidget(t, runaway).then((response) => {
      finished.push("runaway");
      return response;
    });
    const otherTurn = startAsWidget(t, other).then((response) => {
      finished.push("other");
      return response;
    });
    const [runawayResponse, otherResponse] = await Promise.all([runawayTurn, otherTurn]);
    expect(otherResponse.status).toBe(201);
    expect(texts(otherResponse.body)).toEqual(["Total: fine 42"]);
    expect(runawayResponse.status).toBe(201);
    expect(texts(runawayResponse.body)).toEqual(["Could not compute"]);
    expect(finished).toEqual(["other", "runaway"]);
  });

  it("a $pad blow-up does not kill the process: the turn takes the fallback and /health answers", async () => {
    const response = await startAsWidget(t, pad);
    expect(response.status).toBe(201);
    expect(texts(response.body)).toEqual(["Could not compute"]);
    const health = await call(t.url, "GET", "/health");
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: "ok" });
  });

  it("refuses a 20,000-deep start variable with a problem naming it (not a 500)", async () => {
    // Written by hand: JSON.stringify itself overflows the stack on a value this deep.
    const deep = `${"[".repeat(20_000)}1${"]".repeat(20_000)}`;
    const response = await call(t.url, "POST", `/api/v1/bots/${other.bot.id}/conversations`, {
      key: other.key,
      rawBody: `{"variables":{"deep":${deep}}}`,
    });
    // Refused by the request schema's iterative depth check, before anything recursive runs.
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect(JSON.stringify(response.body)).toContain("variables.deep");
    expect(JSON.stringify(response.body)).toContain("deeper than 32 levels");
  });

  it("sys.lastError says why an http call failed without the resolved address", async () => {
    const failing = await seedBot({ deps: t.runtime.deps! }, failingHttpFlow("http://127.0.0.1:9/nothing"));
    const response = await call(t.url, "POST", `/api/v1/bots/${failing.bot.id}/conversations`, {
      key: failing.key,
      body: {},
    });
    expect(response.status).toBe(201);
    const [text] = texts(response.body);
    expect(text).toMatch(/^Failed: GET request failed: /);
    expect(text).toContain("ECONNREFUSED");
    expect(text).not.toContain("127.0.0.1");
  });
});
