import type { TranscriptResponse } from "@parley/contract";
import { authorize, type ServiceContext, tenantDb } from "../context";
import { conversationPath } from "../conversation-browser/transcript-path";
import { notFound } from "../errors";
import { assertBotVisible } from "../inbox/bot-access";
import { isUuid } from "../internal/ids";
import { wholeTranscript } from "../transcripts/whole-transcript";

/**
 * One conversation's transcript with its variables and the path of nodes it went through. Needs
 * `conversations:read`; a widget key reads its bot's conversations, without variables and path
 * (those are the flow's internals, not the visitor's chat).
 */
export async function getConversation(
  ctx: ServiceContext,
  conversationId: string,
): Promise<TranscriptResponse> {
  authorize(ctx, "conversations:read");
  const db = tenantDb(ctx);
  const conversation = isUuid(conversationId)
    ? await db.conversation.findFirst({ where: { id: conversationId } })
    : null;
  if (!conversation || (ctx.actor.type === "widget" && conversation.botId !== ctx.actor.botId)) {
    throw notFound("conversation", conversationId);
  }
  await assertBotVisible(ctx, conversation.botId, conversationId);
  const widget = ctx.actor.type === "widget";
  const [entries, trail, version] = await Promise.all([
    wholeTranscript(ctx.deps, ctx.tenantId, conversationId),
    widget ? { path: [], variableChanges: [] } : conversationPath(db, conversationId),
    db.flowVersion.findFirst({ where: { id: conversation.flowVersionId }, select: { version: true } }),
  ]);
  return {
    conversationId,
    botId: conversation.botId,
    status: conversation.status,
    channel: conversation.channel,
    startedAt: conversation.startedAt.toISOString(),
    endedAt: conversation.endedAt?.toISOString() ?? null,
    entries,
    variables: widget ? {} : ((conversation.variables ?? {}) as Record<string, unknown>),
    ...trail,
    flowId: conversation.flowId,
    flowVersionId: conversation.flowVersionId,
    flowVersion: version?.version ?? null,
    contactId: widget ? null : conversation.contactId,
    csat:
      conversation.csatScore === null
        ? null
        : {
            score: conversation.csatScore,
            comment: conversation.csatComment,
            at: conversation.csatAt?.toISOString() ?? "",
          },
  };
}
