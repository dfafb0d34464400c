import type { OutgoingMessage, TurnResponse } from "@parley/contract";
import { authorize, type ServiceContext } from "../context";
import { notFound } from "../errors";
import { isUuid } from "../internal/ids";
import { commitStep } from "./commit";
import { loadConversation, withFreshRetry } from "./load";
import { withConversationLock } from "./lock";

/** Ends a conversation (idempotent); the bot says nothing more. Needs `conversations:write`. */
export async function endConversation(ctx: ServiceContext, conversationId: string): Promise<TurnResponse> {
  authorize(ctx, "conversations:write");
  if (!isUuid(conversationId)) throw notFound("conversation", conversationId);
  return withConversationLock(ctx, conversationId, () =>
    withFreshRetry(async (hot) => {
      const { conversation } = await loadConversation(ctx, conversationId, { hot });
      if (conversation.status === "ended") return { messages: [], status: "ended" };
      const end: OutgoingMessage = { type: "end", nodeId: "", reason: "completed", outcome: "closed" };
      await commitStep(ctx, conversation, { outgoing: [end], outgoingAuthor: "system", status: "ended" });
      return { messages: [end], status: "ended" };
    }),
  );
}
