import type { ContactExport, TranscriptEntry } from "@parley/contract";
import { authorize, nowOf, type ServiceContext, tenantDb } from "../context";
import { wholeTranscript } from "../transcripts/whole-transcript";
import { refuseAgents } from "./contact-access";
import { loadContact, refuseWidget, toContactView } from "./contact-views";

/**
 * Everything stored about a contact, as JSON (the GDPR right of access): the profile, its identities,
 * and every conversation with its variables and messages. Needs `conversations:read`.
 */
export async function exportContact(ctx: ServiceContext, contactId: string): Promise<ContactExport> {
  authorize(ctx, "conversations:read");
  refuseAgents(ctx);
  refuseWidget(ctx);
  const db = tenantDb(ctx);
  const contact = await loadContact(db, contactId);
  const conversations = await db.conversation.findMany({
    where: { contactId: contact.id },
    orderBy: { id: "asc" },
    select: {
      id: true,
      botId: true,
      channel: true,
      status: true,
      startedAt: true,
      endedAt: true,
      variables: true,
    },
  });
  // Every message, from the transcript store: with MongoDB, Postgres keeps only recent ones.
  const transcripts = new Map<string, TranscriptEntry[]>();
  for (const conversation of conversations) {
    transcripts.set(conversation.id, await wholeTranscript(ctx.deps, ctx.tenantId, conversation.id));
  }
  return {
    exportedAt: nowOf(ctx.deps).toISOString(),
    contact: toContactView(contact),
    conversations: conversations.map((conversation) => ({
      conversationId: conversation.id,
      botId: conversation.botId,
      channel: conversation.channel,
      status: conversation.status,
      startedAt: conversation.startedAt.toISOString(),
      endedAt: conversation.endedAt?.toISOString() ?? null,
      variables: (conversation.variables ?? {}) as Record<string, unknown>,
      messages: transcripts.get(conversation.id) ?? [],
    })),
  };
}
