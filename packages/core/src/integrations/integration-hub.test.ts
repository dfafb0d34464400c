import { createHmac } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createGuardedHttpClient, createInfrastructure, type Infrastructure } from "@parley/infra";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot } from "../bots/bots";
import type { CoreDeps, ServiceContext } from "../context";
import { startConversation } from "../conversations/conversations";
import { createFlow, publishFlow } from "../flows/flows";
import { createHarness, type Harness, seedTenant } from "../test-support/harness";
import { sendIntegrationRequest } from "./integration-http";
import { testIntegration } from "./integration-sandbox";
import { integrationUsage } from "./integration-usage";
import { createIntegration, getIntegration, updateIntegration } from "./integrations";
import { completeOAuthConnect, startOAuthConnect } from "./oauth2-connect";
import { publishBreakerClosed } from "./shared-breaker";
import { startGraphqlServer } from "./test-servers/graphql-server";
import { startOAuthServer } from "./test-servers/oauth-server";

const CLIENT = { clientId: "parley-client", clientSecret: "client-SECRET-0042abcd" };

/** A flow whose only step is the http node `data`; it says the mapped `result` or the error. */
function callFlow(data: Record<string, unknown>) {
  const at = { x: 0, y: 0 };
  return {
    version: 1,
    id: "call",
    name: "Call",
    variables: [
      { name: "result", type: "string" },
      { name: "orderId", type: "string", default: "42" },
    ],
    nodes: [
      { id: "start", kind: "start", position: at, data: {} },
      {
        id: "call",
        kind: "http",
        position: at,
        data: { responseMapping: [{ variable: "result", expression: "$string(body)" }], ...data },
      },
      { id: "ok", kind: "message", position: at, data: { text: "OK {{ result }}" } },
      { id: "failed", kind: "message", position: at, data: { text: "Failed: {{ sys.lastError }}" } },
      { id: "done", kind: "end", position: at, data: {} },
      { id: "done-failed", kind: "end", position: at, data: {} },
    ],
    edges: [
      { id: "e1", source: "start", sourceHandle: "next", target: "call" },
      { id: "e2", source: "call", sourceHandle: "success", target: "ok" },
      { id: "e3", source: "call", sourceHandle: "error", target: "failed" },
      { id: "e4", source: "ok", sourceHandle: "next", target: "done" },
      { id: "e5", source: "failed", sourceHandle: "next", target: "done-failed" },
    ],
  };
}

const said = (messages: { type: string; text?: string }[]) =>
  messages
    .filter((m) => m.type === "text")
    .map((m) => m.text)
    .join("\n");

let harness: Harness;
let deps: CoreDeps;
let oauthServer: Awaited<ReturnType<typeof startOAuthServer>>;
let graphqlServer: Awaited<ReturnType<typeof startGraphqlServer>>;

beforeAll(async () => {
  harness = await createHarness();
  deps = { ...harness.deps, http: createGuardedHttpClient({ allowLoopback: true }) };
  oauthServer = await startOAuthServer(CLIENT);
  graphqlServer = await startGraphqlServer();
}, 60_000);
afterAll(async () => {
  await oauthServer?.close();
  await graphqlServer?.close();
  await harness?.cleanup();
});

async function botRunning(name: string, document: Record<string, unknown>, withDeps = deps) {
  const seed = await seedTenant(withDeps, name);
  const ctx: ServiceContext = { ...seed.ctx, deps: withDeps };
  const bot = await createBot(ctx, { name: `${name} bot` });
  const flow = await createFlow(ctx, { botId: bot.id, document });
  await publishFlow(ctx, flow.id, {});
  return { ctx, bot, flow, tenantId: seed.tenant.id };
}

describe("OAuth2 client credentials", () => {
  it("fetches a token once, reuses it across turns, refreshes on expiry and once on a 401", async () => {
    const { ctx, bot } = await botRunning("Cc", callFlow({ integrationId: "cc-api", url: "/api/orders" }));
    await createIntegration(ctx, {
      name: "cc-api",
      config: { baseUrl: oauthServer.url },
      credentials: {
        type: "oauth2-client-credentials",
        tokenUrl: `${oauthServer.url}/token`,
        ...CLIENT,
        scopes: ["orders:read"],
        audience: "orders",
      },
    });
    oauthServer.state.expiresIn = 3600;
    const before = oauthServer.state.tokenCalls;
    for (let turn = 0; turn < 3; turn += 1) {
      expect(said((await startConversation(ctx, bot.id, {})).messages)).toContain('OK {"ok":true');
    }
    expect(oauthServer.state.tokenCalls - before).toBe(1);
    // HTTP Basic client authentication by default (RFC 6749 2.3.1), scope and audience in the form.
    expect(oauthServer.state.lastTokenRequest.authorization).toMatch(/^Basic /);
    expect(oauthServer.state.lastTokenRequest.body).toContain("scope=orders%3Aread");
    expect(oauthServer.state.lastTokenRequest.body).toContain("audience=orders");

    // The API revokes the token: the next call gets 401, refreshes once and succeeds.
    oauthServer.revoke();
    expect(said((await startConversation(ctx, bot.id, {})).messages)).toContain("OK");
    expect(oauthServer.state.tokenCalls - before).toBe(2);

    // A short-lived token is refreshed before it expires.
    const shortLived = await createIntegration(ctx, {
      name: "cc-short",
      config: { baseUrl: oauthServer.url },
      credentials: {
        type: "oauth2-client-credentials",
        tokenUrl: `${oauthServer.url}/token`,
        ...CLIENT,
        clientAuth: "body",
      },
    });
    oauthServer.state.expiresIn = 1;
    const request = { method: "GET" as const, url: "/api/x", headers: {}, integrationId: shortLived.id };
    const calls = oauthServer.state.tokenCalls;
    await sendIntegrationRequest(deps, ctx.tenantId, request, AbortSignal.timeout(5000));
    expect(oauthServer.state.lastTokenRequest.body).toContain("client_secret=");
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const response = await sendIntegrationRequest(deps, ctx.tenantId, request, AbortSignal.timeout(5000));
    expect(response.status).toBe(200);
    expect(oauthServer.state.tokenCalls - calls).toBe(2);
    oauthServer.state.expiresIn = 3600;
    expect((await getIntegration(ctx, shortLived.id)).credentials).toMatchObject({
      type: "oauth2-client-credentials",
      fields: { clientId: CLIENT.clientId, clientSecret: "set …abcd", clientAuth: "body" },
      status: "connected",
    });
  }, 60_000);

  it("shares one token between two processes on one Redis: racing processes fetch it once", async () => {
    const prefix = `parley-oauth-${process.pid}-${Date.now()}:`;
    const infras: Infrastructure[] = [];
    for (let index = 0; index < 2; index += 1) {
      infras.push(
        await createInfrastructure({
          dataDir: mkdtempSync(join(tmpdir(), "parley-oauth-")),
          redisUrl: "redis://127.0.0.1:6379",
          keyPrefix: prefix,
          withQueue: false,
          logger: { info() {}, warn() {}, error() {} } as never,
        }),
      );
    }
    try {
      const [one, two] = infras.map((infra) => ({ ...deps, infra })) as [CoreDeps, CoreDeps];
      const { ctx } = await botRunning("Shared", callFlow({ url: "https://example.com" }), one);
      const integration = await createIntegration(ctx, {
        name: "shared",
        config: { baseUrl: oauthServer.url },
        credentials: { type: "oauth2-client-credentials", tokenUrl: `${oauthServer.url}/token`, ...CLIENT },
      });
      const request = { method: "GET" as const, url: "/api/x", headers: {}, integrationId: integration.id };
      const before = oauthServer.state.tokenCalls;
      const responses = await Promise.all(
        [one, two, one, two, two, one].map((process) =>
          sendIntegrationRequest(process, ctx.tenantId, request, AbortSignal.timeout(10_000)),
        ),
      );
      expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(oauthServer.state.tokenCalls - before).toBe(1);
    } finally {
      for (const infra of infras) await infra.close();
    }
  }, 60_000);

  it("takes the error branch quickly with 'token refresh failed' when the token endpoint hangs", async () => {
    const { ctx, bot } = await botRunning(
      "Down",
      callFlow({ integrationId: "down-api", url: "/api/x", timeoutMs: 20_000 }),
    );
    const integration = await createIntegration(ctx, {
      name: "down-api",
      config: { baseUrl: oauthServer.url, settings: { retries: 0 } },
      credentials: { type: "oauth2-client-credentials", tokenUrl: `${oauthServer.url}/token`, ...CLIENT },
    });
    oauthServer.state.down = true;
    try {
      const started = Date.now();
      const reply = await startConversation(ctx, bot.id, {});
      expect(Date.now() - started).toBeLessThan(8_000);
      expect(said(reply.messages)).toContain("Failed: GET request failed: token refresh failed");
      expect((await getIntegration(ctx, integration.id)).credentials?.status).toBe("token-refresh-failed");
    } finally {
      oauthServer.state.down = false;
    }
  }, 30_000);
});

describe("OAuth2 authorization code with PKCE", () => {
  it("connects, refreshes with the refresh token, and says 'reconnect needed' once it is revoked", async () => {
    const { ctx, bot } = await botRunning("Ac", callFlow({ integrationId: "ac-api", url: "/api/me" }));
    const integration = await createIntegration(ctx, {
      name: "ac-api",
      config: { baseUrl: oauthServer.url },
      credentials: {
        type: "oauth2-authorization-code",
        authorizeUrl: `${oauthServer.url}/authorize`,
        tokenUrl: `${oauthServer.url}/token`,
        ...CLIENT,
        scopes: ["profile"],
      },
    });
    expect(integration.credentials?.status).toBe("not-connected");
    const { authorizeUrl, state } = await startOAuthConnect(
      ctx,
      integration.id,
      { redirectUri: "http://studio.local/integrations/oauth/callback" },
      { binding: "browser-1" },
    );
    expect(new URL(authorizeUrl).searchParams.get("code_challenge_method")).toBe("S256");
    // The browser: the server redirects back to the studio's callback with a code.
    const consent = await fetch(authorizeUrl, { redirect: "manual" });
    const callback = new URL(consent.headers.get("location") ?? "");
    const code = callback.searchParams.get("code") ?? "";
    // Another browser session cannot finish it.
    await expect(completeOAuthConnect(ctx, { state, code }, { binding: "browser-2" })).rejects.toMatchObject({
      code: "oauth-state-invalid",
    });
    const connected = await completeOAuthConnect(ctx, { state, code }, { binding: "browser-1" });
    expect(connected.credentials?.status).toBe("connected");
    expect(said((await startConversation(ctx, bot.id, {})).messages)).toContain("OK");

    // The access token is revoked: refresh with the refresh token (rotated), the call succeeds.
    oauthServer.revoke();
    expect(said((await startConversation(ctx, bot.id, {})).messages)).toContain("OK");
    expect(oauthServer.state.grants.at(-1)).toBe("refresh_token");

    // Access and refresh revoked: reconnect needed.
    oauthServer.revoke({ refresh: true });
    const reply = await startConversation(ctx, bot.id, {});
    expect(said(reply.messages)).toContain("invalid_grant");
    const after = await getIntegration(ctx, integration.id);
    expect(after.credentials?.status).toBe("reconnect-needed");
    expect(JSON.stringify(after)).not.toContain(CLIENT.clientSecret);
  }, 60_000);
});

describe("GraphQL on http nodes", () => {
  it("sends the query with variables from the flow, maps data, and takes the error branch on errors", async () => {
    const query = "query Order($id: ID!) { order(id: $id) { id status total } }";
    const { ctx, bot } = await botRunning(
      "Gql",
      callFlow({
        integrationId: "shop-graphql",
        url: "/graphql",
        graphql: { query, variables: '{ "id": orderId }' },
        responseMapping: [
          { variable: "result", expression: "body.data.order.status & ' ' & $string(body.data.order.total)" },
        ],
      }),
    );
    const integration = await createIntegration(ctx, {
      name: "shop-graphql",
      config: { baseUrl: graphqlServer.url },
    });
    expect(said((await startConversation(ctx, bot.id, {})).messages)).toContain("OK shipped 19.5");
    expect(graphqlServer.seen.at(-1)).toEqual({ query, variables: { id: "42" } });

    const failing = await testIntegration(ctx, integration.id, {
      path: "/graphql",
      graphql: { query, variables: '{ "id": "boom" }' },
    });
    expect(failing.error).toBe("GraphQL error: order service unavailable");
  }, 60_000);
});

/** A server that answers from a script of statuses, records requests, checks an HMAC signature. */
async function scriptedServer() {
  const state = {
    script: [] as { status: number; headers?: Record<string, string> }[],
    hits: 0,
    seen: [] as { url: string; headers: IncomingHttpHeaders; body: string }[],
  };
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      state.hits += 1;
      state.seen.push({ url: request.url ?? "", headers: request.headers, body });
      const next = state.script.shift() ?? { status: 200 };
      const signature = request.headers["x-signature"];
      const valid =
        signature === `sha256=${createHmac("sha256", "hmac-SECRET-key-9876").update(body).digest("hex")}`;
      response.writeHead(next.status, { "content-type": "application/json", ...next.headers });
      response.end(JSON.stringify({ ok: next.status < 300, signatureValid: valid, url: request.url }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    state,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe("resilience, sandbox and usage", () => {
  let api: Awaited<ReturnType<typeof scriptedServer>>;
  beforeAll(async () => {
    api = await scriptedServer();
  });
  afterAll(async () => api?.close());

  it("retries 503 honouring Retry-After, does not retry a failed POST, and opens then half-opens the breaker", async () => {
    const { ctx } = await botRunning("Retry", callFlow({ url: "https://example.com" }));
    const integration = await createIntegration(ctx, {
      name: "flaky",
      config: {
        baseUrl: api.url,
        settings: {
          retries: 2,
          backoff: { initialMs: 10, maxMs: 50 },
          breaker: { failureThreshold: 2, halfOpenAfterMs: 2_000 },
        },
      },
    });
    const get = { method: "GET" as const, url: "/x", headers: {}, integrationId: integration.id };
    api.state.script = [{ status: 503, headers: { "retry-after": "0" } }, { status: 503 }, { status: 200 }];
    const retried = await sendIntegrationRequest(deps, ctx.tenantId, get, AbortSignal.timeout(5000));
    expect(retried).toMatchObject({ status: 200, attempts: 3 });

    api.state.script = [{ status: 500 }];
    const hits = api.state.hits;
    const post = await sendIntegrationRequest(
      deps,
      ctx.tenantId,
      { ...get, method: "POST", body: "{}" },
      AbortSignal.timeout(5000),
    );
    expect(post.status).toBe(500);
    expect(api.state.hits - hits).toBe(1);
    expect((await getIntegration(ctx, integration.id)).breaker).toBe("closed");

    api.state.script = [{ status: 500 }];
    await sendIntegrationRequest(
      deps,
      ctx.tenantId,
      { ...get, method: "POST", body: "{}" },
      AbortSignal.timeout(5000),
    );
    expect((await integrationUsage(ctx, integration.id)).breaker).toBe("open");
    const fastHits = api.state.hits;
    await expect(sendIntegrationRequest(deps, ctx.tenantId, get, AbortSignal.timeout(5000))).rejects.toThrow(
      /circuit breaker .* is open/,
    );
    expect(api.state.hits).toBe(fastHits);

    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await getIntegration(ctx, integration.id)).breaker).toBe("half-open");
    api.state.script = [{ status: 200 }];
    expect((await sendIntegrationRequest(deps, ctx.tenantId, get, AbortSignal.timeout(5000))).status).toBe(
      200,
    );
    expect((await getIntegration(ctx, integration.id)).breaker).toBe("closed");
  }, 30_000);

  it("shares an opened breaker between two processes on one Redis, and a probe closes it for both", async () => {
    const prefix = `parley-breaker-${process.pid}-${Date.now()}:`;
    const infras: Infrastructure[] = [];
    for (let index = 0; index < 2; index += 1) {
      infras.push(
        await createInfrastructure({
          dataDir: mkdtempSync(join(tmpdir(), "parley-breaker-")),
          redisUrl: "redis://127.0.0.1:6379",
          keyPrefix: prefix,
          withQueue: false,
          logger: { info() {}, warn() {}, error() {} } as never,
        }),
      );
    }
    try {
      // Two runtime processes: their own breakers (keyed by deps), one Redis.
      const [first, second] = infras.map((infra) => ({ ...deps, infra })) as [CoreDeps, CoreDeps];
      const { ctx } = await botRunning("Shared breaker", callFlow({ url: "https://example.com" }), first);
      const other: ServiceContext = { ...ctx, deps: second };
      const integration = await createIntegration(ctx, {
        name: "shared-breaker",
        config: {
          baseUrl: api.url,
          settings: { retries: 0, breaker: { failureThreshold: 1, halfOpenAfterMs: 60_000 } },
        },
      });
      const get = { method: "GET" as const, url: "/x", headers: {}, integrationId: integration.id };
      expect((await getIntegration(other, integration.id)).breaker).toBe("closed");

      api.state.script = [{ status: 500 }];
      const failed = await sendIntegrationRequest(first, ctx.tenantId, get, AbortSignal.timeout(5000));
      expect(failed.status).toBe(500);
      // The second process shows it open and fails fast without calling the partner.
      expect((await getIntegration(other, integration.id)).breaker).toBe("open");
      expect((await integrationUsage(other, integration.id)).breaker).toBe("open");
      const hits = api.state.hits;
      await expect(
        sendIntegrationRequest(second, ctx.tenantId, get, AbortSignal.timeout(5000)),
      ).rejects.toThrow(/circuit breaker .* is open after repeated failures \(in another runtime process\)/);
      expect(api.state.hits).toBe(hits);

      // A successful probe (the breaker's reset) clears the shared state for every process.
      await publishBreakerClosed(first, ctx.tenantId, integration.id);
      expect((await getIntegration(other, integration.id)).breaker).toBe("closed");
      api.state.script = [{ status: 200 }];
      const ok = await sendIntegrationRequest(second, ctx.tenantId, get, AbortSignal.timeout(5000));
      expect(ok.status).toBe(200);
    } finally {
      for (const infra of infras) await infra.close();
    }
  }, 30_000);

  it("sandbox: sends an api-key in the query and an HMAC-signed body, masking secrets in what it shows", async () => {
    const { ctx } = await botRunning("Sandbox", callFlow({ url: "https://example.com" }));
    const key = "apikey-SECRET-5555wxyz";
    const integration = await createIntegration(ctx, {
      name: "keyed",
      config: { baseUrl: `${api.url}/v1` },
      credentials: { type: "api-key", name: "api_key", value: key, in: "query" },
    });
    const result = await testIntegration(ctx, integration.id, {
      path: "/orders/{{ orderId }}",
      query: { expand: "{{ expand }}" },
      variables: { orderId: "7 8", expand: "items" },
      responseMapping: [{ variable: "ok", expression: "body.ok" }],
    });
    expect(api.state.seen.at(-1)?.url).toBe(`/v1/orders/7%208?expand=items&api_key=${key}`);
    expect(result.response?.status).toBe(200);
    expect(result.mapping).toEqual({ ok: true });
    expect(result.request.url).toContain("api_key=[redacted]");
    expect(JSON.stringify(result)).not.toContain(key);
    expect(result.timing.totalMs).toBeGreaterThan(0);

    const signed = await createIntegration(ctx, {
      name: "signed",
      config: { baseUrl: api.url },
      credentials: { type: "hmac", secret: "hmac-SECRET-key-9876", header: "X-Signature" },
    });
    const hmac = await testIntegration(ctx, signed.id, {
      method: "POST",
      path: "/hooks",
      body: '{"order":"{{ orderId }}"}',
      variables: { orderId: "42" },
      responseMapping: [{ variable: "valid", expression: "body.signatureValid" }],
    });
    expect(hmac.mapping).toEqual({ valid: true });
    expect(JSON.stringify(hmac)).not.toContain("hmac-SECRET-key-9876");

    // The mock answers instead of the API when asked (as in the test chat).
    await updateIntegration(ctx, signed.id, {
      config: {
        baseUrl: api.url,
        settings: { mock: { enabled: true, status: 200, body: { mocked: "yes" } } },
      },
    });
    const hitsBefore = api.state.hits;
    const mocked = await testIntegration(ctx, signed.id, {
      useMock: true,
      responseMapping: [{ variable: "m", expression: "body.mocked" }],
    });
    expect(mocked).toMatchObject({ mocked: true, mapping: { m: "yes" } });
    expect(api.state.hits).toBe(hitsBefore);
  }, 30_000);

  it("records an integration.call per call in the turn and reports volume, errors, latency and where it is used", async () => {
    const { ctx, bot, flow } = await botRunning("Usage", callFlow({ integrationId: "usage-api", url: "/x" }));
    const integration = await createIntegration(ctx, {
      name: "usage-api",
      config: { baseUrl: api.url, settings: { retries: 0 } },
    });
    api.state.script = [{ status: 200 }, { status: 404 }, { status: 200 }];
    for (let turn = 0; turn < 3; turn += 1) await startConversation(ctx, bot.id, {});
    const usage = await integrationUsage(ctx, integration.id);
    expect(usage).toMatchObject({ calls: 3, errors: 1, errorRate: 0.3333, breaker: "closed" });
    expect(usage.p50Ms).toBeGreaterThan(0);
    expect(usage.p95Ms).toBeGreaterThanOrEqual(usage.p50Ms ?? 0);
    expect(usage.usedBy).toEqual([
      { botId: bot.id, flowId: flow.id, flowName: expect.any(String), nodeIds: ["call"] },
    ]);
  }, 30_000);
});
