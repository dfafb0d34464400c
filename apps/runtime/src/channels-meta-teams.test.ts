import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { DELIVERY_FAILED_NODE, metaSignature } from "@parley/core";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { flowEdge, flowNode } from "./test-support/flow-document";
import { call, seedBot, startTestRuntime, type TestRuntime } from "./test-support/runtime-harness";

// Embedded Postgres, queued turns and retried deliveries on a shared 2-core machine: generous limits.
vi.setConfig({ testTimeout: 90_000, hookTimeout: 120_000 });

// The Teams adapter reads the operator's allowlist for Bot Connector hosts; the runtime's guarded client (verify's JWKS fetches) too.
process.env.PARLEY_OUTBOUND_ALLOWED_HOSTS = "127.0.0.1";

/** start -> greeting -> ask a size (choice) -> say it -> end. */
const flow = {
  version: 1,
  id: "sizes",
  name: "Sizes",
  variables: [{ name: "size", type: "string", scope: "conversation" }],
  nodes: [
    flowNode("start", "start", {}),
    flowNode("greet", "message", { text: "Welcome to Pizza!" }, 100),
    flowNode(
      "ask",
      "ask",
      {
        prompt: "Which size?",
        input: {
          type: "choice",
          multiple: false,
          options: [
            { id: "small", label: "Small", value: "small" },
            { id: "large", label: "Large", value: "large" },
          ],
        },
        saveTo: "size",
        retryPrompt: "Please pick a size.",
        maxRetries: 2,
      },
      200,
    ),
    flowNode("said", "message", { text: "You picked {{ size }}" }, 300),
    flowNode("end", "end", {}, 400),
  ],
  edges: [
    flowEdge("start", "next", "greet"),
    flowEdge("greet", "next", "ask"),
    flowEdge("ask", "next", "said"),
    flowEdge("ask", "error", "end"),
    flowEdge("said", "next", "end"),
  ],
};

interface Received {
  path: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
}
interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A local platform API: records requests, answers from `route`. */
async function platformServer(route: (request: Received) => Answer) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body: Record<string, unknown> = {};
      try {
        body = text ? JSON.parse(text) : {};
      } catch {
        body = Object.fromEntries(new URLSearchParams(text));
      }
      const request = { path: req.url ?? "/", headers: req.headers, body };
      received.push(request);
      const answer = route(request);
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const waitFor = async <T>(probe: () => T | undefined | false, timeoutMs = 45_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

let t: TestRuntime;
let seed: Awaited<ReturnType<typeof seedBot>>;
beforeAll(async () => {
  t = await startTestRuntime("embedded", { PARLEY_OUTBOUND_ALLOWED_HOSTS: "127.0.0.1" });
  seed = await seedBot(t.runtime, flow);
  // The Messenger test asserts the typing indicator: show it at once (a fast turn would not).
  (t.runtime.deps as { channelDelivery?: unknown }).channelDelivery = { typingDelayMs: 0 };
}, 120_000);
afterAll(async () => {
  await t?.cleanup();
}, 30_000);

const webhookPath = (webhookUrl: string) => new URL(webhookUrl).pathname;

describe("WhatsApp through the webhook endpoint (local Graph API)", () => {
  let script: Answer[] = [];
  let sent = 0;
  let graph: Awaited<ReturnType<typeof platformServer>>;
  let channel: { id: string; webhookUrl: string };
  const appSecret = "wa-app-secret";

  beforeAll(async () => {
    graph = await platformServer(
      () => script.shift() ?? { status: 200, body: { messages: [{ id: `wamid.out${++sent}` }] } },
    );
    const created = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/channels`, {
      key: seed.key,
      body: {
        type: "whatsapp",
        credentials: { accessToken: "EAAG-wa-token", appSecret, verifyToken: "wa-verify" },
        settings: { phoneNumberId: "106540352242922", apiUrl: `${graph.origin}/v21.0` },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(JSON.stringify(created.body)).not.toContain("EAAG-wa-token");
    channel = created.body;
  });
  afterAll(() => graph.close());

  const inbound = (
    from: string,
    id: string,
    message: Record<string, unknown>,
    timestampS = Math.floor(Date.now() / 1000),
  ) => ({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: "106540352242922" },
              contacts: [{ profile: { name: "Sheena" }, wa_id: from }],
              messages: [{ from, id, timestamp: String(timestampS), ...message }],
            },
          },
        ],
      },
    ],
  });
  const post = (body: unknown, secret = appSecret) => {
    const raw = JSON.stringify(body);
    return call(t.url, "POST", webhookPath(channel.webhookUrl), {
      rawBody: raw,
      headers: { "x-hub-signature-256": metaSignature(Buffer.from(raw), secret) },
    });
  };
  const to = (phone: string) =>
    graph.received.filter((request) => (request.body as { to?: string }).to === phone);

  it("answers Meta's verification handshake with the verify token only", async () => {
    const path = webhookPath(channel.webhookUrl);
    const ok = await call(
      t.url,
      "GET",
      `${path}?hub.mode=subscribe&hub.verify_token=wa-verify&hub.challenge=1158201444`,
    );
    expect(ok).toMatchObject({ status: 200, body: 1158201444 });
    const wrong = await call(
      t.url,
      "GET",
      `${path}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`,
    );
    expect(wrong.status).toBe(403);
  });

  it("refuses a bad signature and stores nothing", async () => {
    const before = await t.runtime.deps.db.system.channelInboundEvent.count();
    const refused = await post(
      inbound("15550000001", "wamid.BAD", { type: "text", text: { body: "hi" } }),
      "not-the-secret",
    );
    expect(refused.status).toBe(401);
    expect(await t.runtime.deps.db.system.channelInboundEvent.count()).toBe(before);
  });

  it("runs the flow, replies with WhatsApp buttons, ignores a retried delivery and takes a button reply", async () => {
    const phone = "16505551234";
    const hello = inbound(phone, "wamid.HELLO", { type: "text", text: { body: "hi" } });
    expect((await post(hello)).status).toBe(200);
    await waitFor(() => to(phone).length >= 2);
    const [greeting, buttons] = to(phone);
    expect(greeting?.path).toBe("/v21.0/106540352242922/messages");
    expect(greeting?.headers.authorization).toBe("Bearer EAAG-wa-token");
    expect(greeting?.body).toMatchObject({ type: "text", text: { body: "Welcome to Pizza!" } });
    expect(buttons?.body).toMatchObject({
      type: "interactive",
      interactive: {
        type: "button",
        body: { text: "Which size?" },
        action: {
          buttons: [{ reply: { id: "small", title: "Small" } }, { reply: { id: "large", title: "Large" } }],
        },
      },
    });
    // Meta retries the same message id: no second turn.
    expect((await post(hello)).status).toBe(200);
    const click = inbound(phone, "wamid.CLICK", {
      type: "interactive",
      interactive: { type: "button_reply", button_reply: { id: "large", title: "Large" } },
    });
    expect((await post(click)).status).toBe(200);
    await waitFor(() => to(phone).length >= 3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(to(phone).map((request) => (request.body as { type: string }).type)).toEqual([
      "text",
      "interactive",
      "text",
    ]);
    expect(to(phone)[2]?.body).toMatchObject({ text: { body: "You picked large" } });
  });

  it("retries 429 (Retry-After) then 500 twice, then delivers once, in order", async () => {
    const phone = "16505550002";
    script = [
      {
        status: 429,
        headers: { "retry-after": "1" },
        body: { error: { message: "(#130429) Rate limit hit", code: 130429 } },
      },
      { status: 500, body: { error: { message: "An unknown error occurred", code: 1 } } },
      { status: 500, body: { error: { message: "An unknown error occurred", code: 1 } } },
    ];
    expect((await post(inbound(phone, "wamid.FAULT", { type: "text", text: { body: "hi" } }))).status).toBe(
      200,
    );
    await waitFor(() => to(phone).length >= 5, 60_000);
    const attempts = to(phone).map((request) => (request.body as { type: string }).type);
    // Four attempts at the greeting (three refused), then the buttons: each message accepted once, in order.
    expect(attempts).toEqual(["text", "text", "text", "text", "interactive"]);
    const deliveries = await t.runtime.deps.db.system.channelDelivery.findMany({
      where: { channelConfigId: channel.id, status: "sent" },
      orderBy: { seq: "asc" },
    });
    expect(deliveries.filter((row) => row.platformMessageId !== null).length).toBeGreaterThanOrEqual(2);
  });

  it("refuses replies outside the 24-hour window (shown in the transcript) and sends templates", async () => {
    const phone = "16505550003";
    const old = Math.floor(Date.now() / 1000) - 25 * 3600;
    expect(
      (await post(inbound(phone, "wamid.OLD", { type: "text", text: { body: "hi" } }, old))).status,
    ).toBe(200);
    const failed = await (async () => {
      const deadline = Date.now() + 45_000;
      for (;;) {
        const row = await t.runtime.deps.db.system.message.findFirst({
          where: { nodeId: DELIVERY_FAILED_NODE },
        });
        if (row) return row;
        if (Date.now() > deadline) throw new Error("no delivery failure noted");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    expect(JSON.stringify(failed.payload)).toContain("WhatsApp's 24-hour customer service window is closed");
    expect(to(phone)).toHaveLength(0);
    const view = await call(t.url, "GET", `/api/v1/channels/${channel.id}`, { key: seed.key });
    expect(view.body.lastError).toContain("24-hour customer service window");

    const template = await call(t.url, "POST", `/api/v1/channels/${channel.id}/whatsapp/templates`, {
      key: seed.key,
      body: {
        to: `+${phone}`,
        name: "order_update",
        language: "en_US",
        components: [{ type: "body", parameters: [{ type: "text", text: "42" }] }],
      },
    });
    expect(template.status, JSON.stringify(template.body)).toBe(200);
    expect(template.body).toMatchObject({ to: phone, messageId: expect.stringMatching(/^wamid\./) });
    expect(to(phone).at(-1)?.body).toMatchObject({
      type: "template",
      template: { name: "order_update", language: { code: "en_US" } },
    });

    script = [
      {
        status: 404,
        body: {
          error: { message: "(#132001) Template name does not exist in the translation", code: 132001 },
        },
      },
    ];
    const refused = await call(t.url, "POST", `/api/v1/channels/${channel.id}/whatsapp/templates`, {
      key: seed.key,
      body: { to: phone, name: "nope", language: "en" },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain("Template name does not exist");
    const invalid = await call(t.url, "POST", `/api/v1/channels/${channel.id}/whatsapp/templates`, {
      key: seed.key,
      body: { to: "call me", name: "x", language: "en" },
    });
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body)).toContain("international format");
  });
});

describe("Messenger through the webhook endpoint (local Graph API)", () => {
  it("verifies, runs the flow and replies with typing, text and quick replies at me/messages", async () => {
    const graph = await platformServer(() => ({
      status: 200,
      body: { recipient_id: "PSID-7", message_id: "m_out" },
    }));
    try {
      const created = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/channels`, {
        key: seed.key,
        body: {
          type: "messenger",
          credentials: { pageAccessToken: "page-token", appSecret: "ms-secret", verifyToken: "ms-verify" },
          settings: { pageId: "1234567890", apiUrl: `${graph.origin}/v21.0/` },
        },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const raw = JSON.stringify({
        object: "page",
        entry: [
          {
            id: "1234567890",
            time: Date.now(),
            messaging: [
              {
                sender: { id: "PSID-7" },
                recipient: { id: "1234567890" },
                timestamp: Date.now(),
                message: { mid: "m_in_1", text: "hi" },
              },
            ],
          },
        ],
      });
      const path = webhookPath(created.body.webhookUrl);
      const bad = await call(t.url, "POST", path, {
        rawBody: raw,
        headers: { "x-hub-signature-256": metaSignature(Buffer.from(raw), "other") },
      });
      expect(bad.status).toBe(401);
      const ok = await call(t.url, "POST", path, {
        rawBody: raw,
        headers: { "x-hub-signature-256": metaSignature(Buffer.from(raw), "ms-secret") },
      });
      expect(ok.status).toBe(200);
      const messages = () => graph.received.filter((request) => request.body.message !== undefined);
      await waitFor(() => messages().length >= 2);
      expect(graph.received[0]?.path).toBe("/v21.0/me/messages");
      expect(graph.received[0]?.headers.authorization).toBe("Bearer page-token");
      expect(messages()[0]?.body).toMatchObject({
        recipient: { id: "PSID-7" },
        message: { text: "Welcome to Pizza!" },
      });
      expect(messages()[1]?.body).toMatchObject({
        message: {
          text: "Which size?",
          quick_replies: [
            { title: "Small", payload: "small" },
            { title: "Large", payload: "large" },
          ],
        },
      });
      expect(graph.received.some((request) => request.body.sender_action === "typing_on")).toBe(true);
    } finally {
      await graph.close();
    }
  });
});

describe("Teams through the webhook endpoint (local OpenID metadata, JWKS, token endpoint and Bot Connector)", () => {
  it("accepts a Bot Framework JWT, refuses a wrong audience, and replies to the activity's serviceUrl", async () => {
    const appId = "app-1111-2222";
    const keys = await generateKeyPair("RS256");
    const jwk = {
      ...(await exportJWK(keys.publicKey)),
      kid: "k1",
      use: "sig",
      alg: "RS256",
      endorsements: ["msteams"],
    };
    const server = await platformServer((request) => {
      if (request.path === "/openid")
        return {
          status: 200,
          body: { issuer: "https://api.botframework.com", jwks_uri: `${server.origin}/keys` },
        };
      if (request.path === "/keys") return { status: 200, body: { keys: [jwk] } };
      if (request.path === "/token")
        return { status: 200, body: { token_type: "Bearer", expires_in: 3600, access_token: "bot-token" } };
      return { status: 201, body: { id: "reply-1" } };
    });
    try {
      const created = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/channels`, {
        key: seed.key,
        body: {
          type: "teams",
          credentials: { appId, appPassword: "secret" },
          settings: { openIdMetadataUrl: `${server.origin}/openid`, tokenUrl: `${server.origin}/token` },
        },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const serviceUrl = `${server.origin}/connector/`;
      const activity = JSON.stringify({
        type: "message",
        id: "act-1",
        timestamp: new Date().toISOString(),
        serviceUrl,
        channelId: "msteams",
        from: { id: "29:user", name: "Megan", aadObjectId: "aad-1" },
        conversation: { id: "a:conv-1", conversationType: "personal" },
        recipient: { id: `28:${appId}`, name: "Bot" },
        text: "hi",
      });
      const sign = (audience: string) =>
        new SignJWT({ serviceUrl })
          .setProtectedHeader({ alg: "RS256", kid: "k1" })
          .setIssuer("https://api.botframework.com")
          .setAudience(audience)
          .setIssuedAt()
          .setExpirationTime("10m")
          .sign(keys.privateKey);
      const path = webhookPath(created.body.webhookUrl);
      const before = await t.runtime.deps.db.system.channelInboundEvent.count();
      const wrong = await call(t.url, "POST", path, {
        rawBody: activity,
        headers: { authorization: `Bearer ${await sign("someone-else")}` },
      });
      expect(wrong.status).toBe(401);
      expect(await t.runtime.deps.db.system.channelInboundEvent.count()).toBe(before);
      const ok = await call(t.url, "POST", path, {
        rawBody: activity,
        headers: { authorization: `Bearer ${await sign(appId)}` },
      });
      expect(ok.status).toBe(200);
      const replies = () =>
        server.received.filter(
          (request) => request.path.startsWith("/connector/") && request.body.type === "message",
        );
      await waitFor(() => replies().length >= 2);
      expect(replies()[0]?.path).toBe("/connector/v3/conversations/a%3Aconv-1/activities");
      expect(replies()[0]?.headers.authorization).toBe("Bearer bot-token");
      expect(replies()[0]?.body).toMatchObject({
        text: "Welcome to Pizza!",
        conversation: { id: "a:conv-1" },
      });
      expect(replies()[1]?.body).toMatchObject({
        suggestedActions: {
          actions: [
            { type: "imBack", title: "Small" },
            { type: "imBack", title: "Large" },
          ],
        },
      });
      expect(server.received.filter((request) => request.path === "/token")).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
