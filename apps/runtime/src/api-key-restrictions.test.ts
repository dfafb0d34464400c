import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, seedBot, startTestRuntime, type TestRuntime } from "./test-support/runtime-harness";

const pizza = () =>
  JSON.parse(readFileSync(new URL("../../../examples/flows/pizza-order.json", import.meta.url), "utf8"));

describe("API keys restricted to address ranges, over HTTP", () => {
  let t: TestRuntime;
  let seed: Awaited<ReturnType<typeof seedBot>>;

  beforeAll(async () => {
    t = await startTestRuntime("embedded");
    seed = await seedBot(t.runtime, pizza());
  }, 90_000);
  afterAll(() => t?.cleanup(), 30_000);

  it("creates a restricted key over REST and refuses it from outside its ranges (403 problem+json)", async () => {
    const created = await call(t.url, "POST", "/api/v1/api-keys", {
      key: seed.key,
      body: { name: "office", scopes: ["bots:read"], allowedCidrs: ["10.0.0.0/8"] },
    });
    expect(created.status).toBe(201);
    expect(created.body.apiKey.allowedCidrs).toEqual(["10.0.0.0/8"]);

    const refused = await call(t.url, "GET", "/api/v1/bots", { key: created.body.key });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(refused.body.code).toBe("api-key-address-not-allowed");
    expect(refused.body.detail).toContain("127.0.0.1");
  });

  it("accepts a key restricted to loopback from loopback", async () => {
    const created = await call(t.url, "POST", "/api/v1/api-keys", {
      key: seed.key,
      body: { name: "local", scopes: ["bots:read"], allowedCidrs: ["127.0.0.0/8", "::1"] },
    });
    const listed = await call(t.url, "GET", "/api/v1/bots", { key: created.body.key });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((b: { id: string }) => b.id)).toContain(seed.bot.id);
  });

  it("refuses a malformed range naming the field", async () => {
    const bad = await call(t.url, "POST", "/api/v1/api-keys", {
      key: seed.key,
      body: { name: "bad", scopes: ["bots:read"], allowedCidrs: ["10.0.0.0/40"] },
    });
    expect(bad.status).toBe(422);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    expect(JSON.stringify(bad.body)).toContain("allowedCidrs.0");
    expect(JSON.stringify(bad.body)).toContain("CIDR range");
  });
});
