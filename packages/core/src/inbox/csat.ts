import { type CsatRequest, csatRequestSchema, type InboxState } from "@parley/contract";
import { authorize, nowOf, type ServiceContext, tenantDb } from "../context";
import { parseInput, ServiceError } from "../errors";
import { publishConversationNotice } from "./conversation-events";
import { inboxStateOf, readInboxRow } from "./inbox-state";

/**
 * Stores the visitor's satisfaction rating (1-5, optional comment) on a conversation that has
 * ended; rating again replaces it. The inbox and transcripts show it. Needs `conversations:write`
 * (the widget's publishable key: its bot's conversations).
 */
export async function submitCsat(
  ctx: ServiceContext,
  conversationId: string,
  input: CsatRequest,
): Promise<InboxState> {
  authorize(ctx, "conversations:write");
  const data = parseInput(csatRequestSchema, input, "rating");
  const row = await readInboxRow(ctx, conversationId);
  if (row.status !== "ended") {
    throw new ServiceError(
      "conflict",
      "conversation-not-ended",
      `conversation ${conversationId} has not ended; rate it once it is over`,
    );
  }
  await tenantDb(ctx).conversation.updateMany({
    where: { id: conversationId },
    data: { csatScore: data.score, csatComment: data.comment || null, csatAt: nowOf(ctx.deps) },
  });
  await publishConversationNotice(ctx, conversationId, { kind: "state", lastSeq: row.lastSeq });
  return inboxStateOf(await readInboxRow(ctx, conversationId));
}
