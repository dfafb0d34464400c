import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { signTriggerRequest } from "@parley/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, seedBot, startTestRuntime, type TestRuntime } from "./test-support/runtime-harness";

const at = { x: 0, y: 0 };
/** start -> HubSpot "create-contact" (operation node) -> say the id -> end; a trigger can start it. */
const flow = {
  version: 1,
  id: "lead",
  name: "Lead",
  variables: [
    { name: "email", type: "string" },
    { name: "contactId", type: "string" },
  ],
  nodes: [
    { id: "start", kind: "start", position: at, data: {} },
    {
      id: "create",
      kind: "http",
      position: at,
      data: {
        integrationId: "hubspot",
        operation: "create-contact",
        inputs: { email: "{{ email }}" },
        responseMapping: [{ variable: "contactId", expression: "body.id" }],
      },
    },
    { id: "ok", kind: "message", position: at, data: { text: "Contact {{ contactId }} for {{ email }}" } },
    { id: "ko", kind: "message", position: at, data: { text: "Failed: {{ sys.lastError }}" } },
    { id: "end", kind: "end", position: at, data: {} },
  ],
  edges: [
    { id: "a", source: "start", sourceHandle: "next", target: "create" },
    { id: "b", source: "create", sourceHandle: "success", target: "ok" },
    { id: "c", source: "create", sourceHandle: "error", target: "ko" },
    { id: "d", source: "ok", sourceHandle: "next", target: "end" },
    { id: "e", source: "ko", sourceHandle: "next", target: "end" },
  ],
};

const texts = (messages: { text?: string }[]) =>
  messages
    .map((message) => message.text)
    .filter(Boolean)
    .join("\n");

describe("connectors and triggers over the REST API (embedded)", () => {
  let t: TestRuntime;
  let seed: Awaited<ReturnType<typeof seedBot>>;
  const seen: { url: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const hubspot = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      seen.push({ url: request.url ?? "", headers: request.headers, body });
      if (request.method === "GET") {
        // Shopify's documented order (trimmed), for the get-order operation.
        response.writeHead(200, { "content-type": "application/json" }).end(
          JSON.stringify({
            order: { id: 450789469, name: "#1001", total_price: "598.94", currency: "USD" },
          }),
        );
        return;
      }
      response.writeHead(201, { "content-type": "application/json" }).end(
        JSON.stringify({
          id: "901",
          properties: { email: JSON.parse(body).properties.email },
          createdAt: "2024-01-01T00:00:00Z",
        }),
      );
    });
  });
  let hubspotUrl: string;

  beforeAll(async () => {
    await new Promise<void>((resolve) => hubspot.listen(0, "127.0.0.1", resolve));
    hubspotUrl = `http://127.0.0.1:${(hubspot.address() as AddressInfo).port}`;
    t = await startTestRuntime("embedded");
    seed = await seedBot(t.runtime, {
      version: 1,
      id: "lead",
      name: "Lead",
      variables: [],
      nodes: [
        { id: "start", kind: "start", position: at, data: {} },
        { id: "hi", kind: "message", position: at, data: { text: "Hi" } },
        { id: "end", kind: "end", position: at, data: {} },
      ],
      edges: [
        { id: "a", source: "start", sourceHandle: "next", target: "hi" },
        { id: "b", source: "hi", sourceHandle: "next", target: "end" },
      ],
    });
  }, 90_000);
  afterAll(async () => {
    await t?.cleanup();
    await new Promise<void>((resolve) => hubspot.close(() => resolve()));
  }, 30_000);

  it("lists and describes connectors, and creates an integration from one with field errors", async () => {
    const listed = await call(t.url, "GET", "/api/v1/connectors", { key: seed.key });
    expect(listed.status).toBe(200);
    expect(listed.body.items.length).toBeGreaterThanOrEqual(12);
    const hub = listed.body.items.find((item: { id: string }) => item.id === "hubspot");
    expect(hub).toMatchObject({ name: "HubSpot", auth: { type: "bearer" } });
    expect(hub.operations[0]).toMatchObject({
      id: "create-contact",
      method: "POST",
      path: "/crm/v3/objects/contacts",
    });
    expect(
      (await call(t.url, "GET", "/api/v1/connectors?search=sms", { key: seed.key })).body.items.map(
        (c: { id: string }) => c.id,
      ),
    ).toEqual(["twilio-sms"]);
    expect(
      (await call(t.url, "GET", "/api/v1/connectors/zendesk", { key: seed.key })).body.settings[0].name,
    ).toBe("subdomain");
    expect((await call(t.url, "GET", "/api/v1/connectors/nope", { key: seed.key })).status).toBe(404);

    const bad = await call(t.url, "POST", "/api/v1/integrations", {
      key: seed.key,
      body: {
        name: "zd",
        connector: "zendesk",
        settings: { subdomain: "a/b" },
        credentials: { type: "bearer", token: "x" },
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(["settings.subdomain"]);

    const created = await call(t.url, "POST", "/api/v1/integrations", {
      key: seed.key,
      body: {
        name: "hubspot",
        connector: "hubspot",
        baseUrl: hubspotUrl,
        credentials: { type: "bearer", token: "pat-123" },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      config: { connector: "hubspot", baseUrl: hubspotUrl },
      credentials: { type: "bearer" },
    });
  });

  it("creates connector integrations with only the user's secret: the connector fills its fixed fields", async () => {
    const shopify = await call(t.url, "POST", "/api/v1/integrations", {
      key: seed.key,
      body: {
        name: "shop",
        connector: "shopify",
        settings: { shop: "acme" },
        baseUrl: hubspotUrl,
        credentials: { type: "header", value: "shpat_secret_1234" },
      },
    });
    expect(shopify.status, JSON.stringify(shopify.body)).toBe(201);
    expect(shopify.body.credentials).toMatchObject({
      type: "header",
      fields: { name: "X-Shopify-Access-Token" },
    });
    expect(JSON.stringify(shopify.body)).not.toContain("shpat_secret_1234");
    // The sandbox sends the fixed header name with the user's token.
    const tested = await call(t.url, "POST", `/api/v1/integrations/${shopify.body.id}/test`, {
      key: seed.key,
      body: { operation: "get-order", inputs: { orderId: "450789469" } },
    });
    expect(tested.status, JSON.stringify(tested.body)).toBe(200);
    expect(seen.at(-1)?.url).toBe("/orders/450789469.json");
    expect(seen.at(-1)?.headers["x-shopify-access-token"]).toBe("shpat_secret_1234");
    expect(tested.body.error).toBeUndefined();
    expect(tested.body.response.body).toMatchObject({ id: 450789469, name: "#1001", total: "598.94" });
    expect(tested.body.request.headers["x-shopify-access-token"]).not.toContain("shpat_secret_1234");
    expect(JSON.stringify(tested.body)).not.toContain("shpat_secret_1234");

    const freshdesk = await call(t.url, "POST", "/api/v1/integrations", {
      key: seed.key,
      body: {
        name: "desk",
        connector: "freshdesk",
        settings: { domain: "acme" },
        credentials: { type: "basic", username: "fd-api-key-9876" },
      },
    });
    expect(freshdesk.status, JSON.stringify(freshdesk.body)).toBe(201);
    expect(freshdesk.body.credentials).toMatchObject({ type: "basic" });

    // Without a connector nothing is filled in: the missing field is refused with its path.
    const plain = await call(t.url, "POST", "/api/v1/integrations", {
      key: seed.key,
      body: {
        name: "plain",
        config: { baseUrl: hubspotUrl },
        credentials: { type: "header", value: "v" },
      },
    });
    expect(plain.status, JSON.stringify(plain.body)).toBe(400);
    expect(plain.body.errors.map((e: { path: string }) => e.path)).toEqual(["credentials.name"]);
    // A connector's own secret stays required.
    const noSecret = await call(t.url, "POST", "/api/v1/integrations", {
      key: seed.key,
      body: {
        name: "shop2",
        connector: "shopify",
        settings: { shop: "acme" },
        credentials: { type: "header" },
      },
    });
    expect(noSecret.status).toBe(422);
    expect(noSecret.body.errors.map((e: { path: string }) => e.path)).toEqual(["credentials.value"]);
  });

  it("runs an operation node and fires a trigger with a key and with a signature", async () => {
    const saved = await call(t.url, "PUT", `/api/v1/flows/${seed.flow.id}/draft`, {
      key: seed.key,
      body: { document: flow },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.validation.problems).toEqual([]);
    expect(
      (await call(t.url, "POST", `/api/v1/flows/${seed.flow.id}/publish`, { key: seed.key, body: {} }))
        .status,
    ).toBe(201);

    const trigger = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/triggers`, {
      key: seed.key,
      body: { name: "signup", variables: { email: "data.email" } },
    });
    expect(trigger.status).toBe(201);
    expect(trigger.body.url).toBe(`/api/v1/bots/${seed.bot.id}/triggers/signup`);

    const fired = await call(t.url, "POST", trigger.body.url, {
      key: seed.key,
      body: { data: { email: "ada@example.com" } },
    });
    expect(fired.status).toBe(201);
    expect(texts(fired.body.messages)).toBe("Contact 901 for ada@example.com");
    expect(seen.at(-1)?.headers.authorization).toBe("Bearer pat-123");
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ properties: { email: "ada@example.com" } });

    const secret = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/trigger-secret`, { key: seed.key });
    expect(secret.status).toBe(201);
    const raw = JSON.stringify({ data: { email: "grace@example.com" }, user: { id: "crm-77" } });
    const signature = signTriggerRequest(secret.body.secret, raw, Math.floor(Date.now() / 1000));
    const signed = await call(t.url, "POST", trigger.body.url, {
      rawBody: raw,
      headers: { "parley-trigger-signature": signature },
    });
    expect(signed.status).toBe(201);
    expect(texts(signed.body.messages)).toBe("Contact 901 for grace@example.com");
    expect(signed.body.contactId).toEqual(expect.any(String));

    const forged = await call(t.url, "POST", trigger.body.url, {
      rawBody: raw.replace("grace", "mallory"),
      headers: { "parley-trigger-signature": signature },
    });
    expect(forged.status).toBe(401);
    expect(forged.headers.get("content-type")).toContain("application/problem+json");
    expect((await call(t.url, "POST", trigger.body.url, { body: {} })).status).toBe(401);
  }, 60_000);
});
