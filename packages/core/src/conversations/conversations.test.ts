import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticateKey, revokeApiKey } from "../api-keys/api-keys";
import type { ServiceContext } from "../context";
import { createFlow, publishFlow, saveFlowDraft } from "../flows/flows";
import { createHarness, type Harness, pizzaFlow, seedTenant } from "../test-support/harness";
import { rejection } from "../test-support/service-error";
import {
  endConversation,
  getConversation,
  listConversations,
  sendMessage,
  startConversation,
} from "./conversations";

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
}, 60_000);
afterAll(() => harness?.cleanup());

describe("the seeding path and the turn pipeline", () => {
  it("runs the pizza flow end to end, writing messages in order with one transcript", async () => {
    const seed = await seedTenant(harness.deps);
    const auth = await authenticateKey(harness.deps, seed.key);
    expect(auth.tenantId).toBe(seed.tenant.id);
    const api: ServiceContext = { deps: harness.deps, tenantId: auth.tenantId, actor: auth.actor };

    const started = await startConversation(api, seed.bot.id, { user: { id: "u1", name: "Ann" } });
    expect(started.status).toBe("waiting");
    expect(started.messages.map((m) => m.type)).toEqual(expect.arrayContaining(["text", "ask"]));
    const id = started.conversationId;
    const size = await sendMessage(api, id, { text: "Ann", clientMessageId: "m1" });
    expect(size.messages.at(-1)?.type).toBe("ask");
    // A resend with the same clientMessageId is answered again, not processed twice.
    const again = await sendMessage(api, id, { text: "Ann", clientMessageId: "m1" });
    expect(again.messages).toEqual(size.messages);
    await sendMessage(api, id, { choice: "large" });
    const done = await sendMessage(api, id, { text: "+1 555 123 4567" });
    expect(done.status).toBe("ended");
    expect(JSON.stringify(done.messages)).toContain("garlic bread");

    const transcript = await getConversation(api, id);
    expect(transcript.status).toBe("ended");
    expect(transcript.entries.map((e) => e.seq)).toEqual(transcript.entries.map((_, i) => i + 1));
    expect(transcript.entries.filter((e) => e.author === "user")).toHaveLength(3);

    const ended = await rejection(sendMessage(api, id, { text: "hello?" }));
    expect(ended.code).toBe("conversation-ended");
    const page = await listConversations(api, seed.bot.id, { status: "ended" });
    expect(page.items.map((item) => item.conversationId)).toContain(id);
  }, 60_000);

  it("pins running conversations to their version when a new one is published", async () => {
    const seed = await seedTenant(harness.deps, "Pinning");
    const started = await startConversation(seed.ctx, seed.bot.id, {});
    const changed = pizzaFlow();
    (changed.nodes as { id: string; data: Record<string, unknown> }[]).find(
      (n) => n.id === "greeting",
    )!.data.text = "NEW GREETING";
    await saveFlowDraft(seed.ctx, seed.flow.id, { document: changed });
    const v2 = await publishFlow(seed.ctx, seed.flow.id, {});
    expect(v2.version).toBe(2);
    const next = await startConversation(seed.ctx, seed.bot.id, {});
    expect(JSON.stringify(next.messages)).toContain("NEW GREETING");
    await sendMessage(seed.ctx, started.conversationId, { text: "Bob" });
    const rows = await harness.deps.db
      .forTenant(seed.tenant.id)
      .conversation.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => r.flowVersionId)).toEqual([seed.version.id, v2.id]);
  }, 60_000);

  it("keeps tenants apart and refuses revoked keys, missing permissions and unknown variables", async () => {
    const a = await seedTenant(harness.deps, "Tenant A");
    const b = await seedTenant(harness.deps, "Tenant B");
    const conversation = await startConversation(a.ctx, a.bot.id, {});
    expect((await rejection(getConversation(b.ctx, conversation.conversationId))).code).toBe(
      "conversation-not-found",
    );
    expect((await rejection(startConversation(b.ctx, a.bot.id, {}))).code).toBe("bot-not-found");
    expect((await rejection(startConversation(a.ctx, a.bot.id, { variables: { nope: 1 } }))).code).toBe(
      "unknown-variable",
    );

    await revokeApiKey(a.ctx, a.apiKey.id);
    expect((await rejection(authenticateKey(harness.deps, a.key))).code).toBe("api-key-revoked");

    const viewer: ServiceContext = {
      ...a.ctx,
      actor: { type: "user", userId: a.owner.id, role: "viewer", label: "v" },
    };
    expect((await rejection(createFlow(viewer, { botId: a.bot.id, document: pizzaFlow() }))).kind).toBe(
      "forbidden",
    );
    const before = await harness.deps.db.forTenant(a.tenant.id).flow.count();
    expect(before).toBe(1);
    const widget = await authenticateKey(harness.deps, a.bot.publishableKey);
    expect(widget.allowedOrigins).toEqual(["http://shop.test"]);
    const widgetCtx: ServiceContext = { deps: harness.deps, tenantId: widget.tenantId, actor: widget.actor };
    expect(
      (await rejection(endConversation({ ...widgetCtx, tenantId: b.tenant.id }, conversation.conversationId)))
        .code,
    ).toBe("conversation-not-found");
    const ended = await endConversation(widgetCtx, conversation.conversationId);
    expect(ended.status).toBe("ended");
  }, 60_000);

  it("redoes a turn from the database when the hot cache is stale", async () => {
    const seed = await seedTenant(harness.deps, "Stale cache");
    const { conversationId } = await startConversation(seed.ctx, seed.bot.id, {});
    const key = `conv:${seed.tenant.id}:${conversationId}`;
    const stale = await harness.deps.infra.cache.get(key);
    expect(stale).toBeDefined();
    await sendMessage(seed.ctx, conversationId, { text: "Ann" });
    // Another process committed, but this process still has the old entry.
    await harness.deps.infra.cache.set(key, stale);
    const reply = await sendMessage(seed.ctx, conversationId, { choice: "medium" });
    expect(reply.messages.at(-1)?.type).toBe("ask");
    const transcript = await getConversation(seed.ctx, conversationId);
    expect(transcript.entries.map((e) => e.seq)).toEqual(transcript.entries.map((_, i) => i + 1));
    expect(transcript.entries.filter((e) => e.author === "user").map((e) => e.message)).toEqual([
      { type: "user_text", text: "Ann" },
      { type: "user_choice", values: ["medium"] },
    ]);
  }, 60_000);
});
