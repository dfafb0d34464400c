import { type ContactDetail, mergeContactsInputSchema } from "@parley/contract";
import type { Prisma } from "@parley/db";
import type { z } from "zod";
import { recordAudit } from "../audit";
import { authorize, type ServiceContext, tenantDb } from "../context";
import { hotKey } from "../conversations/load";
import { parseInput, ServiceError } from "../errors";
import { loadContact, refuseWidget } from "./contact-views";
import { getContact } from "./contacts";

/**
 * Merges the contact `sourceContactId` into `contactId` (one person seen as two): its identities on
 * every channel, its conversations and its contact variables move over (on a clash the kept
 * contact's value wins; its empty name, e-mail or phone take the source's), then the source is
 * deleted. One transaction, audited with counts only. Needs `conversations:write`.
 */
export async function mergeContacts(
  ctx: ServiceContext,
  contactId: string,
  input: z.input<typeof mergeContactsInputSchema>,
): Promise<ContactDetail> {
  authorize(ctx, "conversations:write");
  refuseWidget(ctx);
  const { sourceContactId } = parseInput(mergeContactsInputSchema, input, "merge");
  if (sourceContactId === contactId) {
    throw new ServiceError("invalid", "merge-same-contact", "a contact cannot be merged into itself", {
      errors: [{ path: "sourceContactId", message: "must name another contact" }],
    });
  }
  const db = tenantDb(ctx);
  const moved = await db.$transaction(async (tx) => {
    const target = await loadContact(tx, contactId);
    const source = await loadContact(tx, sourceContactId);
    const live = await tx.conversation.findMany({
      where: { contactId: source.id, status: { not: "ended" } },
      select: { id: true },
    });
    const identities = await tx.contactIdentity.updateMany({
      where: { contactId: source.id },
      data: { contactId: target.id },
    });
    const conversations = await tx.conversation.updateMany({
      where: { contactId: source.id },
      data: { contactId: target.id },
    });
    const attributes = {
      ...((source.attributes ?? {}) as Record<string, unknown>),
      ...((target.attributes ?? {}) as Record<string, unknown>),
    };
    await tx.contact.update({
      where: { id: target.id },
      data: {
        displayName: target.displayName ?? source.displayName,
        email: target.email ?? source.email,
        phone: target.phone ?? source.phone,
        attributes: attributes as Prisma.InputJsonValue,
        lastSeenAt: new Date(Math.max(target.lastSeenAt.getTime(), source.lastSeenAt.getTime())),
      },
    });
    await tx.contact.delete({ where: { id: source.id } });
    await recordAudit(tx, ctx, {
      action: "contact.merge",
      targetType: "contact",
      targetId: target.id,
      after: { sourceContactId: source.id, identities: identities.count, conversations: conversations.count },
    });
    return live.map((row) => row.id);
  });
  // Live conversations cached with the old contact id would write contact variables to it: drop them.
  await Promise.all(
    moved.map((id) => ctx.deps.infra.cache.delete(hotKey(ctx.tenantId, id)).catch(() => false)),
  );
  return getContact(ctx, contactId);
}
