import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, seedBot, startTestRuntime, type TestRuntime } from "./test-support/runtime-harness";

const SECRET = "tok-4f1c2b9e-very-secret";

/** start -> http (through integration "crm") -> say the status -> end; errors say why. */
const flow = {
  version: 1,
  id: "crm-lookup",
  name: "CRM lookup",
  variables: [{ name: "status", type: "string" }],
  nodes: [
    { id: "start", kind: "start", position: { x: 0, y: 0 }, data: {} },
    {
      id: "lookup",
      kind: "http",
      position: { x: 0, y: 0 },
      data: {
        integrationId: "crm",
        method: "GET",
        url: "/accounts/1",
        responseMapping: [{ variable: "status", expression: "body.status" }],
      },
    },
    { id: "ok", kind: "message", position: { x: 0, y: 0 }, data: { text: "Account is {{ status }}" } },
    { id: "ko", kind: "message", position: { x: 0, y: 0 }, data: { text: "Failed: {{ sys.lastError }}" } },
    { id: "end", kind: "end", position: { x: 0, y: 0 }, data: {} },
  ],
  edges: [
    { id: "a", source: "start", sourceHandle: "next", target: "lookup" },
    { id: "b", source: "lookup", sourceHandle: "success", target: "ok" },
    { id: "c", source: "lookup", sourceHandle: "error", target: "ko" },
    { id: "d", source: "ok", sourceHandle: "next", target: "end" },
    { id: "e", source: "ko", sourceHandle: "next", target: "end" },
  ],
};

describe("integrations over the REST API (embedded)", () => {
  let t: TestRuntime;
  let seed: Awaited<ReturnType<typeof seedBot>>;
  const seen: IncomingHttpHeaders[] = [];
  const crm = createServer((request, response) => {
    seen.push(request.headers);
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "active" }));
  });
  let crmUrl: string;

  beforeAll(async () => {
    await new Promise<void>((resolve) => crm.listen(0, "127.0.0.1", resolve));
    crmUrl = `http://127.0.0.1:${(crm.address() as AddressInfo).port}`;
    t = await startTestRuntime("embedded");
    seed = await seedBot(t.runtime, flow);
  }, 90_000);
  afterAll(async () => {
    await t?.cleanup();
    await new Promise<void>((resolve) => crm.close(() => resolve()));
  }, 30_000);

  it("creates, uses, lists, updates and deletes an integration without ever showing its credentials", async () => {
    const created = await call(t.url, "POST", "/api/v1/integrations", {
      key: seed.key,
      body: {
        name: "crm",
        config: { baseUrl: `${crmUrl}/api` },
        credentials: { type: "bearer", token: SECRET },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.credentials).toMatchObject({ type: "bearer" });
    expect(JSON.stringify(created.body)).not.toContain(SECRET);

    const started = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/conversations`, {
      key: seed.key,
      body: {},
    });
    expect(started.status).toBe(201);
    expect(JSON.stringify(started.body.messages)).toContain("Account is active");
    expect(seen.at(-1)?.authorization).toBe(`Bearer ${SECRET}`);
    const transcript = await call(t.url, "GET", `/api/v1/conversations/${started.body.conversationId}`, {
      key: seed.key,
    });
    expect(JSON.stringify(transcript.body)).not.toContain(SECRET);

    const listed = await call(t.url, "GET", "/api/v1/integrations", { key: seed.key });
    expect(listed.body.items.map((item: { name: string }) => item.name)).toEqual(["crm"]);
    expect(JSON.stringify(listed.body)).not.toContain(SECRET);

    const duplicate = await call(t.url, "POST", "/api/v1/integrations", {
      key: seed.key,
      body: { name: "crm", config: { baseUrl: crmUrl } },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.headers.get("content-type")).toContain("application/problem+json");
    const invalid = await call(t.url, "POST", "/api/v1/integrations", {
      key: seed.key,
      body: { name: "x", config: { baseUrl: crmUrl }, credentials: { type: "bearer" } },
    });
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body)).toContain("credentials");

    const patched = await call(t.url, "PATCH", `/api/v1/integrations/${created.body.id}`, {
      key: seed.key,
      body: { credentials: { type: "header", name: "X-Api-Key", value: SECRET } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.credentials).toMatchObject({ type: "header" });
    await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/conversations`, { key: seed.key, body: {} });
    expect(seen.at(-1)?.["x-api-key"]).toBe(SECRET);
    expect(seen.at(-1)?.authorization).toBeUndefined();

    expect(
      (await call(t.url, "DELETE", `/api/v1/integrations/${created.body.id}`, { key: seed.key })).status,
    ).toBe(204);
    const after = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/conversations`, {
      key: seed.key,
      body: {},
    });
    expect(JSON.stringify(after.body.messages)).toContain('there is no integration \\"crm\\"');
  }, 60_000);
});
