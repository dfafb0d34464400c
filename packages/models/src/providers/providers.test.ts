import { afterEach, describe, expect, it } from "vitest";
import {
  type FakeProtocol,
  type FakeProvider,
  startFakeProvider,
} from "../test-support/fake-provider-server";
import { createProvider } from "./create-provider";
import type { ProviderKind } from "./provider";
import { ProviderError } from "./provider-error";

interface Case {
  kind: ProviderKind;
  protocol: FakeProtocol;
  /** Path the client must call. */
  path: RegExp;
  baseUrl: (server: FakeProvider) => string;
}

const cases: Case[] = [
  { kind: "openai", protocol: "openai", path: /^\/v1\/chat\/completions$/, baseUrl: (s) => s.baseUrl },
  {
    kind: "openai_compatible",
    protocol: "openai",
    path: /^\/v1\/chat\/completions$/,
    baseUrl: (s) => s.baseUrl,
  },
  {
    kind: "azure_openai",
    protocol: "openai",
    path: /^\/openai\/deployments\/the-model\/chat\/completions$/,
    baseUrl: (s) => s.origin,
  },
  { kind: "anthropic", protocol: "anthropic", path: /^\/v1\/messages$/, baseUrl: (s) => s.origin },
  {
    kind: "google",
    protocol: "google",
    path: /^\/v1beta\/models\/the-model:(stream)?[gG]enerateContent$/,
    baseUrl: (s) => s.origin,
  },
  { kind: "huggingface", protocol: "openai", path: /^\/v1\/chat\/completions$/, baseUrl: (s) => s.origin },
];

const servers: FakeProvider[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function setUp(testCase: Case, script: Parameters<typeof startFakeProvider>[0]["script"]) {
  const server = await startFakeProvider({ protocol: testCase.protocol, script: script ?? [] });
  servers.push(server);
  const provider = createProvider({
    name: `test-${testCase.kind}`,
    kind: testCase.kind,
    apiKey: "test-key",
    baseUrl: testCase.baseUrl(server),
  });
  return { server, provider };
}

const messages = [
  { role: "system" as const, content: "Be brief." },
  { role: "user" as const, content: "What is the refund window?" },
];

describe.each(cases)("$kind through its official client", (testCase) => {
  it("completes without streaming and reports usage", async () => {
    const { server, provider } = await setUp(testCase, [
      { reply: "Thirty days.", usage: { input: 12, output: 3 } },
    ]);
    const result = await provider.complete(
      { model: "the-model", messages, json: false },
      { signal: AbortSignal.timeout(5_000) },
    );
    expect(result.text).toBe("Thirty days.");
    expect(result.usage).toEqual({ inputTokens: 12, outputTokens: 3 });
    expect(server.requests[0]?.path).toMatch(testCase.path);
    // The user's question reached the server in the provider's own request format.
    expect(server.requests[0]?.raw).toContain("What is the refund window?");
  });

  it("streams tokens over SSE", async () => {
    const { server, provider } = await setUp(testCase, [
      { reply: "You have thirty days.", usage: { input: 12, output: 5 } },
    ]);
    const tokens: string[] = [];
    const result = await provider.complete(
      { model: "the-model", messages, json: false },
      { signal: AbortSignal.timeout(5_000), onToken: (token) => tokens.push(token) },
    );
    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens.join("")).toBe("You have thirty days.");
    expect(result.text).toBe("You have thirty days.");
    expect(result.usage).toEqual({ inputTokens: 12, outputTokens: 5 });
    expect(server.requests[0]?.streaming).toBe(true);
  });

  it("turns a 429 into a rate_limited error with its retry delay", async () => {
    const { provider } = await setUp(testCase, [{ error: 429, retryAfterSeconds: 3 }]);
    const failure = await provider
      .complete({ model: "the-model", messages, json: false }, { signal: AbortSignal.timeout(5_000) })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProviderError);
    expect((failure as ProviderError).failure).toBe("rate_limited");
    expect((failure as ProviderError).details.status).toBe(429);
    // Hugging Face's client does not expose response headers; the others carry the delay.
    if (testCase.kind !== "huggingface") expect((failure as ProviderError).details.retryAfterMs).toBe(3_000);
  });

  it("turns a 500 into a server_error and a refusal into refused", async () => {
    const { provider } = await setUp(testCase, [{ error: 500 }, { refuse: true }]);
    const failure = await provider
      .complete({ model: "the-model", messages, json: false }, { signal: AbortSignal.timeout(5_000) })
      .catch((error: unknown) => error);
    expect((failure as ProviderError).failure).toBe("server_error");
    const refused = await provider.complete(
      { model: "the-model", messages, json: false },
      { signal: AbortSignal.timeout(5_000) },
    );
    expect(refused.refused).toBe(true);
  });

  it("stops a hanging request when the signal aborts", async () => {
    const { provider } = await setUp(testCase, [{ hang: true }]);
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error("node timeout")), 150);
    const failure = await provider
      .complete({ model: "the-model", messages, json: false }, { signal: controller.signal })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProviderError);
    expect((failure as ProviderError).failure).toBe("aborted");
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
