import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, seedTenant } from "../test-support/harness";
import { sendMessage, startConversation } from "./conversations";

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
}, 60_000);
afterAll(() => harness?.cleanup());

/** The stored variables of a conversation (what its turns run with). */
async function variablesOf(tenantId: string, conversationId: string) {
  const row = await harness.deps.db
    .forTenant(tenantId)
    .conversation.findFirstOrThrow({ where: { id: conversationId }, select: { variables: true } });
  return row.variables as Record<string, unknown>;
}

describe("contact-scoped variables", () => {
  it("are kept on the contact and carried into the contact's next conversation; conversation ones are not", async () => {
    const seed = await seedTenant(harness.deps, "Returning customers");
    const user = { id: "visitor-7", name: "Ann" };
    const first = await startConversation(seed.ctx, seed.bot.id, { user, channel: "web" });
    await sendMessage(seed.ctx, first.conversationId, { text: "Ann" });
    await sendMessage(seed.ctx, first.conversationId, { choice: "large" });
    const done = await sendMessage(seed.ctx, first.conversationId, { text: "+1 555 123 4567" });
    expect(done.status).toBe("ended");

    const contact = await harness.deps.db
      .forTenant(seed.tenant.id)
      .contact.findFirstOrThrow({ where: { identities: { some: { externalId: user.id } } } });
    // pizza-order declares customerName and phone (stored as E.164) with scope "contact", size with
    // scope "conversation".
    expect(contact.attributes).toEqual({ customerName: "Ann", phone: "+15551234567" });

    const second = await startConversation(seed.ctx, seed.bot.id, { user, channel: "web" });
    const carried = await variablesOf(seed.tenant.id, second.conversationId);
    expect(carried).toMatchObject({ customerName: "Ann", phone: "+15551234567" });
    expect(carried).not.toHaveProperty("size");

    // The same user id on another channel is another identity, so another contact: nothing carried.
    const otherChannel = await startConversation(seed.ctx, seed.bot.id, { user, channel: "api" });
    expect(await variablesOf(seed.tenant.id, otherChannel.conversationId)).not.toHaveProperty("customerName");

    // Variables given at start win over the kept ones; an answer updates the contact again.
    const third = await startConversation(seed.ctx, seed.bot.id, {
      user,
      channel: "web",
      variables: { customerName: "Annie" },
    });
    expect(await variablesOf(seed.tenant.id, third.conversationId)).toMatchObject({
      customerName: "Annie",
      phone: "+15551234567",
    });
    await sendMessage(seed.ctx, third.conversationId, { text: "Anna" });
    const updated = await harness.deps.db
      .forTenant(seed.tenant.id)
      .contact.findUniqueOrThrow({ where: { id: contact.id } });
    expect(updated.attributes).toMatchObject({ customerName: "Anna" });
  }, 60_000);

  it("skip kept values that no longer fit the declared type, and never cross tenants", async () => {
    const a = await seedTenant(harness.deps, "Typed A");
    const b = await seedTenant(harness.deps, "Typed B");
    const user = { id: "shared-id" };
    const first = await startConversation(a.ctx, a.bot.id, { user });
    const { contactId } = await harness.deps.db
      .forTenant(a.tenant.id)
      .conversation.findFirstOrThrow({ where: { id: first.conversationId }, select: { contactId: true } });
    // As if an older flow version had kept a number under a name that is a string now.
    await harness.deps.db.forTenant(a.tenant.id).contact.update({
      where: { id: contactId! },
      data: { attributes: { customerName: 42, phone: "+1 555" } },
    });
    const next = await startConversation(a.ctx, a.bot.id, { user });
    const variables = await variablesOf(a.tenant.id, next.conversationId);
    expect(variables).toMatchObject({ phone: "+1 555" });
    expect(variables).not.toHaveProperty("customerName");

    // Tenant B has a user with the same id: a different contact, nothing of A's carried over.
    const foreign = await startConversation(b.ctx, b.bot.id, { user });
    expect(await variablesOf(b.tenant.id, foreign.conversationId)).not.toHaveProperty("phone");
  }, 60_000);
});
