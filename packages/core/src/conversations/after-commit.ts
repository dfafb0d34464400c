import { pendingTimerOf } from "@parley/engine";
import { traced } from "@parley/infra";
import { enqueueChannelDelivery } from "../channels/inbound-queue";
import { isPlatformType } from "../channels/platforms";
import type { ServiceContext } from "../context";
import { enqueueEndedPrune, enqueueTranscriptSync } from "../transcripts/transcript-mirror";
import type { CommitPlan } from "./commit-plan";
import type { LiveConversation } from "./load";
import { scheduleTimer, TIMER_QUEUE, timerJobId } from "./timer-jobs";

/**
 * What follows a committed step: the wait-node timer it set or cleared, channel replies, transcript
 * copies and the metrics observer. The step is durable already and scheduling is idempotent (job
 * ids), so a crash here is repaired by the sweeps (internal). Tenant webhooks are not here: the
 * outbox relay makes them from the step's events (see webhooks/webhook-consumer).
 */
async function afterCommitUntraced(
  ctx: ServiceContext,
  conversation: LiveConversation,
  plan: CommitPlan,
  facts: { previousStatus: LiveConversation["status"]; now: Date },
): Promise<void> {
  const deps = ctx.deps;
  const before = pendingTimerOf(conversation.snapshot)?.id;
  const after = plan.snapshot === undefined ? before : pendingTimerOf(plan.snapshot)?.id;
  if (before && before !== after) {
    await deps.infra.queue.remove(TIMER_QUEUE, timerJobId(conversation.id, before)).catch(() => false);
  }
  for (const timer of plan.turn?.result.timers ?? []) {
    await scheduleTimer(
      deps,
      { tenantId: ctx.tenantId, conversationId: conversation.id, timerId: timer.timerId, dueAt: timer.dueAt },
      facts.now.getTime(),
    );
  }
  // Replies of a messaging-channel conversation (the bot's, and agents' from the inbox) go out
  // through the delivery queue, in order; the job id makes one request per committed step.
  if (
    isPlatformType(conversation.channel) &&
    (plan.outgoing.length > 0 || plan.inbound?.author === "agent")
  ) {
    const lastSeq = conversation.lastSeq + plan.outgoing.length + (plan.inbound ? 1 : 0);
    await enqueueChannelDelivery(deps, ctx.tenantId, conversation.id, `seq:${lastSeq}`).catch((error) =>
      deps.logger?.error(
        { error: String(error), conversationId: conversation.id },
        "channel delivery enqueue failed (the sweep retries)",
      ),
    );
  }
  // MongoDB transcripts: the step's copy is queued (the sweep repairs a lost enqueue). Without
  // MONGODB_URL this is one property check.
  if (deps.transcripts && deps.transcripts.kind !== "postgres") {
    const lastSeq = conversation.lastSeq + plan.outgoing.length + (plan.inbound ? 1 : 0);
    await enqueueTranscriptSync(deps, ctx.tenantId, conversation.id, lastSeq).catch((error) =>
      deps.logger?.error(
        { error: String(error), conversationId: conversation.id },
        "transcript copy enqueue failed (the sweep copies it)",
      ),
    );
    // An ended conversation takes no more turns: after a grace, Postgres keeps none of its messages.
    if (plan.status === "ended" && facts.previousStatus !== "ended") {
      await enqueueEndedPrune(deps, ctx.tenantId, conversation.id).catch((error) =>
        deps.logger?.warn(
          { error: String(error), conversationId: conversation.id },
          "ended-conversation prune enqueue failed (its messages stay in Postgres)",
        ),
      );
    }
  }
  const observer = deps.observer;
  if (!observer) return;
  if (plan.turn) {
    observer.turnCompleted?.({
      tenantId: ctx.tenantId,
      botId: conversation.botId,
      latencyMs: plan.turn.latencyMs,
      status: plan.status,
      channel: conversation.channel,
    });
    for (const effect of plan.turn.result.trace.effects) {
      if (effect.outcome !== "ok") observer.effectFailed?.({ kind: effect.kind, outcome: effect.outcome });
    }
  }
  const channel = { channel: conversation.channel };
  if (plan.create) observer.conversationStarted?.(channel);
  if (plan.status === "ended" && facts.previousStatus !== "ended") observer.conversationEnded?.(channel);
  if (plan.status === "handoff" && facts.previousStatus !== "handoff")
    observer.handoffRequested?.({ tenantId: ctx.tenantId, botId: conversation.botId });
}

/** {@link afterCommitUntraced} as the `parley.turn.after_commit` span: timers, webhooks, channel delivery (internal). */
export const afterCommit = traced("parley.turn.after_commit", afterCommitUntraced, (_ctx, conversation) => ({
  "parley.conversation.id": conversation.id,
  "parley.channel": conversation.channel,
}));
