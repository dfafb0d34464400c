import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createGuardedHttpClient } from "@parley/infra";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot } from "../bots/bots";
import type { CoreDeps, ServiceContext } from "../context";
import { startConversation } from "../conversations/conversations";
import { ServiceError } from "../errors";
import { createFlow, exportFlow, publishFlow } from "../flows/flows";
import { createHarness, type Harness, seedTenant } from "../test-support/harness";
import { createIntegration, deleteIntegration, listIntegrations, updateIntegration } from "./integrations";

const SECRET = "sk-live-SECRET-7f3a9c";

/** A flow whose first step calls `url` through integration `integration`, then says what came back. */
function lookupFlow(
  integration: string,
  url: string,
  headers: Record<string, string> = { "X-Trace": "flow" },
) {
  const at = { x: 0, y: 0 };
  return {
    version: 1,
    id: "order-lookup",
    name: "Order lookup",
    variables: [
      { name: "orderStatus", type: "string" },
      { name: "echoed", type: "string" },
    ],
    nodes: [
      { id: "start", kind: "start", position: at, data: {} },
      {
        id: "lookup",
        kind: "http",
        position: at,
        data: {
          integrationId: integration,
          method: "GET",
          url,
          headers,
          responseMapping: [
            { variable: "orderStatus", expression: "body.status" },
            { variable: "echoed", expression: "$string(body.seen)" },
          ],
        },
      },
      {
        id: "say",
        kind: "message",
        position: at,
        data: { text: "Status {{ orderStatus }}; seen {{ echoed }}" },
      },
      { id: "failed", kind: "message", position: at, data: { text: "Lookup failed: {{ sys.lastError }}" } },
      { id: "done", kind: "end", position: at, data: {} },
      { id: "done-failed", kind: "end", position: at, data: {} },
    ],
    edges: [
      { id: "e1", source: "start", sourceHandle: "next", target: "lookup" },
      { id: "e2", source: "lookup", sourceHandle: "success", target: "say" },
      { id: "e3", source: "lookup", sourceHandle: "error", target: "failed" },
      { id: "e4", source: "say", sourceHandle: "next", target: "done" },
      { id: "e5", source: "failed", sourceHandle: "next", target: "done-failed" },
    ],
  };
}

/** A loopback HTTP server that records requests; `/v1/orders/*` echoes the headers it saw. */
async function recordingServer(redirectTo?: () => string) {
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
  const server: Server = createServer((request, response) => {
    seen.push({ url: request.url ?? "", headers: request.headers });
    if (request.url?.startsWith("/v1/redirect") && redirectTo) {
      response.writeHead(302, { location: redirectTo() }).end();
      return;
    }
    response.writeHead(200, {
      "content-type": "application/json",
      "x-echo": String(request.headers.authorization),
    });
    response.end(JSON.stringify({ status: "shipped", seen: request.headers }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { seen, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let harness: Harness;
let deps: CoreDeps;
const logged: unknown[] = [];
let api: Awaited<ReturnType<typeof recordingServer>>;
let elsewhere: Awaited<ReturnType<typeof recordingServer>>;

beforeAll(async () => {
  harness = await createHarness();
  const record = (fields: unknown, message?: string) => logged.push([fields, message]);
  deps = {
    ...harness.deps,
    http: createGuardedHttpClient({ allowLoopback: true }),
    logger: { debug: record, info: record, warn: record, error: record },
  };
  elsewhere = await recordingServer();
  api = await recordingServer(() => `${elsewhere.url}/v1/orders/stolen`);
}, 60_000);
afterAll(async () => {
  await api?.close();
  await elsewhere?.close();
  await harness?.cleanup();
});

/** A tenant (with deps that can call out) and a published bot running `document`. */
async function botRunning(name: string, document: Record<string, unknown>) {
  const seed = await seedTenant(deps, name);
  const ctx: ServiceContext = { ...seed.ctx, deps };
  const bot = await createBot(ctx, { name: `${name} bot` });
  const flow = await createFlow(ctx, { botId: bot.id, document });
  await publishFlow(ctx, flow.id, {});
  return { ctx, bot, flow, tenantId: seed.tenant.id };
}

const said = (messages: { type: string; text?: string }[]) =>
  messages
    .filter((m) => m.type === "text")
    .map((m) => m.text)
    .join("\n");

describe("integration credentials on http nodes", () => {
  it("injects bearer credentials and default headers, confined to the base URL, and never lets the secret out", async () => {
    const { ctx, bot, flow, tenantId } = await botRunning("Orders", lookupFlow("orders-api", "/orders/42"));
    const integration = await createIntegration(ctx, {
      name: "orders-api",
      config: { baseUrl: `${api.url}/v1`, headers: { "X-Client": "parley" } },
      credentials: { type: "bearer", token: SECRET },
    });
    expect(integration.credentials).toMatchObject({ type: "bearer", fields: { token: "set …3a9c" } });

    const before = api.seen.length;
    const reply = await startConversation(ctx, bot.id, {});
    const request = api.seen.slice(before).at(-1)!;
    expect(request.url).toBe("/v1/orders/42");
    expect(request.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(request.headers["x-client"]).toBe("parley");
    expect(request.headers["x-trace"]).toBe("flow");
    // The service echoed the header back: the flow sees it redacted.
    expect(said(reply.messages)).toContain("Status shipped");
    expect(said(reply.messages)).toContain("Bearer [redacted]");

    // Nowhere the flow, people or logs can look: transcript, state, analytics, audit, exports, lists.
    const stored = await harness.deps.db.system.$queryRaw<{ text: string }[]>`
      SELECT payload::text AS text FROM messages WHERE tenant_id = ${tenantId}
      UNION ALL SELECT snapshot::text || variables::text FROM conversations WHERE tenant_id = ${tenantId}
      UNION ALL SELECT properties::text FROM analytics_events WHERE tenant_id = ${tenantId}
      UNION ALL SELECT coalesce(before::text, '') || coalesce(after::text, '') FROM audit_log WHERE tenant_id = ${tenantId}
      UNION ALL SELECT config::text || coalesce(credentials_ciphertext, '') FROM integrations WHERE tenant_id = ${tenantId}`;
    expect(stored.length).toBeGreaterThan(3);
    for (const row of stored) expect(row.text).not.toContain(SECRET);
    expect(JSON.stringify(await exportFlow(ctx, flow.id))).not.toContain(SECRET);
    expect(JSON.stringify(await listIntegrations(ctx))).not.toContain(SECRET);
    expect(JSON.stringify(logged)).not.toContain(SECRET);
  }, 60_000);

  it("supports basic and custom-header credentials, picks up changes at once, and fails cleanly without them", async () => {
    const { ctx, bot } = await botRunning("Kinds", lookupFlow("crm", "orders/7"));
    const integration = await createIntegration(ctx, {
      name: "crm",
      config: { baseUrl: `${api.url}/v1/` },
      credentials: { type: "basic", username: "parley", password: SECRET },
    });
    await startConversation(ctx, bot.id, {});
    expect(api.seen.at(-1)?.headers.authorization).toBe(
      `Basic ${Buffer.from(`parley:${SECRET}`).toString("base64")}`,
    );

    await updateIntegration(ctx, integration.id, {
      credentials: { type: "header", name: "X-Api-Key", value: SECRET },
    });
    const reply = await startConversation(ctx, bot.id, {});
    expect(api.seen.at(-1)?.headers["x-api-key"]).toBe(SECRET);
    expect(api.seen.at(-1)?.headers.authorization).toBeUndefined();
    expect(JSON.stringify(reply)).not.toContain(SECRET);

    await deleteIntegration(ctx, integration.id);
    const gone = await startConversation(ctx, bot.id, {});
    expect(said(gone.messages)).toContain('there is no integration "crm"');
  }, 60_000);

  it("never sends credentials outside the base URL: no escaping paths, no cross-origin redirects, no other tenant's integration", async () => {
    const absolute = await botRunning("Escape", lookupFlow("api", "https://evil.example/steal"));
    await createIntegration(absolute.ctx, {
      name: "api",
      config: { baseUrl: `${api.url}/v1/orders` },
      credentials: { type: "bearer", token: SECRET },
    });
    const seenBefore = api.seen.length;
    const refused = await startConversation(absolute.ctx, absolute.bot.id, {});
    expect(said(refused.messages)).toContain("leaves the integration's base URL");
    expect(api.seen.length).toBe(seenBefore);

    const dotted = await botRunning("Dotted", lookupFlow("api", "/../admin"));
    await createIntegration(dotted.ctx, {
      name: "api",
      config: { baseUrl: `${api.url}/v1/orders` },
      credentials: { type: "bearer", token: SECRET },
    });
    expect(said((await startConversation(dotted.ctx, dotted.bot.id, {})).messages)).toContain(
      "leaves the integration's base URL",
    );

    const redirected = await botRunning("Redirect", lookupFlow("api", "/redirect"));
    await createIntegration(redirected.ctx, {
      name: "api",
      config: { baseUrl: `${api.url}/v1` },
      credentials: { type: "bearer", token: SECRET },
    });
    const elsewhereBefore = elsewhere.seen.length;
    const reply = await startConversation(redirected.ctx, redirected.bot.id, {});
    // The 302 to another origin comes back as the response (error branch); it is not followed.
    expect(said(reply.messages)).toContain("HTTP 302");
    expect(elsewhere.seen.length).toBe(elsewhereBefore);

    // Another tenant naming this tenant's integration by id gets nothing.
    const owner = await botRunning("Owner", lookupFlow("x", "/x"));
    const foreignIntegration = await createIntegration(owner.ctx, {
      name: "private",
      config: { baseUrl: `${api.url}/v1` },
      credentials: { type: "bearer", token: SECRET },
    });
    const thief = await botRunning("Thief", lookupFlow(foreignIntegration.id, "/orders/1"));
    const stolen = await startConversation(thief.ctx, thief.bot.id, {});
    expect(said(stolen.messages)).toContain("there is no integration");
  }, 60_000);

  it("validates what it stores and keeps names unique per tenant", async () => {
    const { ctx } = await botRunning("Validation", lookupFlow("a", "/a"));
    const invalid = await createIntegration(ctx, {
      name: "bad",
      config: { baseUrl: "ftp://x", headers: { Authorization: "Bearer inline" } },
    }).catch((error: ServiceError) => error);
    expect(invalid).toBeInstanceOf(ServiceError);
    expect((invalid as ServiceError).details.errors?.map((e) => e.path).sort()).toEqual([
      "config.baseUrl",
      "config.headers",
    ]);
    await createIntegration(ctx, { name: "dup", config: { baseUrl: "https://api.example.com" } });
    const duplicate = await createIntegration(ctx, {
      name: "dup",
      config: { baseUrl: "https://api.example.com" },
    }).catch((error: ServiceError) => error);
    expect((duplicate as ServiceError).code).toBe("integration-name-taken");
    const viewer: ServiceContext = {
      ...ctx,
      actor: { type: "user", userId: "u", role: "viewer", label: "v" },
    };
    await expect(listIntegrations(viewer)).rejects.toMatchObject({ kind: "forbidden" });
  }, 60_000);
});
