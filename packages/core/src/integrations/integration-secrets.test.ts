import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createGuardedHttpClient } from "@parley/infra";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot } from "../bots/bots";
import type { CoreDeps, ServiceContext } from "../context";
import { startConversation } from "../conversations/conversations";
import { ServiceError } from "../errors";
import { createFlow, publishFlow } from "../flows/flows";
import { createHarness, type Harness, seedTenant } from "../test-support/harness";
import { integrationHttpPort } from "./integration-http";
import { createIntegration } from "./integrations";
import { secretForms } from "./secret-redaction";

const TOKEN = "tok_live+Secret/Value=42~x";
const USER = "parley";
const PASSWORD = "pa55:word/with?odd&chars";

/**
 * The encodings a careless partner echoes a header in: raw, base64, base64url, URL-encoded,
 * form-encoded, hex, and the value's own base64 inside a longer base64 blob (a "debug" dump).
 */
function encodings(value: string): Record<string, string> {
  const bytes = Buffer.from(value);
  return {
    raw: value,
    base64: bytes.toString("base64"),
    base64url: bytes.toString("base64url"),
    url: encodeURIComponent(value),
    form: new URLSearchParams({ v: value }).toString().slice(2),
    hex: bytes.toString("hex"),
    hexUpper: bytes.toString("hex").toUpperCase(),
    dump: Buffer.from(`headers: authorization=${value}; end`).toString("base64"),
  };
}

/** Echoes every request header (in each encoding) in the JSON body and in response headers. */
async function echoServer() {
  const seen: IncomingHttpHeaders[] = [];
  const server: Server = createServer((request, response) => {
    seen.push(request.headers);
    const echoed = Object.fromEntries(
      ["authorization", "x-api-key", "host"].flatMap((name) => {
        const value = request.headers[name];
        return typeof value === "string" ? [[name, encodings(value)]] : [];
      }),
    );
    const auth = request.headers.authorization ?? request.headers["x-api-key"] ?? "";
    const asHeaders = Object.fromEntries(
      Object.entries(encodings(String(auth))).map(([form, text]) => [`x-echo-${form.toLowerCase()}`, text]),
    );
    response.writeHead(200, { "content-type": "application/json", ...asHeaders });
    response.end(JSON.stringify({ echoed }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { seen, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** start -> http (integration) -> say what came back (body and headers) | the error. */
function echoFlow(integration: string, headers: Record<string, string> = {}) {
  const at = { x: 0, y: 0 };
  return {
    version: 1,
    id: "echo",
    name: "Echo",
    variables: [
      { name: "body", type: "string" },
      { name: "headers", type: "string" },
    ],
    nodes: [
      { id: "start", kind: "start", position: at, data: {} },
      {
        id: "call",
        kind: "http",
        position: at,
        data: {
          integrationId: integration,
          method: "GET",
          url: "/echo",
          headers,
          responseMapping: [
            { variable: "body", expression: "$string(body)" },
            { variable: "headers", expression: "$string(headers)" },
          ],
        },
      },
      { id: "say", kind: "message", position: at, data: { text: "{{ body }} {{ headers }}" } },
      { id: "failed", kind: "message", position: at, data: { text: "Failed: {{ sys.lastError }}" } },
      { id: "done", kind: "end", position: at, data: {} },
    ],
    edges: [
      { id: "e1", source: "start", sourceHandle: "next", target: "call" },
      { id: "e2", source: "call", sourceHandle: "success", target: "say" },
      { id: "e3", source: "call", sourceHandle: "error", target: "failed" },
      { id: "e4", source: "say", sourceHandle: "next", target: "done" },
      { id: "e5", source: "failed", sourceHandle: "next", target: "done" },
    ],
  };
}

let harness: Harness;
let deps: CoreDeps;
let partner: Awaited<ReturnType<typeof echoServer>>;

beforeAll(async () => {
  harness = await createHarness();
  // Loopback is opened for tests only (production needs PARLEY_OUTBOUND_ALLOWED_HOSTS for it).
  deps = { ...harness.deps, http: createGuardedHttpClient({ allowLoopback: true }) };
  partner = await echoServer();
}, 60_000);
afterAll(async () => {
  await partner?.close();
  await harness?.cleanup();
});

async function tenantWith(name: string) {
  const seed = await seedTenant(deps, name);
  const ctx: ServiceContext = { ...seed.ctx, deps };
  const bot = await createBot(ctx, { name: `${name} bot` });
  return { ctx, bot, tenantId: seed.tenant.id };
}

const textOf = (messages: { type: string; text?: string }[]) =>
  messages.map((message) => message.text ?? "").join("\n");

/** Every stored text of a tenant a flow, a person or an export could read. */
async function storedTexts(tenantId: string): Promise<string> {
  const rows = await harness.deps.db.system.$queryRaw<{ text: string }[]>`
    SELECT payload::text AS text FROM messages WHERE tenant_id = ${tenantId}
    UNION ALL SELECT snapshot::text || variables::text FROM conversations WHERE tenant_id = ${tenantId}
    UNION ALL SELECT properties::text FROM analytics_events WHERE tenant_id = ${tenantId}`;
  return rows.map((row) => row.text).join("\n");
}

describe("integration secrets echoed back in any encoding", () => {
  it.each([
    {
      kind: "bearer",
      credentials: { type: "bearer" as const, token: TOKEN },
      sent: `Bearer ${TOKEN}`,
      secrets: [TOKEN],
    },
    {
      kind: "basic",
      credentials: { type: "basic" as const, username: USER, password: PASSWORD },
      sent: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`,
      secrets: [PASSWORD, `${USER}:${PASSWORD}`, Buffer.from(`${USER}:${PASSWORD}`).toString("base64")],
    },
    {
      kind: "header",
      credentials: { type: "header" as const, name: "X-Api-Key", value: TOKEN },
      sent: TOKEN,
      secrets: [TOKEN],
    },
  ])(
    "$kind: redacted in body, headers and everything stored",
    async ({ kind, credentials, sent, secrets }) => {
      const { ctx, bot, tenantId } = await tenantWith(`Echo ${kind}`);
      await createIntegration(ctx, { name: "partner", config: { baseUrl: partner.url }, credentials });
      const flow = await createFlow(ctx, { botId: bot.id, document: echoFlow("partner") });
      await publishFlow(ctx, flow.id, {});

      const reply = await startConversation(ctx, bot.id, {});
      const sentHeader =
        kind === "header" ? partner.seen.at(-1)?.["x-api-key"] : partner.seen.at(-1)?.authorization;
      expect(sentHeader).toBe(sent);
      const said = textOf(reply.messages);
      expect(said).toContain("[redacted]");
      expect(said).toContain('"x-echo-base64"');
      const stored = await storedTexts(tenantId);
      // Not one encoding of any secret got through: not to the flow's messages, variables or state.
      for (const secret of secrets) {
        for (const [form, text] of Object.entries(encodings(secret))) {
          if (form === "dump") continue; // a fragment, checked through secretForms below
          expect(said, `${form} of ${secret}`).not.toContain(text);
          expect(stored, `${form} of ${secret}`).not.toContain(text);
        }
        for (const form of secretForms(secret)) {
          expect(said).not.toContain(form);
          expect(stored).not.toContain(form);
        }
      }
    },
    60_000,
  );
});

describe("headers a flow may not set on integration calls", () => {
  it("refuses to publish Host, hop-by-hop and credential headers, naming the node and the header", async () => {
    const { ctx, bot } = await tenantWith("Publish rules");
    for (const header of ["Host", "Authorization", "Cookie", "Transfer-Encoding", "Proxy-Authorization"]) {
      const flow = await createFlow(ctx, {
        botId: bot.id,
        document: {
          ...echoFlow("partner", { [header]: "evil.example" }),
          id: `echo-${header.toLowerCase()}`,
        },
      });
      const refused = await publishFlow(ctx, flow.id, {}).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ServiceError);
      expect((refused as ServiceError).code).toBe("flow-invalid");
      expect((refused as ServiceError).message).toContain(`http node "call" sets the header "${header}"`);
    }
  }, 60_000);

  it("refuses them at call time too (flows published before the rule), before anything is sent", async () => {
    const { ctx, tenantId } = await tenantWith("Call rules");
    await createIntegration(ctx, {
      name: "keyed",
      config: { baseUrl: partner.url },
      credentials: { type: "header", name: "X-Api-Key", value: TOKEN },
    });
    const port = integrationHttpPort(deps, tenantId, undefined);
    const before = partner.seen.length;
    for (const [header, reason] of [
      ["Host", /Host header is set by the platform/],
      ["x-api-key", /carries credentials, which the integration adds itself/],
      ["Authorization", /carries credentials/],
      ["Upgrade", /connection header/],
    ] as const) {
      const error = await port
        .request(
          { method: "GET", url: "/echo", integrationId: "keyed", headers: { [header]: "attacker" } },
          { signal: AbortSignal.timeout(5_000) },
        )
        .catch((caught: unknown) => caught as Error);
      expect((error as Error).message).toMatch(new RegExp(`refused to send the "${header}" header`));
      expect((error as Error).message).toMatch(reason);
    }
    expect(partner.seen.length).toBe(before);
    // A plain http node (no integration) may send its own Authorization, never a Host.
    const plain = integrationHttpPort(deps, tenantId, {
      request: async () => ({ status: 204, headers: {}, body: "" }),
    });
    const own = await plain.request(
      { method: "GET", url: `${partner.url}/x`, headers: { Authorization: "Bearer mine" } },
      { signal: AbortSignal.timeout(5_000) },
    );
    expect(own.status).toBe(204);
    await expect(
      plain.request(
        { method: "GET", url: `${partner.url}/x`, headers: { Host: "internal" } },
        { signal: AbortSignal.timeout(5_000) },
      ),
    ).rejects.toThrow(/Host header is set by the platform/);
  }, 60_000);

  it("refuses Host and connection headers in the integration's own settings", async () => {
    const { ctx } = await tenantWith("Config rules");
    const refused = await createIntegration(ctx, {
      name: "bad",
      config: { baseUrl: partner.url, headers: { Host: "evil.example" } },
    }).catch((error: unknown) => error);
    expect((refused as ServiceError).details.errors?.map((e) => e.path)).toEqual(["config.headers"]);
    const badCredential = await createIntegration(ctx, {
      name: "bad2",
      config: { baseUrl: partner.url },
      credentials: { type: "header", name: "Host", value: "evil.example" },
    }).catch((error: unknown) => error);
    expect(badCredential).toBeInstanceOf(ServiceError);
  }, 60_000);
});
