import type { ContactErasure } from "@parley/contract";
import { recordAudit } from "../audit";
import { authorize, type ServiceContext, tenantDb } from "../context";
import { endConversation } from "../conversations/end";
import { hotKey } from "../conversations/load";
import { enqueueTranscriptErase } from "../transcripts/transcript-mirror";
import { transcriptArchiveOf } from "../transcripts/transcript-stores";
import { loadContact, refuseWidget } from "./contact-views";

/**
 * Erases a contact (the GDPR right to erasure). Its conversations that are still going are ended
 * first through the normal end step (under the conversation lock, so a turn in flight finishes
 * first and the channel sees a clean end). Then, in one transaction: its conversations with their
 * messages and variables, the webhook deliveries and stream events (outbox) that carried them, its
 * identities and the contact with its contact variables are deleted (dead-lettered events right
 * after); its conversations' analytics events keep only their type,
 * bot, version and time (properties emptied, conversation unlinked) so aggregate counts stay right.
 * With MongoDB transcripts, the contact's conversations are removed there too.
 * The audit entry records counts only: no id, name, e-mail, phone or text of the contact.
 * Needs `conversations:write`.
 */
export async function eraseContact(ctx: ServiceContext, contactId: string): Promise<ContactErasure> {
  authorize(ctx, "conversations:write");
  refuseWidget(ctx);
  const db = tenantDb(ctx);
  const contact = await loadContact(db, contactId);
  const live = await db.conversation.findMany({
    where: { contactId: contact.id, status: { not: "ended" } },
    select: { id: true },
  });
  for (const { id } of live) await endConversation(ctx, id);
  const erased = await db.$transaction(async (tx) => {
    const conversationIds = (
      await tx.conversation.findMany({ where: { contactId: contact.id }, select: { id: true } })
    ).map((row) => row.id);
    const messages = await tx.message.deleteMany({ where: { conversationId: { in: conversationIds } } });
    const analytics = conversationIds.length
      ? await tx.$executeRaw`
          UPDATE analytics_events SET properties = '{}'::jsonb, conversation_id = NULL
          WHERE tenant_id = ${ctx.tenantId} AND conversation_id = ANY(${conversationIds}::text[])`
      : 0;
    if (conversationIds.length) {
      // Events not yet relayed carry message text and variables: erased with the conversations.
      await tx.$executeRaw`
        DELETE FROM outbox WHERE tenant_id = ${ctx.tenantId} AND key = ANY(${conversationIds}::text[])`;
      await tx.$executeRaw`
        DELETE FROM webhook_deliveries
        WHERE tenant_id = ${ctx.tenantId} AND payload->'data'->>'conversationId' = ANY(${conversationIds}::text[])`;
    }
    const conversations = await tx.conversation.deleteMany({ where: { id: { in: conversationIds } } });
    const identities = await tx.contactIdentity.deleteMany({ where: { contactId: contact.id } });
    await tx.contact.delete({ where: { id: contact.id } });
    await recordAudit(tx, ctx, {
      action: "contact.erase",
      targetType: "contact",
      targetId: null,
      after: {
        conversations: conversations.count,
        messages: messages.count,
        identities: identities.count,
        analyticsEvents: analytics,
      },
    });
    return {
      ids: conversationIds,
      summary: {
        erased: true as const,
        conversations: conversations.count,
        messages: messages.count,
        identities: identities.count,
        analyticsEvents: Number(analytics),
      },
    };
  });
  await Promise.all(
    erased.ids.map((id) => ctx.deps.infra.cache.delete(hotKey(ctx.tenantId, id)).catch(() => false)),
  );
  if (erased.ids.length) {
    // Dead letters are the relay's (tenants may only read them): removed as the system.
    await ctx.deps.db.system.$executeRaw`
      DELETE FROM outbox_dead_letters WHERE tenant_id = ${ctx.tenantId} AND key = ANY(${erased.ids}::text[])`;
  }
  // The MongoDB copy goes too (a copy in flight re-checks Postgres after writing, see
  // syncConversation, so it cannot bring an erased conversation back). While MongoDB is unreachable,
  // retried jobs remove it: each finds the conversation gone from Postgres.
  const archive = transcriptArchiveOf(ctx.deps);
  if (archive) {
    try {
      const removed = await archive.removeConversations(ctx.tenantId, erased.ids);
      const byContact = await archive.eraseContact(ctx.tenantId, contact.id);
      // Postgres keeps only recent messages once archived: the archive's count is the fuller one
      // (it may lack only the last step's messages, not yet copied).
      erased.summary.messages = Math.max(erased.summary.messages, removed.messages + byContact.messages);
    } catch (error) {
      ctx.deps.logger?.warn({ error: String(error) }, "transcript archive unavailable; erasure queued");
      for (const id of erased.ids) {
        await enqueueTranscriptErase(ctx.deps, ctx.tenantId, id).catch((queueError: unknown) =>
          ctx.deps.logger?.error(
            { error: String(queueError), conversationId: id },
            "could not queue the archive's erasure: remove the conversation from MongoDB by hand",
          ),
        );
      }
    }
  }
  return erased.summary;
}
