import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Backend,
  call,
  type JsonBody,
  seedBot,
  startTestRuntime,
  type TestRuntime,
} from "./test-support/runtime-harness";

const pizza = () =>
  JSON.parse(readFileSync(new URL("../../../examples/flows/pizza-order.json", import.meta.url), "utf8"));

describe.each<Backend>(["embedded", "postgres+redis"])("REST API over HTTP (%s)", (backend) => {
  let t: TestRuntime;
  let seed: Awaited<ReturnType<typeof seedBot>>;
  let other: Awaited<ReturnType<typeof seedBot>>;

  beforeAll(async () => {
    t = await startTestRuntime(backend, {
      RUNTIME_RATE_LIMIT_CONVERSATION: "8",
      RUNTIME_BODY_LIMIT: "16384",
    });
    seed = await seedBot(t.runtime, pizza());
    other = await seedBot(t.runtime, pizza());
  }, 90_000);
  afterAll(() => t?.cleanup(), 30_000);

  const messageCount = () => t.testDb.db.system.message.count();

  it("serves health, readiness, metrics, the OpenAPI document and the docs page", async () => {
    expect((await call(t.url, "GET", "/health")).body).toEqual({ status: "ok" });
    const ready = await call(t.url, "GET", "/ready");
    expect(ready.status).toBe(200);
    expect(ready.body.checks.map((c: { name: string }) => c.name)).toEqual([
      "database",
      "redis",
      "migrations",
    ]);
    const openapi = await call(t.url, "GET", "/api/v1/openapi.json");
    expect(openapi.body.openapi).toBe("3.1.0");
    const send = openapi.body.paths["/api/v1/conversations/{conversationId}/messages"].post;
    expect(send.requestBody.content["application/json"].schema.additionalProperties).toBe(false);
    expect(Object.keys(send.responses["200"].content)).toEqual(["application/json", "text/event-stream"]);
    // The reference page (Scalar) reads the OpenAPI document and runs a script served from here, not a CDN.
    const docs = await fetch(`${t.url}/api/docs`);
    expect(docs.headers.get("content-type")).toContain("text/html");
    const page = await docs.text();
    expect(page).toContain('"url": "/api/v1/openapi.json"');
    expect(page).not.toMatch(/<script[^>]+src="https?:/);
    const script = await fetch(new URL("js/scalar.js", docs.url));
    expect(script.headers.get("content-type")).toContain("javascript");
    expect((await script.text()).length).toBeGreaterThan(100_000);
  });

  it("runs a conversation: start, messages, transcript, list, end", async () => {
    const started = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/conversations`, {
      key: seed.key,
      body: { user: { id: "u-1", name: "Ann" }, channel: "api" },
    });
    expect(started.status).toBe(201);
    expect(started.body.status).toBe("waiting");
    const id = started.body.conversationId as string;
    const reply = await call(t.url, "POST", `/api/v1/conversations/${id}/messages`, {
      key: seed.key,
      body: { text: "Ann" },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.messages.at(-1).type).toBe("ask");
    const size = await call(t.url, "POST", `/api/v1/conversations/${id}/messages`, {
      key: seed.key,
      body: { choice: "small" },
    });
    expect(size.body.status).toBe("waiting");
    const transcript = await call(t.url, "GET", `/api/v1/conversations/${id}`, { key: seed.key });
    expect(transcript.body.entries.filter((e: { author: string }) => e.author === "user")).toHaveLength(2);
    const list = await call(
      t.url,
      "GET",
      `/api/v1/bots/${seed.bot.id}/conversations?status=waiting&limit=5`,
      { key: seed.key },
    );
    expect(list.body.items.map((c: { conversationId: string }) => c.conversationId)).toContain(id);
    const ended = await call(t.url, "POST", `/api/v1/conversations/${id}/end`, { key: seed.key });
    expect(ended.body.status).toBe("ended");
    const after = await call(t.url, "POST", `/api/v1/conversations/${id}/messages`, {
      key: seed.key,
      body: { text: "hi" },
    });
    expect(after.status).toBe(409);
    expect(after.body.code).toBe("conversation-ended");
  });

  it("answers a resend with the same clientMessageId without processing it twice", async () => {
    const { body } = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/conversations`, {
      key: seed.key,
      body: {},
    });
    const send = () =>
      call(t.url, "POST", `/api/v1/conversations/${body.conversationId}/messages`, {
        key: seed.key,
        body: { text: "Zed", clientMessageId: "c-1" },
      });
    const [first, second] = await Promise.all([send(), send()]);
    expect(second.body).toEqual(first.body);
    const transcript = await call(t.url, "GET", `/api/v1/conversations/${body.conversationId}`, {
      key: seed.key,
    });
    expect(transcript.body.entries.filter((e: { author: string }) => e.author === "user")).toHaveLength(1);
  });

  it("refuses bad input with problem+json and persists nothing", async () => {
    const { body } = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/conversations`, {
      key: seed.key,
      body: {},
    });
    const id = body.conversationId as string;
    const before = await messageCount();
    const cases: [string, Promise<{ status: number; headers: Headers; body: JsonBody }>, number, string][] = [
      [
        "malformed JSON",
        call(t.url, "POST", `/api/v1/conversations/${id}/messages`, {
          key: seed.key,
          rawBody: '{"text": "hi"',
        }),
        400,
        "malformed-json",
      ],
      [
        "unknown field",
        call(t.url, "POST", `/api/v1/conversations/${id}/messages`, {
          key: seed.key,
          body: { text: "hi", extra: 1 },
        }),
        400,
        "invalid-body",
      ],
      [
        "text and choice",
        call(t.url, "POST", `/api/v1/conversations/${id}/messages`, {
          key: seed.key,
          body: { text: "a", choice: "b" },
        }),
        400,
        "invalid-body",
      ],
      [
        "oversize body",
        call(t.url, "POST", `/api/v1/conversations/${id}/messages`, {
          key: seed.key,
          body: { text: "x".repeat(20_000) },
        }),
        413,
        "body-too-large",
      ],
      [
        "unknown id",
        call(t.url, "POST", "/api/v1/conversations/0190a0a0-0000-7000-8000-000000000000/messages", {
          key: seed.key,
          body: { text: "hi" },
        }),
        404,
        "conversation-not-found",
      ],
      [
        "garbage id",
        call(t.url, "GET", "/api/v1/conversations/../../etc", { key: seed.key }),
        404,
        "route-not-found",
      ],
      [
        "another tenant's conversation",
        call(t.url, "POST", `/api/v1/conversations/${id}/messages`, { key: other.key, body: { text: "hi" } }),
        404,
        "conversation-not-found",
      ],
      [
        "another tenant's bot",
        call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/conversations`, { key: other.key, body: {} }),
        404,
        "bot-not-found",
      ],
      [
        "no key",
        call(t.url, "POST", `/api/v1/conversations/${id}/messages`, { body: { text: "hi" } }),
        401,
        "missing-api-key",
      ],
      [
        "wrong key",
        call(t.url, "POST", `/api/v1/conversations/${id}/messages`, {
          key: `sk_${"a".repeat(40)}`,
          body: { text: "hi" },
        }),
        401,
        "invalid-api-key",
      ],
      [
        "unknown variable",
        call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/conversations`, {
          key: seed.key,
          body: { variables: { nope: 1 } },
        }),
        422,
        "unknown-variable",
      ],
      [
        "wrong origin",
        call(t.url, "POST", `/api/v1/conversations/${id}/messages`, {
          key: seed.bot.publishableKey,
          body: { text: "hi" },
          headers: { origin: "http://evil.test" },
        }),
        403,
        "origin-not-allowed",
      ],
      [
        "widget key on management",
        call(t.url, "GET", "/api/v1/api-keys", { key: seed.bot.publishableKey }),
        403,
        "forbidden",
      ],
    ];
    for (const [name, promise, status, code] of cases) {
      const response = await promise;
      expect(response.status, name).toBe(status);
      expect(response.headers.get("content-type"), name).toContain("application/problem+json");
      expect(response.body.code, name).toBe(code);
      expect(response.body.detail, name).toBeTruthy();
    }
    expect(await messageCount()).toBe(before);
    const widget = await call(t.url, "POST", `/api/v1/conversations/${id}/messages`, {
      key: seed.bot.publishableKey,
      body: { text: "Widget user" },
      headers: { origin: "http://shop.test" },
    });
    expect(widget.status).toBe(200);
    expect(widget.headers.get("access-control-allow-origin")).toBe("http://shop.test");
  });

  it("gives the widget its bot's theme with the publishable key, from allowed origins only", async () => {
    const patched = await call(t.url, "PATCH", `/api/v1/bots/${seed.bot.id}`, {
      key: seed.key,
      body: { widgetTheme: { title: "Pizza Palace", primaryColor: "#e03131", position: "sideways" } },
    });
    expect(patched.status).toBe(200);
    const path = `/api/v1/widget/bots/${seed.bot.id}/config`;
    const config = await call(t.url, "GET", path, {
      key: seed.bot.publishableKey,
      headers: { origin: "http://shop.test" },
    });
    expect(config.status).toBe(200);
    expect(config.body).toEqual({
      theme: { title: "Pizza Palace", primaryColor: "#e03131" },
      imageOrigins: [],
    });
    expect(config.headers.get("access-control-allow-origin")).toBe("http://shop.test");
    const foreign = await call(t.url, "GET", `/api/v1/widget/bots/${other.bot.id}/config`, {
      key: seed.bot.publishableKey,
      headers: { origin: "http://shop.test" },
    });
    expect(foreign.status).toBe(404);
    const wrongOrigin = await call(t.url, "GET", path, {
      key: seed.bot.publishableKey,
      headers: { origin: "http://evil.test" },
    });
    expect(wrongOrigin.status).toBe(403);
    expect(wrongOrigin.body.code).toBe("origin-not-allowed");
    // The refusal is readable by the page (so the widget can say why), and the bot remembers the site.
    expect(wrongOrigin.headers.get("access-control-allow-origin")).toBe("http://evil.test");
    const bot = await call(t.url, "GET", `/api/v1/bots/${seed.bot.id}`, { key: seed.key });
    expect(bot.body.refusedOrigin).toMatchObject({ origin: "http://evil.test" });
    const allowed = await call(t.url, "PATCH", `/api/v1/bots/${seed.bot.id}`, {
      key: seed.key,
      body: { allowedOrigins: [...bot.body.allowedOrigins, "http://evil.test"] },
    });
    expect(allowed.body.refusedOrigin).toBeNull();
    await call(t.url, "PATCH", `/api/v1/bots/${seed.bot.id}`, {
      key: seed.key,
      body: { allowedOrigins: bot.body.allowedOrigins },
    });
  });

  it("refuses a revoked key", async () => {
    const created = await call(t.url, "POST", "/api/v1/api-keys", {
      key: seed.key,
      body: { name: "temp", scopes: ["conversations:read"] },
    });
    expect(created.status).toBe(201);
    expect(
      (await call(t.url, "GET", `/api/v1/bots/${seed.bot.id}/conversations`, { key: created.body.key }))
        .status,
    ).toBe(200);
    expect((await call(t.url, "GET", "/api/v1/bots", { key: created.body.key })).status).toBe(403);
    expect(
      (await call(t.url, "DELETE", `/api/v1/api-keys/${created.body.apiKey.id}`, { key: seed.key })).status,
    ).toBe(200);
    const refused = await call(t.url, "GET", `/api/v1/bots/${seed.bot.id}/conversations`, {
      key: created.body.key,
    });
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe("api-key-revoked");
    const listed = await call(t.url, "GET", "/api/v1/api-keys", { key: seed.key });
    const row = listed.body.items.find((k: { id: string }) => k.id === seed.apiKey.id);
    expect(row.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed.body)).not.toContain(seed.key);
  });

  it("rate-limits a conversation with 429 and Retry-After", async () => {
    const { body } = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/conversations`, {
      key: seed.key,
      body: {},
    });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 10; i += 1) {
      const response = await call(t.url, "POST", `/api/v1/conversations/${body.conversationId}/messages`, {
        key: seed.key,
        body: { text: "?" },
      });
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get("retry-after");
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it("manages flows over the API: import, validate, export, publish refused with problems", async () => {
    const imported = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/flows`, {
      key: seed.key,
      body: { document: pizza() },
    });
    expect(imported.status).toBe(201);
    const exported = await call(t.url, "GET", `/api/v1/flows/${imported.body.id}/export`, { key: seed.key });
    expect(exported.body.id).toBe("pizza-order");
    // What the export gives can be posted to the import as is.
    const reimported = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/flows`, {
      key: seed.key,
      body: exported.body,
    });
    expect(reimported.status).toBe(201);
    expect(reimported.body.draft).toEqual(exported.body);
    const notAFlow = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/flows`, {
      key: seed.key,
      body: { nodes: "none" },
    });
    expect(notAFlow.status).toBe(400);
    expect(JSON.stringify(notAFlow.body)).toContain("nodes");
    const broken = { ...pizza(), edges: [] };
    const saved = await call(t.url, "PUT", `/api/v1/flows/${imported.body.id}/draft`, {
      key: seed.key,
      body: { document: broken },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.validation.ok).toBe(false);
    const publish = await call(t.url, "POST", `/api/v1/flows/${imported.body.id}/publish`, {
      key: seed.key,
      body: {},
    });
    expect(publish.status).toBe(422);
    expect(publish.body.code).toBe("flow-invalid");
    expect(publish.body.errors.length).toBeGreaterThan(0);
    const stale = await call(t.url, "PUT", `/api/v1/flows/${imported.body.id}/draft`, {
      key: seed.key,
      body: { document: pizza(), expectedRevision: 0 },
    });
    expect(stale.status).toBe(409);
  });
});
