import type { TurnResponse } from "@parley/contract";
import { z } from "zod";
import { authorize, type ServiceContext, tenantDb } from "../context";
import { notFound, parseInput, ServiceError } from "../errors";
import { assertBotVisible } from "../inbox/bot-access";
import { auditInboxAction } from "../inbox/inbox-audit";
import { versionResumingAt } from "../inbox/resume-at-node";
import { isUuid } from "../internal/ids";
import { commitStep } from "./commit";
import { turnPlan } from "./commit-plan";
import { runEngine, type TurnCallOptions } from "./engine-turn";
import { freshnessCheck, loadConversation, withFreshRetry } from "./load";
import { assertLockHeld, withConversationLock } from "./lock";
import { loadVersion } from "./versions";

/**
 * Hands a conversation back from the agent to the bot (`handoff.resolved`), which continues the
 * flow after the handoff node, or at `nodeId` when given. The inbox assignment is cleared. Needs
 * `conversations:agent` (agents: on their bots).
 */
export async function resolveHandoff(
  ctx: ServiceContext,
  conversationId: string,
  input: { variables?: Record<string, unknown>; nodeId?: string } = {},
  options: TurnCallOptions = {},
): Promise<TurnResponse> {
  authorize(ctx, "conversations:agent");
  const data = parseInput(
    z
      .object({
        variables: z.record(z.string(), z.unknown()).optional(),
        nodeId: z.string().min(1).optional(),
      })
      .strict(),
    input,
    "hand back",
  );
  if (!isUuid(conversationId)) throw notFound("conversation", conversationId);
  const response = await withConversationLock(ctx, conversationId, (lock) =>
    withFreshRetry(async (hot) => {
      const loaded = await loadConversation(ctx, conversationId, { hot });
      const conversation = loaded.conversation;
      if (conversation.status !== "handoff") {
        throw new ServiceError(
          "conflict",
          "not-in-handoff",
          `conversation ${conversationId} is not handed off`,
        );
      }
      await assertBotVisible(ctx, conversation.botId, conversationId);
      const published = await loadVersion(ctx, conversation.flowVersionId);
      const version = data.nodeId ? versionResumingAt(published, data.nodeId) : published;
      // Under the lock, before the commit, so the status event the commit triggers shows it.
      await tenantDb(ctx).conversation.updateMany({
        where: { id: conversationId },
        data: {
          assignedUserId: null,
          assignedAt: null,
          handoffQueue: null,
          handoffPriority: null,
          handoffReason: null,
        },
      });
      const turn = await runEngine(
        ctx,
        conversation,
        version,
        { type: "handoff.resolved", variables: data.variables ?? {} },
        { ...options, signal: lock.signal, beforeEffects: freshnessCheck(ctx, loaded) },
      );
      // Effects cut short by a lost lease are not the flow's outcome (see assertLockHeld).
      assertLockHeld(lock, conversationId);
      await commitStep(ctx, conversation, {
        ...turnPlan(turn, version),
      });
      return { messages: turn.result.messages, status: turn.result.status };
    }),
  );
  // Variable names and values stay out of the log (they may be the visitor's data).
  await auditInboxAction(ctx, "handback", conversationId, { nodeId: data.nodeId ?? null });
  return response;
}
