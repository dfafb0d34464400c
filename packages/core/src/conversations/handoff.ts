import type { TurnResponse } from "@parley/contract";
import { z } from "zod";
import { authorize, type ServiceContext } from "../context";
import { notFound, parseInput, ServiceError } from "../errors";
import { isUuid } from "../internal/ids";
import { commitStep } from "./commit";
import { turnPlan } from "./commit-plan";
import { runEngine, type TurnCallOptions } from "./engine-turn";
import { freshnessCheck, loadConversation, withFreshRetry } from "./load";
import { withConversationLock } from "./lock";
import { loadVersion } from "./versions";

/**
 * Hands a conversation back from the agent to the bot (`handoff.resolved`), which continues the
 * flow after the handoff node. Needs `conversations:agent`.
 */
export async function resolveHandoff(
  ctx: ServiceContext,
  conversationId: string,
  input: { variables?: Record<string, unknown> } = {},
  options: TurnCallOptions = {},
): Promise<TurnResponse> {
  authorize(ctx, "conversations:agent");
  const data = parseInput(
    z.object({ variables: z.record(z.string(), z.unknown()).optional() }).strict(),
    input,
    "hand back",
  );
  if (!isUuid(conversationId)) throw notFound("conversation", conversationId);
  return withConversationLock(ctx, conversationId, (lock) =>
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
      const version = await loadVersion(ctx, conversation.flowVersionId);
      const turn = await runEngine(
        ctx,
        conversation,
        version,
        { type: "handoff.resolved", variables: data.variables ?? {} },
        { ...options, signal: lock.signal, beforeEffects: freshnessCheck(ctx, loaded) },
      );
      await commitStep(ctx, conversation, {
        ...turnPlan(turn, version),
      });
      return { messages: turn.result.messages, status: turn.result.status };
    }),
  );
}
