import { type OutgoingMessage, sendMessageRequestSchema, type TurnResponse } from "@parley/contract";
import type { TurnEventInput } from "@parley/engine";
import type { z } from "zod";
import { authorize, type ServiceContext, tenantDb } from "../context";
import { notFound, parseInput, ServiceError } from "../errors";
import { assertBotVisible } from "../inbox/bot-access";
import { isUuid } from "../internal/ids";
import { commitStep } from "./commit";
import { type ChannelEventMark, type CommitPlan, turnPlan } from "./commit-plan";
import { historyAndLastSeqOf, historyOf, runEngine, type TurnCallOptions } from "./engine-turn";
import { assertFresh, freshnessCheck, type LiveConversation, loadConversation, withFreshRetry } from "./load";
import { assertLockHeld, consumeConversationBudget, withConversationLock } from "./lock";
import { loadVersion } from "./versions";

/** The reply to a message already processed (its seq): what the bot said after it (internal). */
async function replay(
  ctx: ServiceContext,
  conversation: LiveConversation,
  seenSeq: number,
): Promise<TurnResponse> {
  const db = tenantDb(ctx);
  const next = await db.message.findFirst({
    where: { conversationId: conversation.id, seq: { gt: seenSeq }, author: { in: ["user", "agent"] } },
    orderBy: { seq: "asc" },
    select: { seq: true },
  });
  const replies = await db.message.findMany({
    where: {
      conversationId: conversation.id,
      seq: { gt: seenSeq, ...(next ? { lt: next.seq } : {}) },
      author: { in: ["bot", "system"] },
    },
    orderBy: { seq: "asc" },
    select: { payload: true },
  });
  return { messages: replies.map((reply) => reply.payload as OutgoingMessage), status: conversation.status };
}

/**
 * Sends a user's (or, during a handoff, an agent's) message and runs the bot's turn: per-
 * conversation lock -> load (ownership) -> turn budget -> engine -> one transaction -> release -> reply. A resend with the same
 * `clientMessageId` is answered again without running twice. While in `handoff` the bot stays
 * silent; agents need `conversations:agent`.
 */
export async function sendMessage(
  ctx: ServiceContext,
  conversationId: string,
  input: z.input<typeof sendMessageRequestSchema>,
  options: TurnCallOptions & {
    /** A channel turn (internal): the stored event the message is, marked done by the step's commit. */
    channelEvent?: ChannelEventMark;
  } = {},
): Promise<TurnResponse> {
  const { channelEvent, ...turnOptions } = options;
  const mark = channelEvent ? { channelEvent } : {};
  const data = parseInput(sendMessageRequestSchema, input, "message");
  authorize(ctx, data.author === "agent" ? "conversations:agent" : "conversations:write");
  if (!isUuid(conversationId)) throw notFound("conversation", conversationId);
  // The budget is spent only once the conversation is known to be the caller's: a request for
  // someone else's conversation id is a 404 that costs that conversation nothing.
  let charged = false;
  return withConversationLock(ctx, conversationId, (lock) => {
    const charging = earlyCharge(ctx, conversationId);
    return withFreshRetry(async (hot) => {
      const loaded = await loadConversation(ctx, conversationId, {
        hot,
        ...(data.clientMessageId ? { clientMessageId: data.clientMessageId } : {}),
      });
      const { conversation, seenSeq } = loaded;
      if (!charged) {
        charged = true;
        await (charging ?? consumeConversationBudget(ctx, conversationId));
      }
      if (seenSeq !== null) return replay(ctx, conversation, seenSeq);
      if (conversation.status === "ended") {
        throw new ServiceError("conflict", "conversation-ended", `conversation ${conversationId} has ended`);
      }
      const clientMessageId = data.clientMessageId ? { clientMessageId: data.clientMessageId } : {};
      if (data.author === "agent") {
        if (conversation.status !== "handoff" || data.text === undefined) {
          throw new ServiceError(
            "conflict",
            "not-in-handoff",
            conversation.status !== "handoff"
              ? "agents can reply only while the conversation is handed off"
              : "agents reply with text",
          );
        }
        await assertBotVisible(ctx, conversation.botId, conversationId);
        await commitStep(ctx, conversation, {
          inbound: {
            author: "agent",
            payload: {
              type: "agent_text",
              text: data.text,
              ...(data.replies ? { replies: data.replies } : {}),
              ...(data.attachmentUrl ? { attachmentUrl: data.attachmentUrl } : {}),
            },
            text: data.text,
            authorUserId: ctx.actor.type === "user" ? ctx.actor.userId : null,
            ...clientMessageId,
          },
          outgoing: [],
          status: "handoff",
          ...mark,
        });
        return { messages: [], status: "handoff" };
      }
      if (data.replies !== undefined || data.attachmentUrl !== undefined) {
        throw new ServiceError(
          "invalid",
          "agent-only-fields",
          "only agents send `replies` or `attachmentUrl`",
          {
            errors: [
              { path: data.replies !== undefined ? "replies" : "attachmentUrl", message: "agents only" },
            ],
          },
        );
      }
      const values =
        data.choice === undefined ? undefined : Array.isArray(data.choice) ? data.choice : [data.choice];
      const inbound: CommitPlan["inbound"] =
        values === undefined
          ? {
              author: "user",
              payload: { type: "user_text", text: data.text ?? "" },
              text: data.text ?? "",
              ...clientMessageId,
            }
          : {
              author: "user",
              payload: { type: "user_choice", values },
              text: values.join(", "),
              ...clientMessageId,
            };
      if (conversation.status === "handoff") {
        await commitStep(ctx, conversation, { inbound, outgoing: [], status: "handoff", ...mark });
        return { messages: [], status: "handoff" };
      }
      const version = await loadVersion(ctx, conversation.flowVersionId);
      const event: TurnEventInput =
        values === undefined ? { type: "user.text", text: data.text ?? "" } : { type: "user.choice", values };
      // A flow that reads the history of a cached conversation checks freshness with the same query
      // (before the engine, so before any effect); otherwise the check waits for the first effect.
      let history: Awaited<ReturnType<typeof historyOf>> | undefined;
      let beforeEffects = freshnessCheck(ctx, loaded);
      if (version.needsHistory && beforeEffects) {
        const read = await historyAndLastSeqOf(ctx, conversation.id, loaded.uncheckedClientMessageId);
        await assertFresh(ctx, loaded, read.lastSeq, read.seenSeq);
        history = read.history;
        beforeEffects = undefined;
      } else if (version.needsHistory) history = await historyOf(ctx, conversation.id);
      const turn = await runEngine(ctx, conversation, version, event, {
        ...turnOptions,
        signal: lock.signal,
        ...(beforeEffects ? { beforeEffects } : {}),
        ...(history ? { history } : {}),
      });
      // A lease lost during the turn aborted its effects (an llm node then takes its error branch):
      // such an outcome is not the conversation's; nothing is saved and the message may be resent.
      assertLockHeld(lock, conversationId);
      await commitStep(ctx, conversation, {
        inbound,
        ...turnPlan(turn, version),
        ...mark,
      });
      return { messages: turn.result.messages, status: turn.result.status };
    });
  });
}

/**
 * The conversation's budget, spent alongside the load (one round trip instead of two, in cluster
 * mode) for callers who may read every conversation of their tenant (keys, members): the bucket is
 * keyed by tenant and conversation, so an id that is not one of the tenant's conversations charges
 * a bucket no conversation uses, and the rule above holds. A widget may only see its own bot's
 * conversations: it is charged after the load (undefined here). The load's error wins over the
 * charge's (awaited only once the load succeeded).
 */
function earlyCharge(ctx: ServiceContext, conversationId: string): Promise<void> | undefined {
  if (ctx.actor.type !== "api_key" && ctx.actor.type !== "user") return undefined;
  const charging = consumeConversationBudget(ctx, conversationId);
  charging.catch(() => {
    // Reported where it is awaited; a failed load never awaits it.
  });
  return charging;
}
