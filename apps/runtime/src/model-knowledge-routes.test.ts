import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiKey, uploadKnowledgeDocument } from "@parley/core";
import { createInfrastructure } from "@parley/infra";
import { makePdf } from "@parley/models/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { flowEdge, flowNode } from "./test-support/flow-document";
import {
  call,
  type JsonBody,
  seedBot,
  startTestRuntime,
  type TestRuntime,
} from "./test-support/runtime-harness";

/**
 * The REST twins of the studio's models and knowledge pages, over real HTTP against a running
 * runtime (embedded queue: the knowledge worker runs in this runtime): scopes, field errors as
 * problem+json, tenant isolation, write-only keys, and documents indexed off the request path.
 */
let t: TestRuntime;
let a: Awaited<ReturnType<typeof seedBot>>;
let b: Awaited<ReturnType<typeof seedBot>>;

const flow = () => ({
  version: 1,
  id: "hello",
  name: "Hello",
  variables: [],
  settings: { language: "en" },
  nodes: [
    flowNode("start", "start", {}, 0),
    flowNode("hi", "message", { text: "Hi" }, 100),
    flowNode("done", "end", { outcome: "completed" }, 200),
  ],
  edges: [flowEdge("start", "next", "hi"), flowEdge("hi", "next", "done")],
});

async function keyWith(seed: typeof a, scopes: string[]): Promise<string> {
  return (await createApiKey(seed.ctx, { name: scopes.join(" "), scopes: scopes as ["*"] })).key;
}

/** The document's list entry once the knowledge worker has finished with it. */
async function settled(key: string, botId: string, documentId: string): Promise<JsonBody> {
  return vi.waitFor(
    async () => {
      const list = await call(t.url, "GET", `/api/v1/bots/${botId}/knowledge/documents`, { key });
      const document = list.body.items.find((d: JsonBody) => d.id === documentId);
      if (!document || document.status === "pending" || document.status === "indexing")
        throw new Error(`document ${documentId} is ${document?.status ?? "missing"}`);
      return document;
    },
    { timeout: 20_000, interval: 50 },
  );
}

beforeAll(async () => {
  t = await startTestRuntime("embedded", { RUNTIME_KNOWLEDGE_SWEEP_MS: "200" });
  a = await seedBot(t.runtime, flow());
  b = await seedBot(t.runtime, flow());
}, 120_000);

afterAll(async () => {
  await t?.cleanup();
});

describe("model settings over REST", () => {
  it("keeps keys write-only, and asks for the key again when the base URL changes", async () => {
    const created = await call(t.url, "POST", "/api/v1/model-providers", {
      key: a.key,
      body: {
        name: "partner",
        kind: "openai_compatible",
        baseUrl: "https://93.184.216.34/v1",
        apiKey: "sk-partner-secret-wxyz",
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "partner", hasApiKey: true, keyHint: "…wxyz" });
    expect(JSON.stringify(created.body)).not.toContain("sk-partner-secret");

    const reader = await keyWith(a, ["bots:read"]);
    const listed = await call(t.url, "GET", "/api/v1/model-providers", { key: reader });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ name: "partner", keyHint: "set" })]);

    const moved = await call(t.url, "PATCH", `/api/v1/model-providers/${created.body.id}`, {
      key: a.key,
      body: { baseUrl: "https://93.184.216.35/v1" },
    });
    expect(moved.status).toBe(422);
    expect(moved.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect(moved.body.errors.map((e: JsonBody) => e.path)).toEqual(["apiKey"]);
    const kept = await call(t.url, "GET", "/api/v1/model-providers", { key: a.key });
    expect(kept.body.items[0].baseUrl).toBe("https://93.184.216.34/v1");

    const renamed = await call(t.url, "PATCH", `/api/v1/model-providers/${created.body.id}`, {
      key: a.key,
      body: { enabled: false },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ enabled: false, keyHint: "…wxyz" });

    const audit = await t.testDb.db
      .forTenant(a.tenant.id)
      .auditLogEntry.findMany({ where: { targetType: "model_provider" }, orderBy: { createdAt: "asc" } });
    expect(audit.map((row) => [row.action, row.actorType])).toEqual([
      ["model_provider.create", "api_key"],
      ["model_provider.update", "api_key"],
    ]);
    expect(JSON.stringify(audit)).not.toContain("wxyz");

    expect(
      (await call(t.url, "DELETE", `/api/v1/model-providers/${created.body.id}`, { key: a.key })).status,
    ).toBe(204);
  });

  it("refuses keys without the scope, and names the field of bad input", async () => {
    const reader = await keyWith(a, ["bots:read"]);
    const refused = await call(t.url, "POST", "/api/v1/model-providers", {
      key: reader,
      body: { name: "x", kind: "openai" },
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect(
      (await call(t.url, "PUT", "/api/v1/model-routing", { key: reader, body: { defaultRoute: null } }))
        .status,
    ).toBe(403);
    // "try it" spends budget with real keys: flows:write, not models:manage or bots:read.
    const manager = await keyWith(a, ["models:manage", "bots:read"]);
    const route = await call(t.url, "POST", "/api/v1/model-routes", {
      key: manager,
      body: { name: "cheap", policy: { targets: [{ provider: "offline", model: "offline" }] } },
    });
    expect(route.status).toBe(201);
    expect(
      (
        await call(t.url, "POST", `/api/v1/model-routes/${route.body.id}/try`, {
          key: manager,
          body: { prompt: "hi" },
        })
      ).status,
    ).toBe(403);
    const tried = await call(t.url, "POST", `/api/v1/model-routes/${route.body.id}/try`, {
      key: a.key,
      body: { prompt: "Hello there" },
    });
    expect(tried.status).toBe(200);
    expect(tried.body).toMatchObject({ provider: "offline", route: "cheap", costUsd: 0 });

    const bad = await call(t.url, "POST", "/api/v1/model-providers", {
      key: a.key,
      body: { name: "has space", kind: "openai", baseUrl: "ftp://x" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: JsonBody) => e.path).sort()).toEqual(["baseUrl", "name"]);
    const unknownTarget = await call(t.url, "POST", "/api/v1/model-routes", {
      key: a.key,
      body: { name: "ghost", policy: { targets: [{ provider: "nobody", model: "m" }] } },
    });
    expect(unknownTarget.status).toBe(422);
    expect(unknownTarget.body.errors).toEqual([
      { path: "policy.targets.0.provider", message: expect.stringContaining("nobody") },
    ]);
  });

  it("sets budgets, prices and routing with the studio's rules", async () => {
    const budget = await call(t.url, "POST", "/api/v1/model-budgets", {
      key: a.key,
      body: { monthlyLimitUsd: 25, action: "downgrade" },
    });
    expect(budget.status).toBe(422);
    expect(budget.body.errors.map((e: JsonBody) => e.path)).toEqual(["downgradeRoute"]);
    const saved = await call(t.url, "POST", "/api/v1/model-budgets", {
      key: a.key,
      body: { monthlyLimitUsd: 25, botId: a.bot.id },
    });
    expect(saved.status).toBe(201);
    const patched = await call(t.url, "PATCH", `/api/v1/model-budgets/${saved.body.id}`, {
      key: a.key,
      body: { monthlyLimitUsd: 40 },
    });
    expect(patched.body).toMatchObject({ monthlyLimitUsd: 40, botId: a.bot.id });

    const price = await call(t.url, "PUT", "/api/v1/model-prices", {
      key: a.key,
      body: { provider: "openai", model: "gpt-4o", inputPerMillion: 1, outputPerMillion: 2 },
    });
    expect(price.status).toBe(200);
    const prices = await call(t.url, "GET", "/api/v1/model-prices", { key: a.key });
    expect(prices.body.prices).toEqual([expect.objectContaining({ model: "gpt-4o", inputPerMillion: 1 })]);
    expect(prices.body.defaults.length).toBeGreaterThan(0);

    const routing = await call(t.url, "PUT", "/api/v1/model-routing", {
      key: a.key,
      body: { defaultRoute: "nope", preferredProviders: [] },
    });
    expect(routing.status).toBe(422);
    expect(routing.body.errors.map((e: JsonBody) => e.path)).toEqual(["defaultRoute"]);
    const botRouting = await call(t.url, "PUT", `/api/v1/bots/${a.bot.id}/model-routing`, {
      key: a.key,
      body: { defaultRoute: "cheap", routeOverrides: [{ requested: "fast", route: "cheap" }] },
    });
    expect(botRouting.status).toBe(200);
    expect(
      (await call(t.url, "GET", `/api/v1/bots/${a.bot.id}/model-routing`, { key: a.key })).body,
    ).toMatchObject({
      defaultRoute: "cheap",
      routeOverrides: [{ requested: "fast", route: "cheap" }],
    });
  });

  it("keeps a bots:write key from changing settings.models (it needs models:manage)", async () => {
    const writer = await keyWith(a, ["bots:write", "bots:read"]);
    const refused = await call(t.url, "PATCH", `/api/v1/bots/${a.bot.id}`, {
      key: writer,
      body: { settings: { models: { routeOverrides: { fast: "expensive" } } } },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.errors.map((e: JsonBody) => e.path)).toEqual(["settings.models"]);
    const other = await call(t.url, "PATCH", `/api/v1/bots/${a.bot.id}`, {
      key: writer,
      body: { settings: { greeting: "hello" } },
    });
    expect(other.status).toBe(200);
    expect(other.body.settings.models).toMatchObject({ routeOverrides: { fast: "cheap" } });
  });

  it("answers 404 for another tenant's ids", async () => {
    const provider = await call(t.url, "POST", "/api/v1/model-providers", {
      key: a.key,
      body: { name: "a-only", kind: "offline" },
    });
    const routes = await call(t.url, "GET", "/api/v1/model-routes", { key: a.key });
    const routeId = routes.body.items[0].id;
    const budgets = await call(t.url, "GET", "/api/v1/model-budgets", { key: a.key });
    const budgetId = budgets.body.items[0].id;
    const prices = await call(t.url, "GET", "/api/v1/model-prices", { key: a.key });
    const priceId = prices.body.prices[0].id;
    const probes: Array<[string, string, unknown?]> = [
      ["PATCH", `/api/v1/model-providers/${provider.body.id}`, { enabled: false }],
      ["DELETE", `/api/v1/model-providers/${provider.body.id}`],
      ["PATCH", `/api/v1/model-routes/${routeId}`, { description: "mine" }],
      ["DELETE", `/api/v1/model-routes/${routeId}`],
      ["POST", `/api/v1/model-routes/${routeId}/try`, { prompt: "spend" }],
      ["PATCH", `/api/v1/model-budgets/${budgetId}`, { monthlyLimitUsd: 1 }],
      ["DELETE", `/api/v1/model-budgets/${budgetId}`],
      ["DELETE", `/api/v1/model-prices/${priceId}`],
      ["GET", `/api/v1/bots/${a.bot.id}/model-routing`],
      ["PUT", `/api/v1/bots/${a.bot.id}/model-routing`, { defaultRoute: null }],
      ["GET", `/api/v1/bots/${a.bot.id}/knowledge/documents`],
      ["POST", `/api/v1/bots/${a.bot.id}/knowledge/documents`, { text: "mine now" }],
      ["POST", `/api/v1/bots/${a.bot.id}/knowledge/search`, { query: "anything" }],
    ];
    for (const [method, path, body] of probes) {
      const response = await call(t.url, method, path, { key: b.key, ...(body ? { body } : {}) });
      expect([method, path, response.status]).toEqual([method, path, 404]);
    }
    expect((await call(t.url, "GET", "/api/v1/model-providers", { key: b.key })).body.items).toEqual([]);
  });
});

describe("knowledge documents over REST", { timeout: 60_000 }, () => {
  it("queues a JSON upload as pending, indexes it in the worker, searches and deletes it", async () => {
    const added = await call(t.url, "POST", `/api/v1/bots/${a.bot.id}/knowledge/documents`, {
      key: a.key,
      body: {
        text: "# Shipping\n\nExpress delivery arrives the next working day when ordered before noon.",
        mediaType: "text/markdown",
      },
    });
    expect(added.status).toBe(202);
    const [queued] = added.body.items;
    expect(queued).toMatchObject({ duplicate: false, document: { status: "pending", source: "markdown" } });
    const ready = await settled(a.key, a.bot.id, queued.document.id);
    expect(ready).toMatchObject({ status: "ready", title: "Shipping" });
    expect(ready.chunkCount).toBeGreaterThan(0);

    const found = await call(t.url, "POST", `/api/v1/bots/${a.bot.id}/knowledge/search`, {
      key: a.key,
      body: { query: "express delivery", limit: 3 },
    });
    expect(found.status).toBe(200);
    expect(found.body.items[0]).toMatchObject({ documentId: queued.document.id, title: "Shipping" });
    // Another tenant's bot id for the document: not found.
    expect(
      (
        await call(t.url, "DELETE", `/api/v1/bots/${b.bot.id}/knowledge/documents/${queued.document.id}`, {
          key: b.key,
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await call(t.url, "DELETE", `/api/v1/bots/${a.bot.id}/knowledge/documents/${queued.document.id}`, {
          key: a.key,
        })
      ).status,
    ).toBe(204);
  });

  it("takes a multipart file (PDF included) and refuses one over the limit with problem+json", async () => {
    const form = new FormData();
    form.append("title", "Kettle manual");
    form.append(
      "file",
      new Blob([makePdf([["Descale the kettle every month with citric acid."]], "Kettle")], {
        type: "application/pdf",
      }),
      "kettle.pdf",
    );
    const response = await fetch(`${t.url}/api/v1/bots/${a.bot.id}/knowledge/documents`, {
      method: "POST",
      headers: { authorization: `Bearer ${a.key}` },
      body: form,
    });
    expect(response.status).toBe(202);
    const body = (await response.json()) as JsonBody;
    expect(body.items[0].document).toMatchObject({
      title: "Kettle manual",
      source: "pdf",
      status: "pending",
    });
    expect(await settled(a.key, a.bot.id, body.items[0].document.id)).toMatchObject({ status: "ready" });

    const big = new FormData();
    big.append(
      "file",
      new Blob([new Uint8Array(10 * 1024 * 1024 + 1).fill(97)], { type: "text/plain" }),
      "big.txt",
    );
    const tooLarge = await fetch(`${t.url}/api/v1/bots/${a.bot.id}/knowledge/documents`, {
      method: "POST",
      headers: { authorization: `Bearer ${a.key}` },
      body: big,
    });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get("content-type")).toMatch(/application\/problem\+json/);

    const unknownType = new FormData();
    unknownType.append("file", new Blob(["MZ"], { type: "application/octet-stream" }), "tool.exe");
    const refused = await fetch(`${t.url}/api/v1/bots/${a.bot.id}/knowledge/documents`, {
      method: "POST",
      headers: { authorization: `Bearer ${a.key}` },
      body: unknownType,
    });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as JsonBody).errors.map((e: JsonBody) => e.path)).toEqual(["mediaType"]);
  });

  it("names the field of a bad JSON upload and needs knowledge:write", async () => {
    const both = await call(t.url, "POST", `/api/v1/bots/${a.bot.id}/knowledge/documents`, {
      key: a.key,
      body: { text: "x", url: "https://example.com/" },
    });
    expect(both.status).toBe(400);
    expect(both.body.errors.map((e: JsonBody) => e.path)).toEqual(["text"]);
    const badUrl = await call(t.url, "POST", `/api/v1/bots/${a.bot.id}/knowledge/documents`, {
      key: a.key,
      body: { urls: ["file:///etc/passwd"] },
    });
    expect(badUrl.body.errors.map((e: JsonBody) => e.path)).toEqual(["urls.0"]);
    const reader = await keyWith(a, ["bots:read"]);
    expect(
      (
        await call(t.url, "POST", `/api/v1/bots/${a.bot.id}/knowledge/documents`, {
          key: reader,
          body: { text: "x" },
        })
      ).status,
    ).toBe(403);
  });

  it("indexes the Markdown that used to block ingestion for 18 s (and larger variants)", async () => {
    const payloads = [
      `# a${" ".repeat(4_000)}b`,
      `# a${" ".repeat(400_000)}b`,
      `# x ${"**a ".repeat(100_000)}`,
    ];
    for (const text of payloads) {
      const added = await call(t.url, "POST", `/api/v1/bots/${b.bot.id}/knowledge/documents`, {
        key: b.key,
        body: { text, mediaType: "text/markdown" },
      });
      expect([added.status, added.body.detail]).toEqual([202, undefined]);
      const document = await settled(b.key, b.bot.id, added.body.items[0].document.id);
      expect(document).toMatchObject({ status: "ready" });
      expect(document.chunkCount).toBeGreaterThan(0);
    }
  });

  it("indexes a document queued by a process without the queue (the studio in embedded mode)", async () => {
    // The studio's infrastructure in embedded mode: no job queue (the runtime owns the journal).
    const dataDir = mkdtempSync(join(tmpdir(), "parley-studio-like-"));
    const infra = await createInfrastructure({
      dataDir,
      withQueue: false,
      logger: { info() {}, warn() {}, error() {} } as never,
    });
    try {
      const studioCtx = { ...a.ctx, deps: { ...t.runtime.deps, infra } };
      const { document } = await uploadKnowledgeDocument(studioCtx, a.bot.id, {
        format: "text",
        content: "Gift cards never expire and can be used in every store.",
        title: "Gift cards",
      });
      expect(document.status).toBe("pending");
      // The runtime's sweep enqueues it and its worker indexes it.
      expect(await settled(a.key, a.bot.id, document.id)).toMatchObject({
        status: "ready",
        title: "Gift cards",
      });
    } finally {
      await infra.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("documents the new endpoints in the OpenAPI document", async () => {
    const document = (await call(t.url, "GET", "/api/v1/openapi.json")).body;
    for (const path of [
      "/api/v1/model-providers",
      "/api/v1/model-providers/{providerId}",
      "/api/v1/model-routes/{routeId}/try",
      "/api/v1/model-budgets",
      "/api/v1/model-prices",
      "/api/v1/model-routing",
      "/api/v1/bots/{botId}/model-routing",
      "/api/v1/bots/{botId}/knowledge/documents",
      "/api/v1/bots/{botId}/knowledge/documents/{documentId}",
      "/api/v1/bots/{botId}/knowledge/search",
    ])
      expect(Object.keys(document.paths)).toContain(path);
    expect(
      Object.keys(document.paths["/api/v1/bots/{botId}/knowledge/documents"].post.requestBody.content),
    ).toEqual(["application/json", "multipart/form-data"]);
  });
});
