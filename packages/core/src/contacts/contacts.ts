import {
  type ContactDetail,
  type ContactView,
  listContactsQuerySchema,
  updateContactInputSchema,
} from "@parley/contract";
import { Prisma, selectConversations, toSummary } from "@parley/db";
import type { z } from "zod";
import { recordAudit } from "../audit";
import { authorize, type ServiceContext, tenantDb } from "../context";
import { assertCursor } from "../conversation-browser/conversation-filter";
import { parseInput } from "../errors";
import { refuseAgents } from "./contact-access";
import {
  type ContactWithIdentities,
  contactInclude,
  loadContact,
  refuseWidget,
  toContactView,
} from "./contact-views";

/** Conversations a profile lists (newest first); older ones are reached through the conversation list. */
const PROFILE_CONVERSATIONS = 200;

/**
 * The workspace's contacts, newest first, optionally those whose name, e-mail, phone or a channel
 * user id contains `q` (case-insensitive), with cursor paging. Needs `conversations:read`.
 */
export async function listContacts(
  ctx: ServiceContext,
  query: z.input<typeof listContactsQuerySchema> = {},
): Promise<{ items: ContactView[]; nextCursor: string | null }> {
  authorize(ctx, "conversations:read");
  refuseAgents(ctx);
  refuseWidget(ctx);
  const parsed = parseInput(listContactsQuerySchema, query, "query");
  assertCursor(parsed.cursor);
  const q = parsed.q ? { contains: parsed.q, mode: "insensitive" as const } : undefined;
  const rows = (await tenantDb(ctx).contact.findMany({
    where: {
      ...(q
        ? {
            OR: [{ displayName: q }, { email: q }, { phone: q }, { identities: { some: { externalId: q } } }],
          }
        : {}),
      ...(parsed.cursor ? { id: { lt: parsed.cursor } } : {}),
    },
    include: contactInclude,
    orderBy: { id: "desc" },
    take: parsed.limit + 1,
  })) as ContactWithIdentities[];
  const page = rows.slice(0, parsed.limit);
  return {
    items: page.map(toContactView),
    nextCursor: rows.length > parsed.limit ? page.at(-1)!.id : null,
  };
}

/**
 * A contact's profile: name, e-mail, phone, attributes, its identities on each channel and its
 * conversations with every bot on every channel (newest first). Needs `conversations:read`.
 */
export async function getContact(ctx: ServiceContext, contactId: string): Promise<ContactDetail> {
  authorize(ctx, "conversations:read");
  refuseAgents(ctx);
  refuseWidget(ctx);
  const db = tenantDb(ctx);
  const contact = await loadContact(db, contactId);
  const rows = await selectConversations(
    db,
    Prisma.sql`c.tenant_id = ${ctx.tenantId} AND c.contact_id = ${contact.id}`,
    PROFILE_CONVERSATIONS,
  );
  const botIds = [...new Set(rows.map((row) => row.bot_id))];
  const bots = botIds.length
    ? await db.bot.findMany({ where: { id: { in: botIds } }, select: { id: true, name: true } })
    : [];
  const botName = new Map(bots.map((bot) => [bot.id, bot.name]));
  return {
    ...toContactView(contact),
    conversations: rows.map((row) => ({
      ...toSummary(row),
      botId: row.bot_id,
      botName: botName.get(row.bot_id) ?? "",
    })),
  };
}

/**
 * Changes a contact's name, e-mail, phone or attributes (`null` clears a field; `attributes`
 * replaces the object). The audit entry names the fields changed, never their values (an erased
 * contact's data must not survive in the append-only log). Needs `conversations:write`.
 */
export async function updateContact(
  ctx: ServiceContext,
  contactId: string,
  input: z.input<typeof updateContactInputSchema>,
): Promise<ContactDetail> {
  authorize(ctx, "conversations:write");
  refuseWidget(ctx);
  const patch = parseInput(updateContactInputSchema, input, "contact");
  const db = tenantDb(ctx);
  await db.$transaction(async (tx) => {
    const contact = await loadContact(tx, contactId);
    await tx.contact.update({
      where: { id: contact.id },
      data: {
        ...(patch.name !== undefined ? { displayName: patch.name } : {}),
        ...(patch.email !== undefined ? { email: patch.email?.toLowerCase() ?? null } : {}),
        ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
        ...(patch.attributes !== undefined ? { attributes: patch.attributes as Prisma.InputJsonValue } : {}),
      },
    });
    await recordAudit(tx, ctx, {
      action: "contact.update",
      targetType: "contact",
      targetId: contact.id,
      after: { fields: Object.keys(patch).sort() },
    });
  });
  return getContact(ctx, contactId);
}
