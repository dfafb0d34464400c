import { createGuardedHttpClient } from "@parley/infra";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundRequest, PlatformConnection } from "../../platform-adapter";
import { messengerAdapter } from "../messenger/adapter";
import { type ScriptedAnswer, startLocalPlatformServer } from "../shared/local-platform-server.test-support";
import { createWhatsAppAdapter, whatsappTemplateCall } from "../whatsapp/adapter";
import { metaSignature } from "./signature";

const http = createGuardedHttpClient({ allowLoopback: true }).fetch;
const appSecret = "whatsapp-app-secret";

function signedPost(body: unknown, secret = appSecret): InboundRequest {
  const rawBody = Buffer.from(JSON.stringify(body));
  return {
    method: "POST",
    headers: { "x-hub-signature-256": metaSignature(rawBody, secret) },
    query: {},
    rawBody,
  };
}

let script: ScriptedAnswer[] = [];
const graph = await startLocalPlatformServer(
  () => script.shift() ?? { status: 200, body: { messages: [{ id: "wamid.OK" }] } },
);
afterAll(() => graph.close());

let clock = Date.now();
// Meta checks are offline (HMAC over the raw bytes): a network call from verify would fail the test.
const offline: typeof fetch = () => Promise.reject(new Error("verify must not use the network"));
const whatsapp = createWhatsAppAdapter({ now: () => clock });
const wa: PlatformConnection<never, never> = {
  channelId: "ch_wa",
  credentials: { accessToken: "EAAG-token", appSecret, verifyToken: "verify-me" } as never,
  settings: whatsapp.settingsSchema.parse({ phoneNumberId: "106540352242922", apiUrl: graph.url }) as never,
  webhookUrl: "http://localhost:4000/webhooks/channels/ch_wa",
};

beforeAll(() => {
  script = [];
});

describe("Meta signature (X-Hub-Signature-256)", () => {
  it("is HMAC-SHA256 of the raw bytes, hex, prefixed sha256= (fixed vector)", () => {
    // The documented X-Hub-Signature-256 example (same scheme GitHub documents for its webhooks).
    expect(metaSignature(Buffer.from("Hello, World!"), "It's a Secret to Everybody")).toBe(
      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
    );
  });

  it("accepts a correctly signed body and refuses a bad, missing or re-serialised one", async () => {
    const body = { object: "whatsapp_business_account", entry: [] };
    expect(await whatsapp.verify(signedPost(body), wa as never, clock, offline)).toEqual({ ok: true });
    const bad = await whatsapp.verify(signedPost(body, "another-secret"), wa as never, clock, offline);
    expect(bad).toMatchObject({ ok: false, status: 401, reason: expect.stringContaining("does not match") });
    const missing = await whatsapp.verify({ ...signedPost(body), headers: {} }, wa as never, clock, offline);
    expect(missing).toMatchObject({ ok: false, status: 401, reason: expect.stringContaining("missing") });
    // Same JSON with different whitespace: the signature covers bytes, not the parsed object.
    const signed = signedPost(body);
    const respaced = { ...signed, rawBody: Buffer.from(JSON.stringify(body, null, 1)) };
    expect((await whatsapp.verify(respaced, wa as never, clock, offline)).ok).toBe(false);
  });
});

describe("Meta verify-token handshake", () => {
  const get = (query: Record<string, string>): InboundRequest => ({
    method: "GET",
    headers: {},
    query,
    rawBody: Buffer.alloc(0),
  });

  it("answers the challenge for the channel's verify token and 403 otherwise", async () => {
    const ok = get({
      "hub.mode": "subscribe",
      "hub.verify_token": "verify-me",
      "hub.challenge": "1158201444",
    });
    expect((await whatsapp.verify(ok, wa as never, clock, offline)).ok).toBe(true);
    expect(whatsapp.handshake(ok, wa as never)).toEqual({
      status: 200,
      body: "1158201444",
      contentType: "text/plain",
    });
    const wrong = get({ "hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1" });
    expect(whatsapp.handshake(wrong, wa as never)).toMatchObject({ status: 403 });
    expect(whatsapp.handshake(signedPost({}), wa as never)).toBeNull();
    expect(await whatsapp.verify(get({}), wa as never, clock, offline)).toMatchObject({
      ok: false,
      status: 403,
    });
  });
});

const nowS = () => Math.floor(clock / 1000);
const waChange = (value: Record<string, unknown>) => ({
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
            ...value,
          },
        },
      ],
    },
  ],
});

describe("WhatsApp parse", () => {
  it("normalises text, interactive replies, media, locations and statuses", () => {
    const body = waChange({
      contacts: [{ profile: { name: "Sheena Nelson" }, wa_id: "16505551234" }],
      messages: [
        {
          from: "16505551234",
          id: "wamid.TEXT",
          timestamp: String(nowS()),
          type: "text",
          text: { body: "Hello" },
        },
        {
          from: "16505551234",
          id: "wamid.BTN",
          timestamp: String(nowS()),
          type: "interactive",
          interactive: { type: "button_reply", button_reply: { id: "size_l", title: "Large" } },
        },
        {
          from: "16505551234",
          id: "wamid.LIST",
          timestamp: String(nowS()),
          type: "interactive",
          interactive: {
            type: "list_reply",
            list_reply: { id: "veg", title: "Veggie", description: "No meat" },
          },
        },
        {
          from: "16505551234",
          id: "wamid.IMG",
          timestamp: String(nowS()),
          type: "image",
          image: { caption: "my receipt", mime_type: "image/jpeg", sha256: "x", id: "1003383421387256" },
        },
        {
          from: "16505551234",
          id: "wamid.DOC",
          timestamp: String(nowS()),
          type: "document",
          document: { filename: "order.pdf", mime_type: "application/pdf", id: "2003" },
        },
        {
          from: "16505551234",
          id: "wamid.AUD",
          timestamp: String(nowS()),
          type: "audio",
          audio: { mime_type: "audio/ogg", id: "3003", voice: true },
        },
        {
          from: "16505551234",
          id: "wamid.LOC",
          timestamp: String(nowS()),
          type: "location",
          location: {
            latitude: 37.483307,
            longitude: 122.148981,
            name: "Pablo Morales",
            address: "1 Hacker Way",
          },
        },
        {
          from: "16505551234",
          id: "wamid.RX",
          timestamp: String(nowS()),
          type: "reaction",
          reaction: { emoji: "👍" },
        },
      ],
      statuses: [
        { id: "wamid.OUT1", status: "delivered", timestamp: String(nowS()), recipient_id: "16505551234" },
        {
          id: "wamid.OUT2",
          status: "failed",
          timestamp: String(nowS()),
          recipient_id: "16505551234",
          errors: [
            { code: 131047, title: "Re-engagement message", error_data: { details: "More than 24 hours" } },
          ],
        },
      ],
    });
    const events = whatsapp.parse(signedPost(body), wa as never);
    expect(events[0]).toMatchObject({
      kind: "message",
      eventId: "wamid.TEXT",
      externalUserId: "16505551234",
      displayName: "Sheena Nelson",
      verified: { phone: "+16505551234" },
      threadId: "16505551234",
      text: "Hello",
      replyContext: { to: "16505551234", lastInboundAtMs: String(nowS() * 1000) },
    });
    expect(events[1]).toMatchObject({ eventId: "wamid.BTN", text: "Large", buttonValue: "size_l" });
    expect(events[2]).toMatchObject({ eventId: "wamid.LIST", text: "Veggie", buttonValue: "veg" });
    expect(events[3]).toMatchObject({
      text: "my receipt",
      attachments: [{ type: "image", url: `${graph.url}1003383421387256`, mimeType: "image/jpeg" }],
    });
    expect(events[4]).toMatchObject({
      attachments: [{ type: "file", name: "order.pdf", mimeType: "application/pdf" }],
    });
    expect(events[5]).toMatchObject({ attachments: [{ type: "audio" }] });
    expect(events[6]).toMatchObject({
      text: "Pablo Morales, 1 Hacker Way",
      attachments: [{ type: "location", latitude: 37.483307, longitude: 122.148981 }],
    });
    expect(events[7]).toMatchObject({ kind: "ignored", why: "unsupported" });
    expect(events[8]).toEqual({
      kind: "status",
      eventId: "wamid.OUT1:delivered",
      platformMessageId: "wamid.OUT1",
      status: "delivered",
    });
    expect(events[9]).toMatchObject({
      kind: "status",
      status: "failed",
      error: "(#131047) Re-engagement message: More than 24 hours",
    });
  });
});

const target = (lastInboundAtMs: number) => ({
  threadId: "16505551234",
  externalUserId: "16505551234",
  replyContext: { to: "16505551234", lastInboundAtMs: String(lastInboundAtMs) },
});
const payloadOf = (call: { body: unknown }) => (call.body as { payload: Record<string, unknown> }).payload;

describe("WhatsApp render", () => {
  it("maps quick replies to reply buttons (≤3), a list (≤10) or numbered text, and markdown to WhatsApp marks", () => {
    const options = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ label: `Option ${i + 1}`, value: `o${i + 1}` }));
    const calls = whatsapp.render(
      [
        { nodeId: "a", type: "text", text: "**Welcome** to _Pizza_", format: "markdown", source: "flow" },
        { nodeId: "b", type: "quick_replies", text: "Size?", replies: options(3) },
        { nodeId: "c", type: "quick_replies", text: "Topping?", replies: options(7) },
        { nodeId: "d", type: "quick_replies", text: "Store?", replies: options(12) },
        { nodeId: "e", type: "image", url: "https://cdn.example.com/pizza.png", alt: "Pizza" },
        { nodeId: "f", type: "typing", durationMs: 500 },
      ],
      target(clock),
      wa as never,
    );
    expect(calls.map((call) => call.kind)).toEqual(["text", "buttons", "list", "text", "image"]);
    expect(calls[0]?.url).toBe("106540352242922/messages");
    expect(payloadOf(calls[0] as never)).toMatchObject({
      to: "16505551234",
      type: "text",
      text: { body: "*Welcome* to _Pizza_" },
    });
    expect(payloadOf(calls[1] as never)).toMatchObject({
      interactive: {
        type: "button",
        body: { text: "Size?" },
        action: { buttons: [{ type: "reply", reply: { id: "o1", title: "Option 1" } }, {}, {}] },
      },
    });
    const list = payloadOf(calls[2] as never) as {
      interactive: { action: { sections: { rows: unknown[] }[] } };
    };
    expect(list.interactive.action.sections[0]?.rows).toHaveLength(7);
    expect(payloadOf(calls[3] as never)).toMatchObject({
      text: { body: expect.stringContaining("12. Option 12") },
    });
    expect(payloadOf(calls[4] as never)).toMatchObject({
      type: "image",
      image: { link: "https://cdn.example.com/pizza.png", caption: "Pizza" },
    });
  });
});

describe("WhatsApp send (local Graph API server)", () => {
  const text = {
    nodeId: "n",
    type: "text" as const,
    text: "Your order is ready",
    format: "plain" as const,
    source: "flow" as const,
  };

  it("POSTs {phoneNumberId}/messages with the Bearer token and reports the wamid", async () => {
    const [call] = whatsapp.render([text], target(clock - 60_000), wa as never);
    const before = graph.received.length;
    expect(await whatsapp.send(call as never, wa as never, http)).toEqual({
      ok: true,
      platformMessageId: "wamid.OK",
    });
    const request = graph.received[before];
    expect(request).toMatchObject({ method: "POST", path: "/106540352242922/messages" });
    expect(request?.headers.authorization).toBe("Bearer EAAG-token");
    expect(JSON.parse(request?.body ?? "{}")).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "16505551234",
      type: "text",
      text: { body: "Your order is ready", preview_url: false },
    });
  });

  it("maps 429 (Retry-After) and 5xx to retryable, Graph throttling codes to retryable, other 4xx to permanent", async () => {
    const [call] = whatsapp.render([text], target(clock), wa as never);
    script = [
      {
        status: 429,
        headers: { "retry-after": "2" },
        body: { error: { message: "Too many calls", code: 4 } },
      },
      { status: 500, body: { error: { message: "An unknown error occurred", code: 1 } } },
      { status: 400, body: { error: { message: "(#130429) Rate limit hit", code: 130429 } } },
      {
        status: 400,
        body: {
          error: {
            message: "Invalid parameter",
            code: 100,
            error_data: { details: "to is not a WhatsApp user" },
          },
        },
      },
    ];
    expect(await whatsapp.send(call as never, wa as never, http)).toMatchObject({
      ok: false,
      retryable: true,
      retryAfterMs: 2000,
    });
    expect(await whatsapp.send(call as never, wa as never, http)).toMatchObject({
      ok: false,
      retryable: true,
    });
    expect(await whatsapp.send(call as never, wa as never, http)).toMatchObject({
      ok: false,
      retryable: true,
    });
    expect(await whatsapp.send(call as never, wa as never, http)).toEqual({
      ok: false,
      retryable: false,
      error: "WhatsApp answered HTTP 400: (#100) Invalid parameter (to is not a WhatsApp user)",
    });
  });

  it("refuses free-form messages outside the 24-hour window without calling Graph, and sends templates", async () => {
    const lastInbound = clock - 25 * 3_600_000;
    const [call] = whatsapp.render([text], target(lastInbound), wa as never);
    const before = graph.received.length;
    const refused = await whatsapp.send(call as never, wa as never, http);
    expect(refused).toMatchObject({ ok: false, retryable: false });
    expect(refused.ok === false && refused.error).toContain("24-hour customer service window is closed");
    expect(refused.ok === false && refused.error).toContain("/api/v1/channels/ch_wa/whatsapp/templates");
    expect(graph.received.length).toBe(before);
    // Rendered inside the window, sent after it closed (a retried call): refused too.
    const [late] = whatsapp.render([text], target(clock - 23 * 3_600_000), wa as never);
    clock += 2 * 3_600_000;
    expect(await whatsapp.send(late as never, wa as never, http)).toMatchObject({
      ok: false,
      retryable: false,
    });
    clock -= 2 * 3_600_000;
    // No inbound message known (a test message): Meta decides, and its 131047 reads the same way.
    const [unknown] = whatsapp.render(
      [text],
      { threadId: "1", externalUserId: "1", replyContext: {} },
      wa as never,
    );
    script = [{ status: 400, body: { error: { message: "(#131047) Re-engagement message", code: 131047 } } }];
    const metaRefused = await whatsapp.send(unknown as never, wa as never, http);
    expect(metaRefused).toMatchObject({
      ok: false,
      retryable: false,
      error: expect.stringContaining("24-hour customer service window is closed"),
    });
  });

  it("sends an approved template at any time", async () => {
    const call = whatsappTemplateCall(
      {
        to: "16505551234",
        name: "order_update",
        language: "en_US",
        components: [{ type: "body", parameters: [{ type: "text", text: "42" }] }],
      },
      wa.settings as never,
    );
    const before = graph.received.length;
    expect(await whatsapp.send(call, wa as never, http)).toEqual({ ok: true, platformMessageId: "wamid.OK" });
    expect(JSON.parse(graph.received[before]?.body ?? "{}")).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "16505551234",
      type: "template",
      template: {
        name: "order_update",
        language: { code: "en_US" },
        components: [{ type: "body", parameters: [{ type: "text", text: "42" }] }],
      },
    });
  });
});

const messengerConnection = {
  channelId: "ch_ms",
  credentials: { pageAccessToken: "page-token", appSecret: "messenger-secret", verifyToken: "mv" },
  settings: messengerAdapter.settingsSchema.parse({ pageId: "1234567890", apiUrl: graph.origin }),
  webhookUrl: "http://localhost:4000/webhooks/channels/ch_ms",
};

describe("Messenger", () => {
  const messaging = (items: unknown[]) => ({
    object: "page",
    entry: [{ id: "1234567890", time: clock, messaging: items }],
  });
  const sender = { sender: { id: "PSID-1" }, recipient: { id: "1234567890" }, timestamp: clock };

  it("verifies with the app secret and answers the handshake", async () => {
    const rawBody = Buffer.from(JSON.stringify(messaging([])));
    const request = {
      method: "POST" as const,
      headers: { "x-hub-signature-256": metaSignature(rawBody, "messenger-secret") },
      query: {},
      rawBody,
    };
    expect(await messengerAdapter.verify(request, messengerConnection, clock, offline)).toEqual({ ok: true });
    expect(
      await messengerAdapter.verify(
        { ...request, headers: { "x-hub-signature-256": metaSignature(rawBody, appSecret) } },
        messengerConnection,
        clock,
        offline,
      ),
    ).toMatchObject({ ok: false });
    const get = {
      method: "GET" as const,
      headers: {},
      query: { "hub.mode": "subscribe", "hub.verify_token": "mv", "hub.challenge": "42" },
      rawBody: Buffer.alloc(0),
    };
    expect(messengerAdapter.handshake(get, messengerConnection)).toMatchObject({ status: 200, body: "42" });
  });

  it("parses messages, quick replies, postbacks and attachments, ignores echoes, records delivery and read", () => {
    const body = messaging([
      { ...sender, message: { mid: "m_1", text: "hi" } },
      { ...sender, message: { mid: "m_2", text: "Large", quick_reply: { payload: "size_l" } } },
      { ...sender, postback: { mid: "m_3", title: "Order now", payload: "ORDER" } },
      {
        ...sender,
        message: {
          mid: "m_4",
          attachments: [{ type: "image", payload: { url: "https://scontent.example/1.jpg" } }],
        },
      },
      {
        sender: { id: "1234567890" },
        recipient: { id: "PSID-1" },
        timestamp: clock,
        message: { mid: "m_5", is_echo: true, text: "bot said" },
      },
      { ...sender, delivery: { mids: ["m_out"], watermark: clock } },
      { ...sender, read: { watermark: clock } },
    ]);
    const rawBody = Buffer.from(JSON.stringify(body));
    const events = messengerAdapter.parse(
      { method: "POST", headers: {}, query: {}, rawBody },
      messengerConnection,
    );
    expect(events[0]).toMatchObject({
      kind: "message",
      eventId: "m_1",
      externalUserId: "PSID-1",
      threadId: "PSID-1",
      text: "hi",
    });
    expect(events[1]).toMatchObject({ text: "Large", buttonValue: "size_l" });
    expect(events[2]).toMatchObject({ eventId: "m_3", text: "Order now", buttonValue: "ORDER" });
    expect(events[3]).toMatchObject({
      attachments: [{ type: "image", url: "https://scontent.example/1.jpg" }],
    });
    expect(events[4]).toEqual({ kind: "ignored", eventId: "m_5", why: "echo" });
    expect(events[5]).toMatchObject({ kind: "status", platformMessageId: "m_out", status: "delivered" });
    expect(events[6]).toMatchObject({ kind: "status", status: "read" });
  });

  it("renders quick replies, cards, images and typing and POSTs me/messages with the page token", async () => {
    const calls = messengerAdapter.render(
      [
        { nodeId: "t", type: "typing", durationMs: 300 },
        { nodeId: "a", type: "text", text: "**Hi** there", format: "markdown", source: "flow" },
        {
          nodeId: "b",
          type: "quick_replies",
          text: "Size?",
          replies: [
            { label: "Small", value: "s" },
            { label: "Large", value: "l" },
          ],
        },
        {
          nodeId: "c",
          type: "card",
          title: "Margherita",
          subtitle: "Tomato",
          imageUrl: "https://cdn.example/m.png",
          buttons: [
            { label: "Order", value: "order_m" },
            { label: "Menu", url: "https://example.com/menu" },
          ],
        },
        { nodeId: "d", type: "image", url: "https://cdn.example/p.png" },
      ],
      { threadId: "PSID-1", externalUserId: "PSID-1", replyContext: { psid: "PSID-1" } },
      messengerConnection,
    );
    expect(calls.map((call) => call.kind)).toEqual(["typing", "text", "quick_replies", "card", "image"]);
    expect(calls[1]?.body).toMatchObject({
      recipient: { id: "PSID-1" },
      messaging_type: "RESPONSE",
      message: { text: "Hi there" },
    });
    expect(calls[2]?.body).toMatchObject({
      message: { quick_replies: [{ content_type: "text", title: "Small", payload: "s" }, {}] },
    });
    expect(calls[3]?.body).toMatchObject({
      message: {
        attachment: {
          type: "template",
          payload: {
            template_type: "generic",
            elements: [
              {
                title: "Margherita",
                buttons: [
                  { type: "postback", payload: "order_m" },
                  { type: "web_url", url: "https://example.com/menu" },
                ],
              },
            ],
          },
        },
      },
    });
    script = [{ status: 200, body: { recipient_id: "PSID-1", message_id: "m_sent" } }];
    const before = graph.received.length;
    expect(await messengerAdapter.send(calls[1] as never, messengerConnection, http)).toEqual({
      ok: true,
      platformMessageId: "m_sent",
    });
    expect(graph.received[before]).toMatchObject({ method: "POST", path: "/me/messages" });
    expect(graph.received[before]?.headers.authorization).toBe("Bearer page-token");
  });
});
