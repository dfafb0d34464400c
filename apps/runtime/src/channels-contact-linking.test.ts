import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { metaSignature } from "@parley/core";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { flowEdge, flowNode } from "./test-support/flow-document";
import { call, seedBot, startTestRuntime, type TestRuntime } from "./test-support/runtime-harness";

// Embedded Postgres and queued turns on a shared 2-core machine: generous limits.
vi.setConfig({ testTimeout: 90_000, hookTimeout: 120_000 });

/** Greets by the contact-scoped nickname (empty the first time), asks for it, confirms it. */
const flow = {
  version: 1,
  id: "nickname",
  name: "Nickname",
  variables: [{ name: "nickname", type: "string", scope: "contact" }],
  nodes: [
    flowNode("start", "start", {}),
    flowNode("hello", "message", { text: "Hello {{ nickname }}!" }, 100),
    flowNode(
      "ask",
      "ask",
      { prompt: "What should I call you?", input: { type: "text" }, saveTo: "nickname" },
      200,
    ),
    flowNode("noted", "message", { text: "Noted, {{ nickname }}." }, 300),
    flowNode("end", "end", {}, 400),
  ],
  edges: [
    flowEdge("start", "next", "hello"),
    flowEdge("hello", "next", "ask"),
    flowEdge("ask", "next", "noted"),
    flowEdge("ask", "error", "end"),
    flowEdge("noted", "next", "end"),
  ],
};

/** A local Graph API: records the texts sent to each number and accepts every message. */
async function graphServer() {
  const texts = new Map<string, string[]>();
  let sent = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as {
        to?: string;
        text?: { body?: string };
        interactive?: { body?: { text?: string } };
      };
      const text = body.text?.body ?? body.interactive?.body?.text;
      if (body.to && text) texts.set(body.to, [...(texts.get(body.to) ?? []), text]);
      response
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ messages: [{ id: `wamid.out${++sent}` }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    textsTo: (phone: string) => texts.get(phone) ?? [],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let t: TestRuntime;
let seed: Awaited<ReturnType<typeof seedBot>>;
let graph: Awaited<ReturnType<typeof graphServer>>;
let webhookPath: string;
const appSecret = "link-app-secret";

beforeAll(async () => {
  t = await startTestRuntime("embedded", { PARLEY_OUTBOUND_ALLOWED_HOSTS: "127.0.0.1" });
  seed = await seedBot(t.runtime, flow);
  graph = await graphServer();
  const created = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/channels`, {
    key: seed.key,
    body: {
      type: "whatsapp",
      credentials: { accessToken: "EAAG-link", appSecret, verifyToken: "link-verify" },
      settings: { phoneNumberId: "106540352242922", apiUrl: `${graph.origin}/v21.0` },
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  webhookPath = new URL(created.body.webhookUrl).pathname;
}, 120_000);
afterAll(async () => {
  await graph?.close();
  await t?.cleanup();
}, 30_000);

/** A WhatsApp Cloud API text message from `from`, signed with the app secret as Meta signs it. */
function whatsappText(from: string, id: string, text: string) {
  const raw = JSON.stringify({
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
              contacts: [{ profile: { name: "Ann" }, wa_id: from }],
              messages: [
                {
                  from,
                  id,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: "text",
                  text: { body: text },
                },
              ],
            },
          },
        ],
      },
    ],
  });
  return call(t.url, "POST", webhookPath, {
    rawBody: raw,
    headers: { "x-hub-signature-256": metaSignature(Buffer.from(raw), appSecret) },
  });
}

/** An identity token the site's server signs for a signed-in visitor. */
async function identityToken(secret: string, claims: Record<string, unknown>, sub: string) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime("10m")
    .sign(new TextEncoder().encode(secret));
}

describe("one contact across web and WhatsApp", () => {
  it("a web conversation sets a contact variable; WhatsApp from the verified phone continues with it", async () => {
    const secret = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/identity-secret`, {
      key: seed.key,
    });
    expect(secret.status, JSON.stringify(secret.body)).toBe(201);
    const token = await identityToken(secret.body.secret, { phone: "+16505550123" }, "user-42");

    // On the web: the signed-in visitor (verified phone) answers the nickname question.
    const started = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/conversations`, {
      key: seed.key,
      body: { channel: "web", identityToken: token },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const answered = await call(
      t.url,
      "POST",
      `/api/v1/conversations/${started.body.conversationId}/messages`,
      {
        key: seed.key,
        body: { text: "Annie" },
      },
    );
    expect(answered.status).toBe(200);
    expect(answered.body.messages.map((message: { text?: string }) => message.text)).toContain(
      "Noted, Annie.",
    );

    // On WhatsApp, from the same number (Meta delivers it as digits): the flow greets by the nickname.
    expect((await whatsappText("16505550123", "wamid.LINK1", "hi")).status).toBe(200);
    await expect
      .poll(() => graph.textsTo("16505550123"), { timeout: 45_000 })
      .toEqual(["Hello Annie!", "What should I call you?"]);

    // One contact holds both identities and the variable.
    const db = t.runtime.deps.db.forTenant(seed.tenant.id);
    const conversations = await db.conversation.findMany({ select: { channel: true, contactId: true } });
    expect(conversations.map((row) => row.channel).sort()).toEqual(["web", "whatsapp"]);
    const contactIds = new Set(conversations.map((row) => row.contactId));
    expect(contactIds.size).toBe(1);
    const [contactId] = [...contactIds];
    const contact = await db.contact.findUniqueOrThrow({
      where: { id: contactId! },
      include: { identities: true },
    });
    expect(contact.attributes).toEqual({ nickname: "Annie" });
    expect(contact.phone).toBe("+16505550123");
    expect(contact.identities.map((identity) => `${identity.channel}:${identity.externalId}`).sort()).toEqual(
      ["web:user-42", "whatsapp:16505550123"],
    );

    // The other way round: a new name given on WhatsApp is what the web visitor's next conversation knows.
    expect((await whatsappText("16505550123", "wamid.LINK2", "Ann")).status).toBe(200);
    await expect.poll(() => graph.textsTo("16505550123").at(-1), { timeout: 45_000 }).toBe("Noted, Ann.");
    const again = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/conversations`, {
      key: seed.key,
      body: { channel: "web", identityToken: token },
    });
    expect(again.status).toBe(201);
    expect(again.body.messages.map((message: { text?: string }) => message.text)).toContain("Hello Ann!");
  });

  it("a WhatsApp number with no verified match on the web is a contact of its own", async () => {
    expect((await whatsappText("16505550999", "wamid.OTHER", "hi")).status).toBe(200);
    await expect
      .poll(() => graph.textsTo("16505550999"), { timeout: 45_000 })
      .toEqual(["Hello !", "What should I call you?"]);
    const identity = await t.runtime.deps.db
      .forTenant(seed.tenant.id)
      .contactIdentity.findFirstOrThrow({ where: { channel: "whatsapp", externalId: "16505550999" } });
    const others = await t.runtime.deps.db
      .forTenant(seed.tenant.id)
      .contactIdentity.count({ where: { contactId: identity.contactId } });
    expect(others).toBe(1);
  });
});
