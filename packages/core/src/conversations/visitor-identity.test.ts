import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateIdentitySecret, identityVerificationStatus } from "../bots/identity-secret";
import type { ServiceContext } from "../context";
import { createFlow, publishFlow } from "../flows/flows";
import { createHarness, type Harness, pizzaFlow, seedTenant } from "../test-support/harness";
import { rejection } from "../test-support/service-error";
import { sendMessage, startConversation } from "./conversations";

let harness: Harness;
let seed: Awaited<ReturnType<typeof seedTenant>>;
let widget: ServiceContext;

beforeAll(async () => {
  harness = await createHarness();
  seed = await seedTenant(harness.deps, "Identity");
  widget = {
    deps: harness.deps,
    tenantId: seed.tenant.id,
    actor: { type: "widget", botId: seed.bot.id, label: "widget" },
  };
}, 60_000);
afterAll(() => harness?.cleanup());

const now = () => Math.floor(Date.now() / 1000);

/** An identity token as a site's server would sign it (jose), with overridable parts. */
function sign(
  secret: string,
  claims: Record<string, unknown> = {},
  options: { alg?: string; iat?: number; exp?: number } = {},
) {
  const iat = options.iat ?? now();
  return new SignJWT({ email: "ann@example.com", name: "Ann", ...claims })
    .setProtectedHeader({ alg: options.alg ?? "HS256" })
    .setSubject("user-42")
    .setIssuedAt(iat)
    .setExpirationTime(options.exp ?? iat + 600)
    .sign(new TextEncoder().encode(secret));
}

async function conversationRow(conversationId: string) {
  return harness.deps.db.forTenant(seed.tenant.id).conversation.findFirstOrThrow({
    where: { id: conversationId },
    select: { channel: true, contactId: true, metadata: true, variables: true },
  });
}

describe("publishable-key starts", () => {
  it("cannot claim an existing contact or channel: a pk start is an anonymous web visitor", async () => {
    // A WhatsApp customer with stored contact variables (through a secret-key start).
    const victim = { id: "+15551230000", name: "Victim" };
    const first = await startConversation(seed.ctx, seed.bot.id, { user: victim, channel: "whatsapp" });
    await sendMessage(seed.ctx, first.conversationId, { text: "Victoria" });

    const claimUser = await rejection(
      startConversation(widget, seed.bot.id, { user: victim, channel: "whatsapp" }),
    );
    expect(claimUser.code).toBe("identity-token-required");
    const claimChannel = await rejection(startConversation(widget, seed.bot.id, { channel: "whatsapp" }));
    expect(claimChannel.code).toBe("channel-not-allowed");

    const anonymous = await startConversation(widget, seed.bot.id, { channel: "web" });
    const row = await conversationRow(anonymous.conversationId);
    expect(row).toMatchObject({ channel: "web", contactId: null, metadata: {} });
    expect(row.variables).not.toHaveProperty("customerName");
    // No channel given: still web, never the schema's `api` default.
    expect(
      (await conversationRow((await startConversation(widget, seed.bot.id, {})).conversationId)).channel,
    ).toBe("web");
  }, 60_000);

  it("links the visitor to a user only with a valid identity token signed with the bot's secret", async () => {
    const off = await rejection(startConversation(widget, seed.bot.id, { identityToken: await sign("x") }));
    expect(off.code).toBe("identity-verification-off");
    expect(await identityVerificationStatus(seed.ctx, seed.bot.id)).toEqual({
      botId: seed.bot.id,
      enabled: false,
    });

    const { secret, rotated } = await generateIdentitySecret(seed.ctx, seed.bot.id);
    expect(secret).toMatch(/^idsec_/);
    expect(rotated).toBe(false);
    expect((await identityVerificationStatus(seed.ctx, seed.bot.id)).enabled).toBe(true);
    // Stored encrypted, never in clear.
    const stored = await harness.deps.db
      .forTenant(seed.tenant.id)
      .bot.findFirstOrThrow({ where: { id: seed.bot.id }, select: { identitySecretCiphertext: true } });
    expect(stored.identitySecretCiphertext).not.toContain(secret);

    const started = await startConversation(widget, seed.bot.id, { identityToken: await sign(secret) });
    await sendMessage(widget, started.conversationId, { text: "Ann" });
    const row = await conversationRow(started.conversationId);
    expect(row.channel).toBe("web");
    expect(row.contactId).not.toBeNull();
    expect(row.metadata).toEqual({
      user: { id: "user-42", name: "Ann", email: "ann@example.com", verified: true },
    });
    // The same user again: the same contact, with its contact-scoped variables carried over.
    const again = await startConversation(widget, seed.bot.id, { identityToken: await sign(secret) });
    const againRow = await conversationRow(again.conversationId);
    expect(againRow.contactId).toBe(row.contactId);
    expect(againRow.variables).toMatchObject({ customerName: "Ann" });

    const reasons: [string, Promise<string>][] = [
      ["has expired", sign(secret, {}, { iat: now() - 1200, exp: now() - 600 })],
      ["is not signed with this bot's identity secret", sign("idsec_someone-elses-secret")],
      ["must be signed with HS256", sign(secret, {}, { alg: "HS512" })],
      ["lives 7200 s", sign(secret, {}, { exp: now() + 7200 })],
      ["`email` claim", sign(secret, { email: "not an address" })],
      ["is not a valid JWT", Promise.resolve("not.a.jwt")],
      // alg "none": an unsigned token.
      [
        "must be signed with HS256",
        Promise.resolve(
          `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(
            JSON.stringify({ sub: "user-42", iat: now(), exp: now() + 60 }),
          ).toString("base64url")}.`,
        ),
      ],
    ];
    for (const [reason, token] of reasons) {
      const error = await rejection(startConversation(widget, seed.bot.id, { identityToken: await token }));
      expect(error.code, reason).toBe("invalid-identity-token");
      expect(error.kind).toBe("unauthenticated");
      expect(error.message).toContain(reason);
    }

    // Rotation: tokens signed with the old secret stop working at once.
    const next = await generateIdentitySecret(seed.ctx, seed.bot.id);
    expect(next.rotated).toBe(true);
    const stale = await rejection(
      startConversation(widget, seed.bot.id, { identityToken: await sign(secret) }),
    );
    expect(stale.code).toBe("invalid-identity-token");
    await startConversation(widget, seed.bot.id, { identityToken: await sign(next.secret) });

    // Only bots:write may generate one.
    const viewer: ServiceContext = {
      ...seed.ctx,
      actor: { type: "user", userId: seed.owner.id, role: "viewer", label: "viewer" },
    };
    expect((await rejection(generateIdentitySecret(viewer, seed.bot.id))).kind).toBe("forbidden");
    expect((await rejection(generateIdentitySecret(widget, seed.bot.id))).kind).toBe("forbidden");
  }, 60_000);
});

describe("start variables", () => {
  it("a publishable key presets only clientSettable variables, type-checked and bounded", async () => {
    const document = pizzaFlow() as { variables: Record<string, unknown>[] };
    document.variables.push(
      { name: "plan", type: "string", clientSettable: true },
      { name: "cart", type: "object", clientSettable: true },
      { name: "vip", type: "boolean" },
    );
    const flow = await createFlow(seed.ctx, { botId: seed.bot.id, document });
    await publishFlow(seed.ctx, flow.id, {});
    const { updateBot } = await import("../bots/bots");
    await updateBot(seed.ctx, seed.bot.id, { entryFlowId: flow.id });

    const ok = await startConversation(widget, seed.bot.id, {
      variables: { plan: "gold", cart: { items: [{ sku: "p1", qty: 2 }] } },
    });
    expect((await conversationRow(ok.conversationId)).variables).toMatchObject({ plan: "gold" });

    const closed = await rejection(startConversation(widget, seed.bot.id, { variables: { vip: true } }));
    expect(closed.code).toBe("variable-not-client-settable");
    expect(closed.message).toContain("vip");
    expect(closed.details.errors).toEqual([
      { path: "variables.vip", message: "not clientSettable in the flow" },
    ]);
    // Contact-scoped variables the widget may not touch either.
    expect(
      (await rejection(startConversation(widget, seed.bot.id, { variables: { customerName: "x" } }))).code,
    ).toBe("variable-not-client-settable");

    const mistyped = await rejection(startConversation(widget, seed.bot.id, { variables: { plan: 7 } }));
    expect(mistyped.code).toBe("variable-type-mismatch");
    expect(mistyped.details.errors).toEqual([
      { path: "variables.plan", message: "expected string, got number" },
    ]);
    // Secret keys may set any declared variable, but typed too.
    expect(
      (await rejection(startConversation(seed.ctx, seed.bot.id, { variables: { vip: "yes" } }))).code,
    ).toBe("variable-type-mismatch");
    await startConversation(seed.ctx, seed.bot.id, { variables: { vip: true } });

    let deep: unknown = { leaf: 1 };
    for (let i = 0; i < 6; i++) deep = { nested: deep };
    const tooDeep = await rejection(startConversation(widget, seed.bot.id, { variables: { cart: deep } }));
    expect(tooDeep.code).toBe("variables-too-deep");
    expect(tooDeep.message).toContain("cart");
    const tooLarge = await rejection(
      startConversation(widget, seed.bot.id, { variables: { plan: "x".repeat(9_000) } }),
    );
    expect(tooLarge.code).toBe("variables-too-large");

    // 20,000 levels deep: refused by the request schema before anything recursive touches it.
    let bomb: unknown = [];
    for (let i = 0; i < 20_000; i++) bomb = [bomb];
    const refused = await rejection(startConversation(seed.ctx, seed.bot.id, { variables: { cart: bomb } }));
    expect(refused.kind).toBe("invalid");
    expect(refused.details.errors?.[0]?.path).toBe("variables.cart");
  }, 60_000);
});

describe("per-conversation budget", () => {
  it("is keyed by tenant and spent only after ownership: a foreign request gets 404 and costs nothing", async () => {
    const deps = { ...harness.deps, conversationRateLimit: 3 };
    const owner = { ...seed.ctx, deps };
    const other = await seedTenant(harness.deps, "Other");
    const stranger = { ...other.ctx, deps };
    const { conversationId } = await startConversation(owner, seed.bot.id, {});
    for (let i = 0; i < 10; i++) {
      const error = await rejection(sendMessage(stranger, conversationId, { text: "hi" }));
      expect(error.code).toBe("conversation-not-found");
    }
    for (let i = 0; i < 3; i++) await sendMessage(owner, conversationId, { text: `message ${i}` });
    expect((await rejection(sendMessage(owner, conversationId, { text: "one too many" }))).code).toBe(
      "rate-limited",
    );
  }, 60_000);
});
