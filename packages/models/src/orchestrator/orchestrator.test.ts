import { type LlmPort, llmResponseSchema } from "@parley/engine";
import { createGuardedHttpClient, MemoryCache, RedisCache } from "@parley/infra";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { MemoryBudgetStore } from "../accounting/budget";
import { MemoryAnalyticsSink, MODEL_EVENT_TYPES } from "../accounting/call-record";
import { staticConfigSource, type TenantModelConfigInput } from "../config/tenant-model-config";
import {
  AllModelsFailedError,
  BudgetExceededError,
  RouteNotFoundError,
  StreamInterruptedError,
} from "../errors";
import type { RoutePolicyInput } from "../routing/route-policy";
import {
  type FakeBehavior,
  type FakeProvider,
  startFakeProvider,
} from "../test-support/fake-provider-server";
import { ModelOrchestrator, type ModelOrchestratorOptions } from "./orchestrator";

const servers: FakeProvider[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Three providers on three local servers speaking OpenAI, Anthropic and Gemini. */
async function threeProviders(
  scripts: { a?: FakeBehavior[]; b?: FakeBehavior[]; c?: FakeBehavior[] } = {},
  forbidden?: string[],
) {
  const a = await startFakeProvider({
    protocol: "openai",
    script: scripts.a ?? [],
    otherwise: { reply: "from A" },
    ...(forbidden ? { forbidden } : {}),
  });
  const b = await startFakeProvider({
    protocol: "anthropic",
    script: scripts.b ?? [],
    otherwise: { reply: "from B" },
    ...(forbidden ? { forbidden } : {}),
  });
  const c = await startFakeProvider({
    protocol: "google",
    script: scripts.c ?? [],
    otherwise: { reply: "from C" },
    ...(forbidden ? { forbidden } : {}),
  });
  servers.push(a, b, c);
  const providers: TenantModelConfigInput["providers"] = [
    { name: "a", kind: "openai", apiKey: "key-a", baseUrl: a.baseUrl },
    { name: "b", kind: "anthropic", apiKey: "key-b", baseUrl: b.origin },
    { name: "c", kind: "google", apiKey: "key-c", baseUrl: c.origin },
  ];
  return { a, b, c, providers };
}

const fastRetry = { attempts: 2, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 5_000 };
const chain = (extra: Partial<RoutePolicyInput> = {}): RoutePolicyInput => ({
  targets: [
    { provider: "a", model: "model-a" },
    { provider: "b", model: "model-b" },
    { provider: "c", model: "model-c" },
  ],
  retry: fastRetry,
  timeoutMs: 2_000,
  ...extra,
});

const loopback = createGuardedHttpClient({ allowLoopback: true, allowedHosts: [] });

function orchestrator(config: TenantModelConfigInput, extra: Partial<ModelOrchestratorOptions> = {}) {
  const analytics = new MemoryAnalyticsSink();
  const instance = new ModelOrchestrator({
    configSource: staticConfigSource(config),
    environment: false,
    analytics,
    random: () => 0.5,
    // The fake servers listen on loopback: the guarded fetch is told to allow it.
    outbound: loopback,
    ...extra,
  });
  return { instance, analytics };
}

const ask = (text: string, route = "main") => ({
  route,
  messages: [{ role: "user" as const, content: text }],
});
const tenant = { tenantId: "tenant-1", botId: "bot-1" };
const signal = () => AbortSignal.timeout(10_000);

describe("fallback chains", () => {
  it("tries the targets in order and records the fallbacks", async () => {
    const { a, b, c, providers } = await threeProviders({
      a: [{ error: 500 }, { error: 503 }],
      b: [{ error: 400, message: "bad model" }],
    });
    const { instance, analytics } = orchestrator({ providers, routes: { main: chain() } });
    const response = await instance.complete(ask("hello"), tenant, { signal: signal() });
    expect(response.text).toBe("from C");
    expect(response.model).toBe("c/model-c");
    expect(response.record.fallbackPosition).toBe(2);
    // A: two tries (5xx is retried), B: one (400 is not), C: answers.
    expect(a.requests).toHaveLength(2);
    expect(b.requests).toHaveLength(1);
    expect(c.requests).toHaveLength(1);
    expect(response.record.attempts.map((x) => `${x.provider}#${x.try}:${x.outcome}`)).toEqual([
      "a#1:server_error",
      "a#2:server_error",
      "b#1:bad_request",
      "c#1:ok",
    ]);
    const events = analytics.ofType(MODEL_EVENT_TYPES.call);
    expect(events).toHaveLength(1);
    expect(events[0]?.properties).toMatchObject({
      provider: "c",
      model: "model-c",
      outcome: "ok",
      fallbackPosition: 2,
    });
  });

  it("moves on from a timeout (a hanging server), an empty answer, a refusal and invalid JSON", async () => {
    const { providers } = await threeProviders({
      a: [{ hang: true }],
      b: [{ reply: "" }],
      c: [{ refuse: true }],
    });
    const { instance } = orchestrator({
      providers,
      routes: {
        main: chain({
          retry: { ...fastRetry, attempts: 1 },
          targets: [
            { provider: "a", model: "model-a", timeoutMs: 200 },
            { provider: "b", model: "model-b" },
            { provider: "c", model: "model-c" },
            { provider: "a", model: "model-a2" },
          ],
        }),
      },
    });
    const response = await instance.complete(ask("hi"), tenant, { signal: signal() });
    expect(response.record.attempts.map((x) => x.outcome)).toEqual(["timeout", "empty", "refused", "ok"]);
    expect(response.text).toBe("from A");

    const json = await threeProviders({
      a: [{ reply: "not json" }],
      b: [{ reply: '{"email": "x@example.com"}' }],
    });
    const extraction = orchestrator({
      providers: json.providers,
      routes: { main: chain({ retry: { ...fastRetry, attempts: 1 } }) },
    });
    const extracted = await extraction.instance.complete(
      {
        ...ask("my mail is x@example.com"),
        extract: { fields: [{ name: "email", type: "string", required: true }] },
      },
      tenant,
      { signal: signal() },
    );
    expect(extracted.json).toEqual({ email: "x@example.com" });
    expect(extracted.record.attempts.map((x) => x.outcome)).toEqual(["invalid_json", "ok"]);
    // JSON mode was asked of each provider in its own way.
    expect(json.a.requests[0]?.body.response_format).toEqual({ type: "json_object" });
  });

  it("rejects with every attempt listed when all fail, and names unknown routes", async () => {
    const { providers } = await threeProviders({
      a: [{ error: 401, message: "Incorrect API key provided: sk-abcdefghijkl1234" }],
      b: [{ error: 401 }],
      c: [{ error: 403 }],
    });
    const { instance, analytics } = orchestrator({ providers, routes: { main: chain() } });
    const failure = await instance.complete(ask("hi"), tenant, { signal: signal() }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AllModelsFailedError);
    expect((failure as Error).message).toMatch(/a\/model-a: auth.*b\/model-b: auth.*c\/model-c: auth/);
    expect((failure as Error).message).not.toContain("abcdefghijkl1234");
    expect(JSON.stringify(analytics.events)).not.toContain("abcdefghijkl1234");
    expect((failure as Error).message).toContain("sk-[redacted]");
    expect(analytics.ofType(MODEL_EVENT_TYPES.call)[0]?.properties.outcome).toBe("failed");
    await expect(instance.complete(ask("hi", "nope"), tenant, { signal: signal() })).rejects.toThrow(
      RouteNotFoundError,
    );
  });
});

describe("unknown routes", () => {
  it("answer through the default route when asked to, keeping the requested name in the record", async () => {
    const { a, providers } = await threeProviders();
    const config = { providers, routes: { main: chain() }, defaultRoute: "main" };
    const strict = orchestrator(config);
    await expect(strict.instance.complete(ask("hi", "fast"), tenant, { signal: signal() })).rejects.toThrow(
      RouteNotFoundError,
    );
    const lenient = orchestrator(config, { unknownRoutes: "default" });
    const response = await lenient.instance.complete(ask("hi", "fast"), tenant, { signal: signal() });
    expect(response.text).toBe("from A");
    expect(response.record).toMatchObject({ requestedRoute: "fast", route: "main", outcome: "ok" });
    expect(a.requests).toHaveLength(1);
    // Without any default route there is nothing to fall back to.
    const none = orchestrator({ providers, routes: { main: chain() } }, { unknownRoutes: "default" });
    await expect(none.instance.complete(ask("hi", "fast"), tenant, { signal: signal() })).rejects.toThrow(
      RouteNotFoundError,
    );
  });
});

describe("retries and circuit breakers", () => {
  it("honours Retry-After before retrying the same model", async () => {
    const { a, providers } = await threeProviders({ a: [{ error: 429, retryAfterSeconds: 1 }] });
    const { instance } = orchestrator({ providers, routes: { main: chain() } });
    const response = await instance.complete(ask("hi"), tenant, { signal: signal() });
    expect(response.text).toBe("from A");
    expect(a.requests).toHaveLength(2);
    const waited = (a.requests[1]?.at ?? 0) - (a.requests[0]?.at ?? 0);
    expect(waited).toBeGreaterThanOrEqual(950);
    expect(response.record.attempts.map((x) => x.outcome)).toEqual(["rate_limited", "ok"]);
  });

  it("moves to the next model at once when Retry-After is longer than the route accepts", async () => {
    const { a, b, providers } = await threeProviders({ a: [{ error: 429, retryAfterSeconds: 60 }] });
    const { instance } = orchestrator({ providers, routes: { main: chain() } });
    const started = Date.now();
    const response = await instance.complete(ask("hi"), tenant, { signal: signal() });
    expect(response.text).toBe("from B");
    expect(a.requests).toHaveLength(1);
    expect(b.requests).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("opens a model's circuit after consecutive failures, then half-opens and closes", async () => {
    const { a, providers } = await threeProviders({ a: [{ error: 500 }, { error: 500 }, { error: 500 }] });
    const { instance } = orchestrator({
      providers,
      routes: {
        main: chain({ retry: { ...fastRetry, attempts: 1 }, breaker: { failures: 3, halfOpenAfterMs: 300 } }),
      },
    });
    for (let call = 0; call < 3; call++) {
      const response = await instance.complete(ask(`call ${call}`), tenant, { signal: signal() });
      expect(response.text).toBe("from B");
    }
    expect(instance.breakerState("tenant-1", "a", "model-a")).toBe("open");
    // Open: A is not even called.
    const skipped = await instance.complete(ask("call 3"), tenant, { signal: signal() });
    expect(a.requests).toHaveLength(3);
    expect(skipped.record.attempts[0]?.outcome).toBe("circuit_open");
    expect(skipped.text).toBe("from B");
    // After halfOpenAfter, one trial call goes through; it succeeds and closes the circuit.
    await new Promise((resolve) => setTimeout(resolve, 350));
    const trial = await instance.complete(ask("call 4"), tenant, { signal: signal() });
    expect(trial.text).toBe("from A");
    expect(a.requests).toHaveLength(4);
    expect(instance.breakerState("tenant-1", "a", "model-a")).toBe("closed");
  });
});

describe("streaming", () => {
  it("falls back when a stream fails before its first token, and streams the fallback's tokens", async () => {
    const { providers } = await threeProviders({
      a: [{ error: 503 }, { error: 503 }],
      b: [{ reply: "Streamed from B." }],
    });
    const { instance } = orchestrator({ providers, routes: { main: chain() } });
    const tokens: string[] = [];
    const response = await instance.complete(ask("hi"), tenant, {
      signal: signal(),
      onToken: (t) => tokens.push(t),
    });
    expect(tokens.join("")).toBe("Streamed from B.");
    expect(response.text).toBe("Streamed from B.");
    expect(response.record.timeToFirstTokenMs).toBeGreaterThan(0);
  });

  it("says so when a stream fails after tokens reached the caller", async () => {
    const { b, providers } = await threeProviders({ a: [{ streamThenFail: ["Half ", "an "] }] });
    const { instance, analytics } = orchestrator({ providers, routes: { main: chain() } });
    const tokens: string[] = [];
    const failure = await instance
      .complete(ask("hi"), tenant, { signal: signal(), onToken: (t) => tokens.push(t) })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StreamInterruptedError);
    expect((failure as StreamInterruptedError).partialText).toBe("Half an ");
    expect(tokens.join("")).toBe("Half an ");
    expect(b.requests).toHaveLength(0);
    expect(analytics.ofType(MODEL_EVENT_TYPES.call)[0]?.properties.outcome).toBe("interrupted");
  });
});

describe("strategies and preferences", () => {
  it("cost-based: the cheapest model that meets the needs, by the tenant's price table", async () => {
    const { providers } = await threeProviders({ b: [{ reply: '{"x": "1"}' }] });
    const config: TenantModelConfigInput = {
      providers,
      routes: {
        main: chain({
          strategy: "cost",
          targets: [
            { provider: "a", model: "model-a" },
            { provider: "b", model: "model-b" },
            { provider: "c", model: "model-c", json: false },
          ],
        }),
      },
      prices: [
        { provider: "a", model: "model-a", inputPerMillion: 5, outputPerMillion: 15 },
        { provider: "b", model: "model-b", inputPerMillion: 1, outputPerMillion: 2 },
        { provider: "c", model: "model-c", inputPerMillion: 0.1, outputPerMillion: 0.2 },
      ],
    };
    const { instance } = orchestrator(config);
    expect((await instance.complete(ask("hi"), tenant, { signal: signal() })).text).toBe("from C");
    // C cannot do JSON: the cheapest that can is B.
    const json = await instance.complete(
      { ...ask("hi"), extract: { fields: [{ name: "x", type: "string", required: true }] } },
      tenant,
      { signal: signal() },
    );
    expect(json.json).toEqual({ x: "1" });
    expect(json.record.attempts.map((x) => `${x.provider}:${x.outcome}`)).toEqual(["c:skipped", "b:ok"]);
  });

  it("cost-based: skips models whose context is too small", async () => {
    const { providers } = await threeProviders();
    const { instance } = orchestrator({
      providers,
      routes: {
        main: chain({
          strategy: "cost",
          targets: [
            { provider: "c", model: "model-c", contextTokens: 600 },
            { provider: "a", model: "model-a", contextTokens: 100_000 },
          ],
        }),
      },
      prices: [
        { provider: "a", model: "model-a", inputPerMillion: 5, outputPerMillion: 15 },
        { provider: "c", model: "model-c", inputPerMillion: 0.1, outputPerMillion: 0.2 },
      ],
    });
    const response = await instance.complete(ask("word ".repeat(400)), tenant, { signal: signal() });
    expect(response.text).toBe("from A");
    expect(response.record.attempts[0]).toMatchObject({ provider: "c", outcome: "skipped" });
  });

  it("latency-based: the fastest by moving average", async () => {
    const { providers } = await threeProviders({
      a: [{ reply: "slow A", delayMs: 150 }],
      b: [{ reply: "fast B", delayMs: 0 }],
    });
    const { instance } = orchestrator({
      providers,
      routes: {
        main: chain({
          strategy: "latency",
          targets: [
            { provider: "a", model: "model-a" },
            { provider: "b", model: "model-b" },
          ],
        }),
      },
    });
    // Untried models go first (in listed order): the first call measures A, then B is untried.
    expect((await instance.complete(ask("1"), tenant, { signal: signal() })).text).toBe("slow A");
    expect((await instance.complete(ask("2"), tenant, { signal: signal() })).text).toBe("fast B");
    expect((await instance.complete(ask("3"), tenant, { signal: signal() })).text).toBe("from B");
    expect(instance.averageLatency("tenant-1", "a", "model-a")).toBeGreaterThan(
      instance.averageLatency("tenant-1", "b", "model-b") ?? Number.POSITIVE_INFINITY,
    );
  });

  it("applies the tenant preference, the bot's default route and the bot's route overrides", async () => {
    const { providers } = await threeProviders();
    const { instance } = orchestrator({
      providers,
      routes: { main: chain(), cheap: chain({ targets: [{ provider: "c", model: "model-c" }] }) },
      defaultRoute: "main",
      preferredProviders: ["b"],
      bots: { "bot-2": { defaultRoute: "cheap" }, "bot-3": { routeOverrides: { main: "cheap" } } },
    });
    expect((await instance.complete(ask("x", "main"), tenant, { signal: signal() })).text).toBe("from B");
    expect(
      (await instance.complete(ask("x", "default"), { tenantId: "t", botId: "bot-2" }, { signal: signal() }))
        .text,
    ).toBe("from C");
    const overridden = await instance.complete(
      ask("x", "main"),
      { tenantId: "t", botId: "bot-3" },
      { signal: signal() },
    );
    expect(overridden.text).toBe("from C");
    expect(overridden.record).toMatchObject({ requestedRoute: "main", route: "cheap" });
  });
});

describe("cache, costs and budgets", () => {
  it("serves a repeated request from the cache and marks the hit", async () => {
    const { a, providers } = await threeProviders();
    const { instance, analytics } = orchestrator(
      { providers, routes: { main: chain({ cache: { enabled: true, ttlSeconds: 60 } }) } },
      { cache: new MemoryCache() },
    );
    const first = await instance.complete(ask("What  are your hours?"), tenant, { signal: signal() });
    const tokens: string[] = [];
    const second = await instance.complete(ask("What are your hours? "), tenant, {
      signal: signal(),
      onToken: (t) => tokens.push(t),
    });
    expect(first.record.cacheHit).toBe(false);
    expect(second.record.cacheHit).toBe(true);
    expect(second.text).toBe(first.text);
    expect(tokens.join("")).toBe(first.text);
    expect(second.record.costUsd).toBe(0);
    expect(a.requests).toHaveLength(1);
    expect(analytics.ofType(MODEL_EVENT_TYPES.call).map((e) => e.properties.cacheHit)).toEqual([false, true]);
    // Another tenant does not share the entry.
    await instance.complete(ask("What are your hours?"), { tenantId: "tenant-2" }, { signal: signal() });
    expect(a.requests).toHaveLength(2);
  });

  it("computes cost from the editable price table", async () => {
    const { providers } = await threeProviders({
      a: [{ reply: "priced", usage: { input: 1_000, output: 500 } }],
    });
    const { instance } = orchestrator({
      providers,
      routes: { main: chain() },
      prices: [{ provider: "a", model: "model-a", inputPerMillion: 2, outputPerMillion: 8 }],
    });
    const response = await instance.complete(ask("hi"), tenant, { signal: signal() });
    expect(response.usage).toEqual({ inputTokens: 1_000, outputTokens: 500 });
    // 1000 * 2 / 1e6 + 500 * 8 / 1e6
    expect(response.record.costUsd).toBeCloseTo(0.006, 10);
    expect(response.record.priced).toBe(true);
  });

  it("warns at 80%, then blocks when the bot's cap is reached", async () => {
    const { a, providers } = await threeProviders({ a: [] });
    const budgets = new MemoryBudgetStore([
      {
        id: "bud-1",
        tenantId: "tenant-1",
        botId: "bot-1",
        monthlyLimitUsd: 0.01,
        action: "block",
        periodStart: "2026-11-01",
      },
    ]);
    const { instance, analytics } = orchestrator(
      {
        providers,
        routes: { main: chain() },
        // 10 input + 5 output tokens at these prices: $0.0045 a call.
        prices: [{ provider: "a", model: "model-a", inputPerMillion: 300, outputPerMillion: 300 }],
      },
      { budgets, now: () => new Date("2026-11-22T10:00:00Z") },
    );
    await instance.complete(ask("1"), tenant, { signal: signal() });
    expect(analytics.ofType(MODEL_EVENT_TYPES.budgetWarning)).toHaveLength(0);
    await instance.complete(ask("2"), tenant, { signal: signal() }); // 0.009 = 90%
    const warnings = analytics.ofType(MODEL_EVENT_TYPES.budgetWarning);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.properties).toMatchObject({ budgetId: "bud-1", scope: "bot", percent: 90 });
    await instance.complete(ask("3"), tenant, { signal: signal() }); // 0.0135: over the cap
    expect(analytics.ofType(MODEL_EVENT_TYPES.budgetWarning)).toHaveLength(1);
    await expect(instance.complete(ask("4"), tenant, { signal: signal() })).rejects.toThrow(
      BudgetExceededError,
    );
    expect(a.requests).toHaveLength(3);
    expect(analytics.ofType(MODEL_EVENT_TYPES.call).at(-1)?.properties.outcome).toBe("blocked");
    // Another bot of the tenant is not affected by this bot's cap.
    await instance.complete(ask("5"), { tenantId: "tenant-1", botId: "bot-9" }, { signal: signal() });
    expect(a.requests).toHaveLength(4);
    // A new month resets the spend.
    const nextMonth = orchestrator(
      { providers, routes: { main: chain() } },
      { budgets, now: () => new Date("2026-12-02T10:00:00Z") },
    );
    await nextMonth.instance.complete(ask("6"), tenant, { signal: signal() });
    expect(a.requests).toHaveLength(5);
  });

  it("downgrades to the budget's route when the tenant's cap is reached", async () => {
    const { a, c, providers } = await threeProviders();
    const budgets = new MemoryBudgetStore([
      {
        id: "bud-t",
        tenantId: "tenant-1",
        monthlyLimitUsd: 1,
        spentUsd: 1,
        action: "downgrade",
        downgradeRoute: "cheap",
        periodStart: "2026-11-01",
      },
    ]);
    const { instance } = orchestrator(
      {
        providers,
        routes: { main: chain(), cheap: chain({ targets: [{ provider: "c", model: "model-c" }] }) },
      },
      { budgets, now: () => new Date("2026-11-22T10:00:00Z") },
    );
    const response = await instance.complete(ask("hi"), tenant, { signal: signal() });
    expect(response.text).toBe("from C");
    expect(response.record).toMatchObject({ route: "cheap", budgetDowngraded: true });
    expect(a.requests).toHaveLength(0);
    expect(c.requests).toHaveLength(1);
  });
});

describe("PII masking", () => {
  const raw = {
    email: "jane.doe@example.com",
    phone: "+44 20 7946 0958",
    card: "4111 1111 1111 1111",
    iban: "DE89 3704 0044 0532 0130 00",
    ssn: "123-45-6789",
    name: "Jane Doe",
  };
  const prompt =
    `I am ${raw.name}, mail ${raw.email}, phone ${raw.phone}, card ${raw.card}, ` +
    `IBAN ${raw.iban}, SSN ${raw.ssn}. Also 1234 5678 9012 3456 is not a card.`;

  it("never sends the raw values, and puts them back into the reply (streamed too)", async () => {
    for (const protocol of ["a", "b", "c"] as const) {
      const echo = (request: { raw: string }): FakeBehavior => {
        const placeholders = request.raw.match(/\[(EMAIL|PHONE|CARD|IBAN|NATIONAL_ID|NAME)_\d+\]/g) ?? [];
        return { reply: `Thanks ${placeholders.join(" ")} done` };
      };
      const server = await startFakeProvider({
        protocol: protocol === "a" ? "openai" : protocol === "b" ? "anthropic" : "google",
        forbidden: Object.values(raw),
        otherwise: echo,
      });
      servers.push(server);
      const { instance } = orchestrator({
        providers: [
          protocol === "a"
            ? { name: "p", kind: "openai", apiKey: "k", baseUrl: server.baseUrl }
            : {
                name: "p",
                kind: protocol === "b" ? "anthropic" : "google",
                apiKey: "k",
                baseUrl: server.origin,
              },
        ],
        routes: { main: { targets: [{ provider: "p", model: "m" }], pii: { enabled: true } } },
      });
      const tokens: string[] = [];
      const response = await instance.complete(
        ask(prompt),
        { ...tenant, knownNames: [raw.name] },
        { signal: signal(), onToken: (t) => tokens.push(t) },
      );
      expect(server.violations).toEqual([]);
      expect(server.requests[0]?.raw).toContain("[EMAIL_1]");
      expect(server.requests[0]?.raw).toContain("1234 5678 9012 3456"); // fails Luhn: not a card
      const expected = `Thanks ${raw.name} ${raw.email} ${raw.phone} ${raw.card} ${raw.iban} ${raw.ssn} done`;
      expect(response.text).toBe(expected);
      expect(tokens.join("")).toBe(expected);
      expect(response.record.piiMasked).toBe(6);
    }
  });
});

describe("engine ports", () => {
  it("serves the engine's LlmPort for one tenant, bot and conversation", async () => {
    const { a, providers } = await threeProviders();
    const { instance, analytics } = orchestrator({ providers, routes: { main: chain() } });
    const port: LlmPort = instance.llmPort({
      tenantId: "tenant-1",
      botId: "bot-1",
      conversationId: "conv-1",
    });
    const response = await port.complete(ask("hello"), { signal: signal() });
    expect(llmResponseSchema.parse(response)).toMatchObject({ text: "from A", model: "a/model-a" });
    expect(a.requests).toHaveLength(1);
    expect(analytics.events[0]).toMatchObject({
      tenantId: "tenant-1",
      botId: "bot-1",
      conversationId: "conv-1",
    });
  });
});

describe("names the engine knows", () => {
  it("masks the names passed with an LlmPort call and puts them back", async () => {
    const server = await startFakeProvider({
      protocol: "openai",
      forbidden: ["Jane Doe", "Jane"],
      otherwise: (request) => ({ reply: `Hi ${/\[NAME_\d+\]/.exec(request.raw)?.[0] ?? "there"}!` }),
    });
    servers.push(server);
    const { instance } = orchestrator({
      providers: [{ name: "p", kind: "openai", apiKey: "k", baseUrl: server.baseUrl }],
      routes: { main: { targets: [{ provider: "p", model: "m" }], pii: { enabled: true } } },
    });
    const port = instance.llmPort({ tenantId: "tenant-1", botId: "bot-1", conversationId: "conv-1" });
    const tokens: string[] = [];
    const response = await port.complete(ask("Greet Jane Doe, or just Jane."), {
      signal: signal(),
      onToken: (token) => tokens.push(token),
      knownNames: ["Jane Doe", "Jane", "Doe"],
    });
    expect(server.violations).toEqual([]);
    expect(server.requests[0]?.raw).toContain("Greet [NAME_1], or just [NAME_2].");
    expect(response.text).toBe("Hi Jane Doe!");
    expect(tokens.join("")).toBe("Hi Jane Doe!");
  });
});

describe("response cache in Redis", () => {
  it("shares cached answers between orchestrators (processes) through Redis", async (context) => {
    const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      connectTimeout: 1_000,
    });
    redis.on("error", () => {});
    try {
      await redis.connect();
    } catch {
      redis.disconnect();
      context.skip();
      return;
    }
    const prefix = `parley-models-test-${process.pid}-${Date.now()}:`;
    try {
      const { a, providers } = await threeProviders();
      const config = { providers, routes: { main: chain({ cache: { enabled: true, ttlSeconds: 30 } }) } };
      const first = orchestrator(config, { cache: new RedisCache(redis, prefix) });
      const second = orchestrator(config, { cache: new RedisCache(redis, prefix) });
      await first.instance.complete(ask("shared question"), tenant, { signal: signal() });
      const hit = await second.instance.complete(ask("shared question"), tenant, { signal: signal() });
      expect(hit.record.cacheHit).toBe(true);
      expect(hit.text).toBe("from A");
      expect(a.requests).toHaveLength(1);
      const ttl = await redis.pttl((await redis.keys(`${prefix}*`))[0] ?? "");
      expect(ttl).toBeGreaterThan(25_000);
    } finally {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
  });
});
