import { createGuardedHttpClient } from "@parley/infra";
import { afterEach, describe, expect, it } from "vitest";
import { MemoryAnalyticsSink } from "../accounting/call-record";
import { environmentModelConfig } from "../config/environment";
import { staticConfigSource } from "../config/tenant-model-config";
import { AllModelsFailedError } from "../errors";
import { type FakeProvider, startFakeProvider } from "../test-support/fake-provider-server";
import { ModelOrchestrator } from "./orchestrator";

const servers: FakeProvider[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function server(reply: string) {
  const started = await startFakeProvider({ protocol: "openai", otherwise: { reply } });
  servers.push(started);
  return started;
}

const ask = { route: "main", messages: [{ role: "user" as const, content: "Hello?" }] };
const tenant = { tenantId: "tenant-1", botId: "bot-1" };
const signal = () => AbortSignal.timeout(10_000);
const retry = { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 };

describe("endpoints of providers a tenant configured", () => {
  it("refuses loopback and metadata base URLs at call time, without retrying, then falls back", async () => {
    const local = await server("from a tenant's loopback server");
    const analytics = new MemoryAnalyticsSink();
    // No `outbound`: the default strict guarded client (the operator allowed nothing).
    const orchestrator = new ModelOrchestrator({
      configSource: staticConfigSource({
        providers: [
          { name: "sneaky", kind: "openai_compatible", baseUrl: local.baseUrl },
          { name: "metadata", kind: "openai", apiKey: "k", baseUrl: "http://169.254.169.254/v1" },
          { name: "offline", kind: "offline" },
        ],
        routes: {
          main: {
            targets: [
              { provider: "sneaky", model: "m" },
              { provider: "metadata", model: "m" },
              { provider: "offline", model: "offline" },
            ],
            retry,
          },
        },
      }),
      environment: false,
      analytics,
    });
    const response = await orchestrator.complete(ask, tenant, { signal: signal() });
    expect(response.record.provider).toBe("offline");
    expect(local.requests).toHaveLength(0);
    expect(response.record.attempts).toMatchObject([
      { provider: "sneaky", try: 1, outcome: "blocked", error: expect.stringMatching(/loopback address/) },
      { provider: "metadata", try: 1, outcome: "blocked", error: expect.stringContaining("169.254.169.254") },
      { provider: "offline", outcome: "ok" },
    ]);
    // Refusals are the tenant's configuration, not the model's health: no breaker counts them.
    expect(orchestrator.breakerState("tenant-1", "sneaky", "m")).toBe("closed");
    await expect(orchestrator.checkProviderEndpoint(local.baseUrl)).rejects.toThrow(/loopback/);
  });

  it("refuses a host name that resolves to a private address", async () => {
    const orchestrator = new ModelOrchestrator({
      configSource: staticConfigSource({
        providers: [{ name: "corp", kind: "openai", apiKey: "k", baseUrl: "https://llm.corp.example/v1" }],
        routes: { main: { targets: [{ provider: "corp", model: "m" }], retry } },
      }),
      environment: false,
      outbound: createGuardedHttpClient({ allowedHosts: [], resolve: async () => ["192.168.10.4"] }),
    });
    const failure = await orchestrator.complete(ask, tenant, { signal: signal() }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AllModelsFailedError);
    expect((failure as AllModelsFailedError).attempts).toMatchObject([
      {
        outcome: "blocked",
        error: expect.stringMatching(/llm\.corp\.example: 192\.168\.10\.4 is a private/),
      },
    ]);
  });

  it("reaches a host the operator allowlisted, and streams through the guarded fetch", async () => {
    const local = await server("Hello from the allowed server.");
    const port = new URL(local.origin).port;
    const orchestrator = new ModelOrchestrator({
      configSource: staticConfigSource({
        providers: [{ name: "ollama", kind: "openai_compatible", baseUrl: local.baseUrl }],
        routes: { main: { targets: [{ provider: "ollama", model: "llama" }] } },
      }),
      environment: false,
      outbound: createGuardedHttpClient({ allowedHosts: [`127.0.0.1:${port}`] }),
    });
    const tokens: string[] = [];
    const response = await orchestrator.complete(ask, tenant, {
      signal: signal(),
      onToken: (token) => tokens.push(token),
    });
    expect(response.text).toBe("Hello from the allowed server.");
    expect(tokens.length).toBeGreaterThan(1);
    expect(local.requests[0]?.streaming).toBe(true);
  });

  it("leaves the operator's environment providers alone (OPENAI_BASE_URL on loopback)", async () => {
    const operator = await server("from the operator's server");
    const tenantLocal = await server("from the tenant's server");
    const orchestrator = new ModelOrchestrator({
      configSource: staticConfigSource({
        // Same address, configured by a tenant: refused; the environment's `default` route is not.
        providers: [{ name: "mine", kind: "openai_compatible", baseUrl: tenantLocal.baseUrl }],
        routes: { main: { targets: [{ provider: "mine", model: "m" }], retry } },
      }),
      environment: environmentModelConfig({
        OPENAI_BASE_URL: operator.baseUrl,
        PARLEY_OPENAI_MODEL: "local",
      }),
    });
    const fromEnvironment = await orchestrator.complete({ ...ask, route: "default" }, tenant, {
      signal: signal(),
    });
    expect(fromEnvironment.text).toBe("from the operator's server");
    expect(fromEnvironment.record.provider).toBe("openai");
    const failure = await orchestrator.complete(ask, tenant, { signal: signal() }).catch((e: unknown) => e);
    expect((failure as AllModelsFailedError).attempts[0]?.outcome).toBe("blocked");
    expect(tenantLocal.requests).toHaveLength(0);
  });

  it("trusts every configuration when told they are all the operator's (the CLI's --config)", async () => {
    const local = await server("from a config file's server");
    const orchestrator = new ModelOrchestrator({
      configSource: staticConfigSource({
        providers: [{ name: "local", kind: "openai_compatible", baseUrl: local.baseUrl }],
        routes: { main: { targets: [{ provider: "local", model: "m" }] } },
      }),
      environment: false,
      outbound: "trusted",
    });
    expect((await orchestrator.complete(ask, tenant, { signal: signal() })).text).toBe(
      "from a config file's server",
    );
    await orchestrator.checkProviderEndpoint(local.baseUrl);
  });
});
