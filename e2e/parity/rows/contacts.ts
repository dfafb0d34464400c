import { createBot } from "@parley/core";
import { type AnyParityRow, type ParityFixture, parityRow } from "../row";

/** A contact of the fixture's tenant with one web identity (as the turn pipeline creates them). */
async function newContact(fx: ParityFixture): Promise<{ id: string }> {
  const db = fx.deps.db.forTenant(fx.tenantId);
  const contact = await db.contact.create({
    data: { tenantId: fx.tenantId, displayName: fx.unique("Contact") },
  });
  await db.contactIdentity.create({
    data: { tenantId: fx.tenantId, contactId: contact.id, channel: "web", externalId: fx.unique("visitor") },
  });
  return { id: contact.id };
}

const twoContacts = async (fx: ParityFixture) => ({
  target: await newContact(fx),
  source: await newContact(fx),
});
const newBot = (fx: ParityFixture) => createBot(fx.owner, { name: fx.unique("bot") });

/** Contacts (the Contacts pages and /api/v1/contacts...), each pair over the same core function. */
export const contactRows: readonly AnyParityRow[] = [
  parityRow({
    name: "list contacts",
    permission: "conversations:read",
    audit: null,
    setup: newContact,
    studio: { procedure: "contacts.list", input: () => ({ q: "contact" }) },
    rest: { method: "GET", path: () => "/api/v1/contacts?q=contact" },
  }),
  parityRow({
    name: "read a contact",
    permission: "conversations:read",
    audit: null,
    setup: newContact,
    studio: { procedure: "contacts.get", input: (c) => ({ contactId: c.id }) },
    rest: { method: "GET", path: (c) => `/api/v1/contacts/${c.id}` },
  }),
  parityRow({
    name: "edit a contact",
    permission: "conversations:write",
    audit: { action: "contact.update", targetType: "contact" },
    setup: newContact,
    studio: {
      procedure: "contacts.update",
      input: (c) => ({ contactId: c.id, email: "someone@example.com" }),
    },
    rest: {
      method: "PATCH",
      path: (c) => `/api/v1/contacts/${c.id}`,
      body: () => ({ email: "someone@example.com" }),
    },
  }),
  parityRow({
    name: "merge two contacts",
    permission: "conversations:write",
    audit: { action: "contact.merge", targetType: "contact" },
    setup: twoContacts,
    studio: {
      procedure: "contacts.merge",
      input: (s) => ({ contactId: s.target.id, sourceContactId: s.source.id }),
    },
    rest: {
      method: "POST",
      path: (s) => `/api/v1/contacts/${s.target.id}/merge`,
      body: (s) => ({ sourceContactId: s.source.id }),
    },
  }),
  parityRow({
    name: "export a contact",
    permission: "conversations:read",
    audit: null,
    setup: newContact,
    studio: { procedure: "contacts.export", input: (c) => ({ contactId: c.id }) },
    rest: { method: "GET", path: (c) => `/api/v1/contacts/${c.id}/export` },
  }),
  parityRow({
    name: "erase a contact",
    permission: "conversations:write",
    audit: { action: "contact.erase", targetType: "contact" },
    setup: newContact,
    studio: { procedure: "contacts.erase", input: (c) => ({ contactId: c.id }) },
    rest: { method: "DELETE", path: (c) => `/api/v1/contacts/${c.id}` },
  }),
  parityRow({
    name: "list and search a bot's conversations",
    permission: "conversations:read",
    audit: null,
    setup: newBot,
    studio: {
      procedure: "conversations.list",
      input: (bot) => ({ botId: bot.id, q: "hello", state: "active" }),
    },
    rest: { method: "GET", path: (bot) => `/api/v1/bots/${bot.id}/conversations?q=hello&state=active` },
  }),
  parityRow({
    name: "read a bot's results",
    permission: "conversations:read",
    audit: null,
    setup: newBot,
    studio: { procedure: "conversations.results", input: (bot) => ({ botId: bot.id }) },
    rest: { method: "GET", path: (bot) => `/api/v1/bots/${bot.id}/results` },
  }),
];
