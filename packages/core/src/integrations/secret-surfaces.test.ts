import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createGuardedHttpClient } from "@parley/infra";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportAuditCsv } from "../audit/audit-log";
import { createBot } from "../bots/bots";
import type { CoreDeps, ServiceContext } from "../context";
import { startConversation } from "../conversations/conversations";
import { createFlow, exportFlow, publishFlow } from "../flows/flows";
import { runTestTurn } from "../test-chat/test-chat";
import { createHarness, type Harness, seedTenant } from "../test-support/harness";
import { testIntegration } from "./integration-sandbox";
import { createIntegration, getIntegration, listIntegrations } from "./integrations";
import { secretForms } from "./secret-redaction";

const BEARER = "tok_surface+Secret/Value=77";
const QUERY_KEY = "qk_surface_secret_8842";

/** A partner that echoes the request (URL and Authorization) back, and fails on /fail with both in the body. */
async function echoServer() {
  const server: Server = createServer((request, response) => {
    const echoed = { url: request.url, authorization: request.headers.authorization ?? null };
    const status = request.url?.startsWith("/fail") ? 500 : 200;
    response.writeHead(status, { "content-type": "application/json", "x-echo-url": request.url ?? "" });
    response.end(JSON.stringify(echoed));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const at = { x: 0, y: 0 };
/** start -> call the bearer API -> call the query-key API (nothing listens: it fails) -> say both. */
const flow = {
  version: 1,
  id: "surfaces",
  name: "Surfaces",
  variables: [
    { name: "echo", type: "string" },
    { name: "failed", type: "string" },
  ],
  nodes: [
    { id: "start", kind: "start", position: at, data: {} },
    {
      id: "ok",
      kind: "http",
      position: at,
      data: {
        integrationId: "crm",
        method: "GET",
        url: "/echo",
        responseMapping: [{ variable: "echo", expression: "$string(body)" }],
      },
    },
    {
      id: "broken",
      kind: "http",
      position: at,
      data: { integrationId: "keyed", method: "GET", url: "/fail" },
    },
    { id: "said", kind: "message", position: at, data: { text: "Echo {{ echo }}; {{ sys.lastError }}" } },
    { id: "end", kind: "end", position: at, data: {} },
  ],
  edges: [
    { id: "a", source: "start", sourceHandle: "next", target: "ok" },
    { id: "b", source: "ok", sourceHandle: "success", target: "broken" },
    { id: "c", source: "ok", sourceHandle: "error", target: "broken" },
    { id: "d", source: "broken", sourceHandle: "success", target: "said" },
    { id: "e", source: "broken", sourceHandle: "error", target: "said" },
    { id: "f", source: "said", sourceHandle: "next", target: "end" },
  ],
};

let harness: Harness;
let deps: CoreDeps;
let partner: Awaited<ReturnType<typeof echoServer>>;
/** Every line the services logged, as JSON (fields and message). */
const logged: string[] = [];
const capture = (level: string) => (fields: Record<string, unknown>, message: string) => {
  logged.push(JSON.stringify({ level, message, ...fields }));
};

beforeAll(async () => {
  harness = await createHarness();
  partner = await echoServer();
  deps = {
    ...harness.deps,
    http: createGuardedHttpClient({ allowLoopback: true }),
    logger: {
      debug: capture("debug"),
      info: capture("info"),
      warn: capture("warn"),
      error: capture("error"),
    },
  };
}, 60_000);
afterAll(async () => {
  await partner?.close();
  await harness?.cleanup();
});

/** Fails with the surface's name when any form of any secret (raw, base64, URL-encoded, ...) is in `text`. */
function expectNoSecret(surface: string, text: string) {
  for (const secret of [BEARER, QUERY_KEY]) {
    for (const form of secretForms(secret)) expect(text, `${surface} holds ${form}`).not.toContain(form);
  }
}

describe("integration secrets never leave the vault", () => {
  let ctx: ServiceContext;
  let botId: string;
  let flowId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const seed = await seedTenant(deps, "Surfaces");
    ctx = { ...seed.ctx, deps };
    botId = (await createBot(ctx, { name: "Surfaces bot" })).id;
    ids.crm = (
      await createIntegration(ctx, {
        name: "crm",
        config: { baseUrl: partner.url },
        credentials: { type: "bearer", token: BEARER },
      })
    ).id;
    ids.keyed = (
      await createIntegration(ctx, {
        name: "keyed",
        // Nothing listens there: the call fails with a network error (its message names the URL).
        config: { baseUrl: "http://127.0.0.1:9", settings: { retries: 0 } as never },
        credentials: { type: "api-key", name: "api_key", value: QUERY_KEY, in: "query" },
      })
    ).id;
    const created = await createFlow(ctx, { botId, document: flow });
    flowId = created.id;
    await publishFlow(ctx, flowId, {});
  }, 60_000);

  it("not in sandbox output: request masked, echoed response redacted", async () => {
    const ok = await testIntegration(ctx, ids.crm as string, { path: "/echo" });
    expect(ok.response?.status).toBe(200);
    expect(ok.request.headers.authorization).toBe("Bearer [redacted]");
    // By name, as the node inspector's Test request names the node's integration.
    const failed = await testIntegration(ctx, "keyed", { path: "/fail" });
    expect(failed.error).toContain("request failed");
    expect(failed.request.url).toContain("api_key=");
    expectNoSecret("sandbox", JSON.stringify([ok, failed]));
  }, 30_000);

  it("not in a turn's trace (test chat) nor in what a live turn stores and says", async () => {
    const events = await runTestTurn(ctx, {
      botId,
      document: flow,
      snapshot: null,
      event: { type: "conversation.start" },
      conversationId: "surfaces-test",
    });
    const seen: unknown[] = [];
    for await (const event of events) seen.push(event);
    const done = seen.find((event) => (event as { type: string }).type === "done") as {
      result: { trace: { effects: unknown[] } };
    };
    expect(done.result.trace.effects.length).toBe(2);
    expectNoSecret("test chat trace", JSON.stringify(seen));

    const live = await startConversation(ctx, botId, {});
    const said = JSON.stringify(live.messages);
    expect(said).toContain("Echo");
    expect(said).toContain("[redacted]"); // the partner echoed the bearer token back
    const stored = await harness.deps.db.system.$queryRaw<{ text: string }[]>`
      SELECT payload::text AS text FROM messages WHERE tenant_id = ${ctx.tenantId}
      UNION ALL SELECT snapshot::text || variables::text FROM conversations WHERE tenant_id = ${ctx.tenantId}
      UNION ALL SELECT properties::text FROM analytics_events WHERE tenant_id = ${ctx.tenantId}`;
    expect(stored.length).toBeGreaterThan(0);
    expectNoSecret("live turn", said + stored.map((row) => row.text).join("\n"));
  }, 60_000);

  it("not in exports: the flow, the integration views and the audit log", async () => {
    const exported = JSON.stringify(await exportFlow(ctx, flowId));
    expect(exported).toContain('"integrationId":"crm"');
    const views = JSON.stringify([
      await listIntegrations(ctx),
      await getIntegration(ctx, ids.keyed as string),
    ]);
    expect(views).toContain("api-key");
    const audit = await exportAuditCsv(ctx);
    expect(audit).toContain("integration.create");
    expectNoSecret("exports", exported + views + audit);
  }, 30_000);

  it("not in log lines (the failed call is logged, without the key)", async () => {
    expect(logged.some((line) => line.includes("effect failed"))).toBe(true);
    expectNoSecret("logs", logged.join("\n"));
  });
});
