import type { OutgoingMessage, TurnResponse } from "@parley/contract";
import { authorize, type ServiceContext } from "../context";
import { commitStep } from "../conversations/commit";
import { loadConversation, withFreshRetry } from "../conversations/load";
import { withConversationLock } from "../conversations/lock";
import { notFound } from "../errors";
import { isUuid } from "../internal/ids";
import { assertBotVisible } from "./bot-access";
import { auditInboxAction } from "./inbox-audit";

/**
 * Ends a conversation from the inbox (idempotent): the agent closes it instead of handing it back.
 * Needs `conversations:agent` (agents: on their bots). The widget then offers the CSAT rating.
 */
export async function endFromInbox(ctx: ServiceContext, conversationId: string): Promise<TurnResponse> {
  authorize(ctx, "conversations:agent");
  if (!isUuid(conversationId)) throw notFound("conversation", conversationId);
  const ended = await withConversationLock(ctx, conversationId, () =>
    withFreshRetry(async (hot): Promise<TurnResponse & { closed: boolean }> => {
      const { conversation } = await loadConversation(ctx, conversationId, { hot });
      await assertBotVisible(ctx, conversation.botId, conversationId);
      if (conversation.status === "ended") return { messages: [], status: "ended", closed: false };
      const end: OutgoingMessage = {
        type: "end",
        nodeId: "",
        reason: "completed",
        outcome: "closed-by-agent",
      };
      await commitStep(ctx, conversation, { outgoing: [end], outgoingAuthor: "system", status: "ended" });
      return { messages: [end], status: "ended", closed: true };
    }),
  );
  // Once, after the commit (a retried commit is not a second close); ending twice is no action.
  if (ended.closed) await auditInboxAction(ctx, "close", conversationId);
  return { messages: ended.messages, status: ended.status };
}
