import type { NewMessage } from "@parley/db";
import { type ServiceContext, tenantDb } from "../context";
import type { CommitPlan } from "../conversations/commit-plan";
import type { LiveConversation } from "../conversations/load";
import { entryOf, publishConversationNotice } from "./conversation-events";

/**
 * What the inbox needs after a committed step (internal): a handoff node's queue, priority and
 * reason on the conversation row (for the queue), then the live notice to every stream. Runs after
 * the commit, so a stream never shows a message that could still roll back.
 */
export async function afterCommitForInbox(
  ctx: ServiceContext,
  conversation: LiveConversation,
  plan: CommitPlan,
  written: { messages: readonly NewMessage[]; lastSeq: number; previousStatus: LiveConversation["status"] },
): Promise<void> {
  const enteredHandoff = plan.status === "handoff" && written.previousStatus !== "handoff";
  const handoff = enteredHandoff ? plan.outgoing.find((message) => message.type === "handoff") : undefined;
  if (handoff?.type === "handoff") {
    await tenantDb(ctx)
      .conversation.updateMany({
        where: { id: conversation.id },
        data: {
          handoffQueue: handoff.queue ?? null,
          handoffPriority: handoff.priority ?? "normal",
          handoffReason: handoff.reason ?? null,
          assignedUserId: null,
          assignedAt: null,
        },
      })
      .catch((error) =>
        ctx.deps.logger?.error(
          { error: String(error), conversationId: conversation.id },
          "handoff queue fields not recorded",
        ),
      );
  }
  await publishConversationNotice(ctx, conversation.id, {
    kind: "committed",
    entries: written.messages.map((message) =>
      entryOf({
        seq: message.seq,
        author: message.author,
        createdAt: message.createdAt,
        payload: message.payload,
      }),
    ),
    lastSeq: written.lastSeq,
    stateChanged: plan.status !== written.previousStatus,
  });
}
