import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConversation, sendMessage, startConversation } from "../conversations/conversations";
import { createHarness, type Harness, seedTenant } from "../test-support/harness";
import { rejection } from "../test-support/service-error";
import { getContact, listContacts, updateContact } from "./contacts";
import { eraseContact } from "./erase";
import { exportContact } from "./export";
import { mergeContacts } from "./merge";

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
}, 60_000);
afterAll(() => harness?.cleanup());

/** Every row of every table in the public schema whose JSON contains `needle` (table -> count). */
async function traces(needle: string): Promise<Record<string, number>> {
  const system = harness.deps.db.system;
  const tables = await system.$queryRawUnsafe<{ table_name: string }[]>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
  );
  const found: Record<string, number> = {};
  for (const { table_name } of tables) {
    const [row] = await system.$queryRawUnsafe<{ n: bigint }[]>(
      `SELECT count(*) AS n FROM "${table_name}" t WHERE strpos(lower(row_to_json(t)::text), lower($1)) > 0`,
      needle,
    );
    if (Number(row?.n ?? 0) > 0) found[table_name] = Number(row!.n);
  }
  return found;
}

describe("contacts", () => {
  it("searches, edits, merges and exports contacts", async () => {
    const seed = await seedTenant(harness.deps, "Contacts");
    const a = await startConversation(seed.ctx, seed.bot.id, { user: { id: "ext-a", name: "Ada Lovelace" } });
    await startConversation(seed.ctx, seed.bot.id, { user: { id: "ext-b", name: "A. Lovelace" } });
    const listed = await listContacts(seed.ctx, { q: "lovelace" });
    expect(listed.items).toHaveLength(2);
    const [second, first] = listed.items;
    const edited = await updateContact(seed.ctx, first!.id, {
      email: "ADA@example.com",
      attributes: { plan: "pro" },
    });
    expect(edited).toMatchObject({ email: "ada@example.com", attributes: { plan: "pro" } });
    expect((await rejection(updateContact(seed.ctx, first!.id, { email: "nope" }))).code).toBe(
      "invalid-input",
    );
    expect((await rejection(mergeContacts(seed.ctx, first!.id, { sourceContactId: first!.id }))).code).toBe(
      "merge-same-contact",
    );
    const merged = await mergeContacts(seed.ctx, first!.id, { sourceContactId: second!.id });
    expect(merged.identities.map((i) => i.externalId).sort()).toEqual(["ext-a", "ext-b"]);
    expect(merged.conversations).toHaveLength(2);
    expect((await rejection(getContact(seed.ctx, second!.id))).code).toBe("contact-not-found");
    const exported = await exportContact(seed.ctx, first!.id);
    expect(exported.conversations.map((c) => c.conversationId)).toContain(a.conversationId);
    const audit = await harness.deps.db.forTenant(seed.tenant.id).auditLogEntry.findMany({
      where: { targetType: "contact" },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((row) => row.action)).toEqual(["contact.update", "contact.merge"]);
    expect(JSON.stringify(audit)).not.toContain("ada@example.com");
    const viewer = {
      ...seed.ctx,
      actor: { type: "api_key" as const, keyId: "k", scopes: ["conversations:read"], label: "k" },
    };
    expect((await rejection(updateContact(viewer, first!.id, { name: "x" }))).kind).toBe("forbidden");
  }, 60_000);

  it("erases a contact: ends its live conversation, then leaves no trace in any table", async () => {
    const seed = await seedTenant(harness.deps, "Erase");
    const name = "Quentin Zyxwvut";
    const email = "quentin.zyxwvut@example.com";
    const phone = "+1 555 987 6543";
    const externalId = "ext-zyxwvut-42";
    const ended = await startConversation(seed.ctx, seed.bot.id, { user: { id: externalId, name } });
    await sendMessage(seed.ctx, ended.conversationId, { text: "Quentin Zyxwvut" });
    await sendMessage(seed.ctx, ended.conversationId, { choice: "large" });
    await sendMessage(seed.ctx, ended.conversationId, { text: phone });
    const live = await startConversation(seed.ctx, seed.bot.id, { user: { id: externalId, name } });
    await sendMessage(seed.ctx, live.conversationId, { text: "Secretword Plinthbottom" });
    const contactId = (await listContacts(seed.ctx, { q: "zyxwvut" })).items[0]!.id;
    await updateContact(seed.ctx, contactId, { email, phone });
    // Another contact of the tenant stays untouched.
    const other = await startConversation(seed.ctx, seed.bot.id, {
      user: { id: "someone-else", name: "Keep Me" },
    });

    const before = await traces("Plinthbottom");
    expect(Object.keys(before)).toContain("messages");

    const erased = await eraseContact(seed.ctx, contactId);
    expect(erased).toMatchObject({ erased: true, conversations: 2, identities: 1 });

    for (const needle of [
      name,
      "Zyxwvut",
      email,
      phone,
      externalId,
      "Plinthbottom",
      ended.conversationId,
      live.conversationId,
    ]) {
      expect({ needle, found: await traces(needle) }).toEqual({ needle, found: {} });
    }
    // The contact id survives only in the audit entries of the edits made before the erasure (an
    // opaque random id that now names nothing; they hold field names, never values).
    const idTraces = await traces(contactId);
    expect(Object.keys(idTraces)).toEqual(Object.keys(idTraces).length ? ["audit_log"] : []);
    const audit = await harness.deps.db.forTenant(seed.tenant.id).auditLogEntry.findMany({
      where: { action: "contact.erase" },
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ targetType: "contact", targetId: null });
    expect(audit[0]!.after).toMatchObject({ conversations: 2 });
    expect((await getConversation(seed.ctx, other.conversationId)).entries.length).toBeGreaterThan(0);
    expect((await rejection(getContact(seed.ctx, contactId))).code).toBe("contact-not-found");
  }, 90_000);
});
