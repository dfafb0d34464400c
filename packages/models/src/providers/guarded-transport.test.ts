import { createGuardedHttpClient } from "@parley/infra";
import { afterEach, describe, expect, it } from "vitest";
import {
  type FakeProtocol,
  type FakeProvider,
  startFakeProvider,
} from "../test-support/fake-provider-server";
import { createProvider } from "./create-provider";
import type { ProviderKind } from "./provider";
import { ProviderError } from "./provider-error";

/** Every official client, with the base URL its configuration gives (relative to the server's origin). */
const cases: { kind: ProviderKind; protocol: FakeProtocol; suffix: string }[] = [
  { kind: "openai", protocol: "openai", suffix: "/v1" },
  { kind: "openai_compatible", protocol: "openai", suffix: "/v1" },
  { kind: "azure_openai", protocol: "openai", suffix: "" },
  { kind: "anthropic", protocol: "anthropic", suffix: "" },
  { kind: "google", protocol: "google", suffix: "" },
  { kind: "huggingface", protocol: "openai", suffix: "" },
];

const servers: FakeProvider[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const messages = [{ role: "user" as const, content: "What is the refund window?" }];
const loopback = createGuardedHttpClient({ allowLoopback: true, allowedHosts: [] });
const strict = createGuardedHttpClient({ allowedHosts: [] });

async function failureOf(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe.each(cases)("$kind through the guarded fetch", ({ kind, protocol, suffix }) => {
  it("streams tokens over SSE when the destination is allowed", async () => {
    const server = await startFakeProvider({
      protocol,
      script: [{ reply: "You have thirty days.", usage: { input: 9, output: 5 } }],
    });
    servers.push(server);
    const provider = createProvider(
      { name: kind, kind, apiKey: "k", baseUrl: `${server.origin}${suffix}` },
      { fetch: loopback.fetch },
    );
    const tokens: string[] = [];
    const result = await provider.complete(
      { model: "the-model", messages, json: false },
      { signal: AbortSignal.timeout(5_000), onToken: (token) => tokens.push(token) },
    );
    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens.join("")).toBe("You have thirty days.");
    expect(result.text).toBe("You have thirty days.");
    expect(server.requests[0]?.streaming).toBe(true);
  });

  it("is refused before anything is sent to loopback or the metadata address", async () => {
    const server = await startFakeProvider({ protocol });
    servers.push(server);
    const toLoopback = createProvider(
      { name: kind, kind, apiKey: "k", baseUrl: `${server.origin}${suffix}` },
      { fetch: strict.fetch },
    );
    const refused = await failureOf(
      toLoopback.complete(
        { model: "the-model", messages, json: false },
        { signal: AbortSignal.timeout(5_000) },
      ),
    );
    expect(refused.failure).toBe("blocked");
    expect(refused.retryable).toBe(false);
    expect(refused.unhealthy).toBe(false);
    expect(refused.message).toMatch(/refused to contact 127\.0\.0\.1: .*loopback/);
    expect(server.requests).toHaveLength(0);

    // Loopback allowed (as in tests) still leaves link-local metadata refused.
    const toMetadata = createProvider(
      { name: kind, kind, apiKey: "k", baseUrl: `http://169.254.169.254${suffix}` },
      { fetch: loopback.fetch },
    );
    const metadata = await failureOf(
      toMetadata.complete(
        { model: "the-model", messages, json: false },
        { signal: AbortSignal.timeout(5_000), onToken: () => {} },
      ),
    );
    expect(metadata.failure).toBe("blocked");
    expect(metadata.message).toContain("169.254.169.254");
  });

  it("stops a hanging call when its signal aborts", async () => {
    const server = await startFakeProvider({ protocol, script: [{ hang: true }] });
    servers.push(server);
    const provider = createProvider(
      { name: kind, kind, apiKey: "k", baseUrl: `${server.origin}${suffix}` },
      { fetch: loopback.fetch },
    );
    const started = performance.now();
    const failure = await failureOf(
      provider.complete(
        { model: "the-model", messages, json: false },
        { signal: AbortSignal.timeout(300), onToken: () => {} },
      ),
    );
    expect(failure.failure).toBe("aborted");
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});

describe("embeddings through the guarded fetch", () => {
  it("embeds when allowed and is refused for a private address", async () => {
    const server = await startFakeProvider({ protocol: "openai" });
    servers.push(server);
    const allowed = createProvider(
      { name: "e", kind: "openai", apiKey: "k", baseUrl: server.baseUrl },
      { fetch: loopback.fetch },
    );
    const result = await allowed.embed?.(
      { model: "text-embedding-3-small", texts: ["hello", "world"] },
      { signal: AbortSignal.timeout(5_000) },
    );
    expect(result?.vectors).toHaveLength(2);

    const intranet = createGuardedHttpClient({ allowedHosts: [], resolve: async () => ["10.1.2.3"] });
    const refused = createProvider(
      { name: "e", kind: "openai", apiKey: "k", baseUrl: "https://embeddings.corp.example/v1" },
      { fetch: intranet.fetch },
    );
    const failure = await failureOf(
      refused.embed?.({ model: "m", texts: ["x"] }, { signal: AbortSignal.timeout(5_000) }) ??
        Promise.resolve(),
    );
    expect(failure.failure).toBe("blocked");
    expect(failure.message).toMatch(/embeddings\.corp\.example: 10\.1\.2\.3 is a private address/);
  });
});
