import { readFileSync } from "node:fs";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, seedBot, startTestRuntime, type TestRuntime } from "./test-support/runtime-harness";

/**
 * What an attacker with only the public pk_ key (or another tenant's key) can do, over HTTP against
 * a running runtime: claim identities, preset variables, drain rate limits, forge forwarded headers.
 */

const pizza = () =>
  JSON.parse(readFileSync(new URL("../../../examples/flows/pizza-order.json", import.meta.url), "utf8"));

/** The pizza flow plus variables a widget may preset (`plan`, `cart`) and one it may not (`vip`). */
function pizzaWithPresets() {
  const document = pizza();
  document.variables.push(
    { name: "plan", type: "string", clientSettable: true },
    { name: "cart", type: "object", clientSettable: true },
    { name: "vip", type: "boolean" },
  );
  return document;
}

const ORIGIN = { origin: "http://shop.test" };
const now = () => Math.floor(Date.now() / 1000);

function identityToken(
  secret: string,
  options: { alg?: string; iat?: number; exp?: number; sub?: string } = {},
): Promise<string> {
  const iat = options.iat ?? now();
  return new SignJWT({ email: "ann@example.com", name: "Ann" })
    .setProtectedHeader({ alg: options.alg ?? "HS256" })
    .setSubject(options.sub ?? "shop-user-1")
    .setIssuedAt(iat)
    .setExpirationTime(options.exp ?? iat + 300)
    .sign(new TextEncoder().encode(secret));
}

describe("publishable-key attacks over HTTP (no trusted proxies)", () => {
  let t: TestRuntime;
  let seed: Awaited<ReturnType<typeof seedBot>>;

  beforeAll(async () => {
    t = await startTestRuntime("postgres+redis", {
      RUNTIME_RATE_LIMIT_TENANT: "40",
      RUNTIME_RATE_LIMIT_KEY: "15",
      RUNTIME_RATE_LIMIT_PUBLISHABLE_CLIENT: "30",
      RUNTIME_RATE_LIMIT_CONVERSATION: "3",
    });
    seed = await seedBot(t.runtime, pizzaWithPresets());
  }, 90_000);
  afterAll(() => t?.cleanup(), 30_000);

  const start = (body: unknown, key = seed.bot.publishableKey) =>
    call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/conversations`, { key, body, headers: ORIGIN });

  it("a pk_ start cannot claim an existing WhatsApp contact: no access to their data or variables", async () => {
    const victim = { id: "+15551230000", name: "Victim" };
    const theirs = await start({ user: victim, channel: "whatsapp" }, seed.key);
    expect(theirs.status).toBe(201);
    const answered = await call(
      t.url,
      "POST",
      `/api/v1/conversations/${theirs.body.conversationId}/messages`,
      {
        key: seed.key,
        body: { text: "Victoria" },
      },
    );
    expect(answered.status).toBe(200);

    for (const body of [
      { user: victim, channel: "whatsapp" },
      { user: victim, channel: "web" },
      { user: victim },
      { channel: "whatsapp" },
    ]) {
      const claim = await start(body);
      expect(claim.status, JSON.stringify(body)).toBe(403);
      expect(claim.headers.get("content-type")).toContain("application/problem+json");
      expect(["identity-token-required", "channel-not-allowed"]).toContain(claim.body.code);
    }
    const anonymous = await start({ channel: "web" });
    expect(anonymous.status).toBe(201);
    expect(JSON.stringify(anonymous.body)).not.toContain("Victoria");
    const row = await t.testDb.db.system.conversation.findUniqueOrThrow({
      where: { id: anonymous.body.conversationId },
      select: { channel: true, contactId: true, variables: true },
    });
    expect(row.channel).toBe("web");
    expect(row.contactId).toBeNull();
    expect(row.variables).not.toHaveProperty("customerName");
    // The victim's contact is untouched by what the anonymous visitor answers.
    await call(t.url, "POST", `/api/v1/conversations/${anonymous.body.conversationId}/messages`, {
      key: seed.bot.publishableKey,
      body: { text: "Mallory" },
      headers: ORIGIN,
    });
    const contact = await t.testDb.db.system.contact.findFirstOrThrow({
      where: { identities: { some: { externalId: victim.id } } },
    });
    expect(contact.attributes).toEqual({ customerName: "Victoria" });
  });

  it("links a visitor only with a valid identity token (valid, expired, wrong alg, wrong secret, too long)", async () => {
    const statusPath = `/api/v1/bots/${seed.bot.id}/identity-secret`;
    expect((await call(t.url, "GET", statusPath, { key: seed.key })).body).toEqual({
      botId: seed.bot.id,
      enabled: false,
    });
    const pkGenerate = await call(t.url, "POST", statusPath, {
      key: seed.bot.publishableKey,
      headers: ORIGIN,
    });
    expect(pkGenerate.status).toBe(403);
    const generated = await call(t.url, "POST", statusPath, { key: seed.key });
    expect(generated.status).toBe(201);
    expect(generated.body).toMatchObject({ botId: seed.bot.id, rotated: false });
    const secret = generated.body.secret as string;
    expect(secret).toMatch(/^idsec_[A-Za-z0-9_-]{43}$/);
    // Shown once: the status never carries it, nor does the bot.
    const status = await call(t.url, "GET", statusPath, { key: seed.key });
    expect(status.body).toEqual({ botId: seed.bot.id, enabled: true });
    const bot = await call(t.url, "GET", `/api/v1/bots/${seed.bot.id}`, { key: seed.key });
    expect(JSON.stringify(bot.body)).not.toContain(secret);

    const valid = await start({ identityToken: await identityToken(secret) });
    expect(valid.status).toBe(201);
    const row = await t.testDb.db.system.conversation.findUniqueOrThrow({
      where: { id: valid.body.conversationId },
      select: { channel: true, contactId: true, metadata: true },
    });
    expect(row.channel).toBe("web");
    expect(row.contactId).not.toBeNull();
    expect(row.metadata).toEqual({
      user: { id: "shop-user-1", name: "Ann", email: "ann@example.com", verified: true },
    });

    const refused: [string, Promise<string>][] = [
      ["expired", identityToken(secret, { iat: now() - 900, exp: now() - 300 })],
      ["wrong alg", identityToken(secret, { alg: "HS384" })],
      ["wrong secret", identityToken(`${secret}x`)],
      ["lifetime over an hour", identityToken(secret, { exp: now() + 2 * 3600 })],
    ];
    for (const [name, token] of refused) {
      const response = await start({ identityToken: await token });
      expect(response.status, name).toBe(401);
      expect(response.body.code, name).toBe("invalid-identity-token");
      expect(response.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("presets only clientSettable variables, typed; a 20,000-deep value is a 400, not a 500", async () => {
    const ok = await start({ variables: { plan: "gold", cart: { items: [{ sku: "p1" }] } } });
    expect(ok.status).toBe(201);
    const closed = await start({ variables: { vip: true } });
    expect(closed.status).toBe(422);
    expect(closed.body.code).toBe("variable-not-client-settable");
    expect(closed.body.detail).toContain("vip");
    expect(closed.body.errors).toEqual([
      { path: "variables.vip", message: "not clientSettable in the flow" },
    ]);
    const mistyped = await start({ variables: { plan: ["gold"] } });
    expect(mistyped.status).toBe(422);
    expect(mistyped.body.code).toBe("variable-type-mismatch");
    expect(mistyped.body.errors).toEqual([{ path: "variables.plan", message: "expected string, got list" }]);
    const deep = await start({ variables: { cart: { a: { b: { c: { d: { e: { f: 1 } } } } } } } });
    expect(deep.status).toBe(422);
    expect(deep.body.code).toBe("variables-too-deep");

    const bomb = `{"variables":{"cart":${"[".repeat(20_000)}${"]".repeat(20_000)}}}`;
    for (const key of [seed.bot.publishableKey, seed.key]) {
      const response = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/conversations`, {
        key,
        rawBody: bomb,
        headers: ORIGIN,
      });
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      expect(response.body.errors[0]).toEqual({
        path: "variables.cart",
        message: "the value is nested deeper than 32 levels",
      });
    }
    // Fastify's JSON parser (JSON.parse, then secure-json-parse's scan for __proto__) copes with depth:
    // a prototype-poisoning key at the bottom of a deep value is a 400 too.
    const poisoned = `{"variables":{"cart":${'{"a":'.repeat(20_000)}{"__proto__":{"x":1}}${"}".repeat(20_000)}}}`;
    const refused = await call(t.url, "POST", `/api/v1/bots/${seed.bot.id}/conversations`, {
      key: seed.key,
      rawBody: poisoned,
    });
    expect(refused.status).toBe(400);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect((await call(t.url, "GET", "/health")).status).toBe(200);
  });

  it("a pk_ flood (and a forged X-Forwarded-For) cannot make the tenant's own sk_ calls 429", async () => {
    const flooded = await seedBot(t.runtime, pizza());
    const path = `/api/v1/widget/bots/${flooded.bot.id}/config`;
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      const response = await call(t.url, "GET", path, {
        key: flooded.bot.publishableKey,
        // Without TRUSTED_PROXIES a forged X-Forwarded-For is ignored: every request is the same visitor.
        headers: { ...ORIGIN, "x-forwarded-for": `203.0.113.${i}` },
      });
      statuses.push(response.status);
      if (response.status === 429) expect(response.body.detail).toContain("visitor");
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(30);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
    const own = await call(t.url, "GET", `/api/v1/bots/${flooded.bot.id}`, { key: flooded.key });
    expect(own.status).toBe(200);

    // A key refused by its own bucket does not charge the tenant's: the tenant's other key still works.
    const second = await call(t.url, "POST", "/api/v1/api-keys", {
      key: flooded.key,
      body: { name: "second", scopes: ["bots:read"] },
    });
    expect(second.status).toBe(201);
    let refusedByKey = 0;
    for (let i = 0; i < 50; i++) {
      const response = await call(t.url, "GET", "/api/v1/bots", { key: flooded.key });
      if (response.status === 429) {
        refusedByKey++;
        expect(response.body.detail).toContain("API key");
      }
    }
    expect(refusedByKey).toBeGreaterThan(30);
    const other = await call(t.url, "GET", "/api/v1/bots", { key: second.body.key });
    expect(other.status).toBe(200);
  });

  it("ignores forwarded host and proto from an untrusted peer (no origin spoofing)", async () => {
    const response = await call(t.url, "GET", `/api/v1/widget/bots/${seed.bot.id}/config`, {
      key: seed.bot.publishableKey,
      headers: { origin: "https://evil.test", "x-forwarded-host": "evil.test", "x-forwarded-proto": "https" },
    });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe("origin-not-allowed");
  });

  it("another tenant's requests for a conversation id get 404 without spending its budget", async () => {
    const owner = await seedBot(t.runtime, pizza());
    const stranger = await seedBot(t.runtime, pizza());
    const started = await call(t.url, "POST", `/api/v1/bots/${owner.bot.id}/conversations`, {
      key: owner.key,
      body: {},
    });
    const path = `/api/v1/conversations/${started.body.conversationId}/messages`;
    for (let i = 0; i < 8; i++) {
      const foreign = await call(t.url, "POST", path, { key: stranger.key, body: { text: "hi" } });
      expect(foreign.status).toBe(404);
    }
    for (const text of ["Ann", "small", "small"]) {
      expect((await call(t.url, "POST", path, { key: owner.key, body: { text } })).status).toBe(200);
    }
    const fourth = await call(t.url, "POST", path, { key: owner.key, body: { text: "again" } });
    expect(fourth.status).toBe(429);
  });

  it("answers an id over 100 characters with a 414 problem+json", async () => {
    const response = await call(t.url, "GET", `/api/v1/conversations/${"a".repeat(101)}`, { key: seed.key });
    expect(response.status).toBe(414);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect(response.body).toMatchObject({ status: 414, code: "path-parameter-too-long" });
    expect(response.body.detail).toContain("100 characters");
  });
});

describe("behind a trusted proxy (TRUSTED_PROXIES)", () => {
  let t: TestRuntime;
  let seed: Awaited<ReturnType<typeof seedBot>>;

  beforeAll(async () => {
    t = await startTestRuntime("postgres+redis", {
      TRUSTED_PROXIES: "127.0.0.1, ::1",
      RUNTIME_RATE_LIMIT_PUBLISHABLE_CLIENT: "5",
    });
    seed = await seedBot(t.runtime, pizza());
  }, 90_000);
  afterAll(() => t?.cleanup(), 30_000);

  it("honours X-Forwarded-For from the proxy: each visitor has its own bucket", async () => {
    const path = `/api/v1/widget/bots/${seed.bot.id}/config`;
    const get = (client: string) =>
      call(t.url, "GET", path, {
        key: seed.bot.publishableKey,
        headers: { ...ORIGIN, "x-forwarded-for": client },
      });
    const first: number[] = [];
    for (let i = 0; i < 7; i++) first.push((await get("198.51.100.1")).status);
    expect(first).toEqual([200, 200, 200, 200, 200, 429, 429]);
    // Another visitor behind the same proxy is not limited by the first one.
    expect((await get("198.51.100.2")).status).toBe(200);
  });
});
