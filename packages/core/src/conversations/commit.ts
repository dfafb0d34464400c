import type { NewAnalyticsEvent, NewMessage, TurnCommit } from "@parley/db";
import { traced } from "@parley/infra";
import { enteredNodes, reachedEndNode } from "../analytics/turn-path";
import { nowOf, type ServiceContext } from "../context";
import { stepStreamEvents } from "../events/stream-events";
import { afterCommitForInbox } from "../inbox/commit-notices";
import { newId } from "../internal/ids";
import { afterCommit } from "./after-commit";
import type { CommitPlan } from "./commit-plan";
import { contactAttributesToKeep } from "./contacts";
import { conversationMoved, HOT_MAX_ENTRY_BYTES, HOT_TTL_MS, hotKey, type LiveConversation } from "./load";
import { textOf } from "./messages";

/** The rows and analytics events of a step, numbered from the conversation's `lastSeq`. */
function rowsOf(conversation: LiveConversation, plan: CommitPlan, now: Date) {
  const messages: NewMessage[] = [];
  const analytics: { type: string; properties: Record<string, unknown> }[] = [];
  let seq = conversation.lastSeq;
  const previousStatus = conversation.status;
  if (plan.create) {
    analytics.push({ type: "conversation.started", properties: { channel: plan.create.channel } });
  }
  if (plan.inbound) {
    seq += 1;
    messages.push({
      id: newId(),
      seq,
      author: plan.inbound.author,
      authorUserId: plan.inbound.authorUserId ?? null,
      payload: plan.inbound.payload,
      text: plan.inbound.text,
      clientMessageId: plan.inbound.clientMessageId ?? null,
      createdAt: now,
    });
  }
  const author = plan.outgoingAuthor ?? "bot";
  for (const message of plan.outgoing) {
    seq += 1;
    messages.push({
      id: newId(),
      seq,
      author,
      payload: message,
      text: textOf(message),
      nodeId: message.nodeId || null,
      createdAt: now,
    });
  }
  if (plan.status === "handoff" && previousStatus !== "handoff") {
    analytics.push({ type: "handoff.requested", properties: {} });
  }
  if (plan.status === "ended" && previousStatus !== "ended") {
    analytics.push({
      type: "conversation.ended",
      properties: {
        turns: conversation.turnCount + (plan.turn ? 1 : 0),
        completed: reachedEndNode(plan.turn?.result.trace.nodes),
      },
    });
  }
  if (plan.turn) {
    const trace = plan.turn.result.trace;
    analytics.push({
      type: "turn",
      properties: {
        latencyMs: Math.round(plan.turn.latencyMs * 100) / 100,
        status: plan.status,
        nodes: trace.nodes.map((node) => node.nodeId),
        // Names only (values stay on the conversation): the transcript shows "set x" events from them.
        variablesChanged: trace.variables.map((change) => ({ nodeId: change.nodeId, name: change.name })),
        // Analytics: the nodes this turn newly entered, and the messages it wrote (see analytics/turn-path).
        entered: enteredNodes(trace.nodes, conversation.turnCount > 0),
        messages: messages.length,
        effects: trace.effects.map((effect) => ({
          kind: effect.kind,
          outcome: effect.outcome,
          durationMs: effect.durationMs,
        })),
      },
    });
  }
  for (const call of plan.turn?.integrationCalls ?? []) {
    analytics.push({ type: "integration.call", properties: { ...call } });
  }
  const analyticsRows: NewAnalyticsEvent[] = analytics.map((event) => ({
    id: newId(),
    ...event,
    occurredAt: now,
  }));
  return {
    messages,
    analytics: analyticsRows,
    lastSeq: seq,
    inboundMessageId: plan.inbound ? messages[0]?.id : undefined,
  };
}

/**
 * Writes a conversation's step in ONE transaction and one round trip: the messages (sequence
 * numbers continue `lastSeq`), the conversation row (compare-and-set on `lastSeq`, so a holder
 * that lost its lock cannot overwrite a newer step), analytics events, the step's stream events
 * (outbox: tenant webhooks are made from them by the relay) and the contact's contact-scoped
 * variables (and marks the channel event it answers done). Then refreshes the hot cache and schedules
 * what follows a commit (see afterCommit). Throws `conversation-moved` when nothing was written: the
 * compare-and-set failed, or the inbound message's client message id was stored before (a resend:
 * load.ts' withFreshRetry redoes the step from the database, which answers it again) (internal).
 */
async function commitStepUntraced(
  ctx: ServiceContext,
  conversation: LiveConversation,
  plan: CommitPlan,
): Promise<void> {
  const deps = ctx.deps;
  const now = nowOf(deps);
  const previousStatus = conversation.status;
  const { messages, analytics, lastSeq, inboundMessageId } = rowsOf(conversation, plan, now);
  const contactAttributes =
    plan.version && conversation.contactId && plan.variables
      ? contactAttributesToKeep(
          plan.version,
          conversation.variables as Record<string, unknown> | null,
          plan.variables,
        )
      : {};
  const commit: TurnCommit = {
    conversationId: conversation.id,
    botId: conversation.botId,
    flowVersionId: conversation.flowVersionId,
    ...(plan.create
      ? {
          create: {
            flowId: conversation.flowId,
            contactId: conversation.contactId,
            channel: plan.create.channel,
            metadata: plan.create.metadata,
            startedAt: now,
            ...(plan.create.thread ? { thread: plan.create.thread } : {}),
            // The experiment assignment is written in the same transaction as the conversation row.
            experimentId: conversation.experimentId ?? null,
            experimentVariant: conversation.experimentVariant ?? null,
          },
        }
      : {}),
    expectedLastSeq: conversation.lastSeq,
    set: {
      status: plan.status,
      lastSeq,
      lastActivityAt: now,
      turnCountIncrement: plan.turn ? 1 : 0,
      ...(plan.snapshot === undefined ? {} : { snapshot: plan.snapshot }),
      ...(plan.variables === undefined ? {} : { variables: plan.variables }),
      ...(plan.status === "handoff" && previousStatus !== "handoff" ? { handoffAt: now } : {}),
      ...(plan.status === "ended" && previousStatus !== "ended" ? { endedAt: now } : {}),
    },
    messages,
    analytics,
    // The step's events for the stream (outbox), in the same transaction (see docs/events.md).
    outbox: stepStreamEvents({
      tenantId: ctx.tenantId,
      conversationId: conversation.id,
      botId: conversation.botId,
      channel: plan.create?.channel ?? conversation.channel ?? null,
      created: plan.create !== undefined,
      previousStatus,
      status: plan.status,
      messages,
      analytics,
      ...(plan.assignment ? { assignment: plan.assignment } : {}),
      now,
    }),
    ...(conversation.contactId && Object.keys(contactAttributes).length > 0
      ? { contactAttributes: { contactId: conversation.contactId, attributes: contactAttributes } }
      : {}),
    ...(plan.channelEvent && inboundMessageId
      ? { channelEvent: { id: plan.channelEvent.rowId, messageId: inboundMessageId } }
      : {}),
  };
  const key = hotKey(ctx.tenantId, conversation.id);
  let outcome: Awaited<ReturnType<ReturnType<typeof deps.db.conversationStore>["commit"]>>;
  try {
    outcome = await deps.db.conversationStore(ctx.tenantId).commit(commit);
  } catch (error) {
    await deps.infra.cache.delete(key).catch(() => false);
    throw error;
  }
  if (!outcome.committed) {
    // A resend (its client message id is stored already) leaves the cached copy as it is: the
    // step is redone from the database, which finds the earlier message and answers it again.
    if (!outcome.duplicate) await deps.infra.cache.delete(key).catch(() => false);
    throw conversationMoved();
  }
  if (commit.channelEvent && plan.channelEvent) plan.channelEvent.marked = true;
  const committed: LiveConversation = {
    ...conversation,
    tenantId: ctx.tenantId,
    status: plan.status,
    lastSeq,
    turnCount: conversation.turnCount + (plan.turn ? 1 : 0),
    ...(plan.snapshot === undefined ? {} : { snapshot: plan.snapshot as LiveConversation["snapshot"] }),
    ...(plan.variables === undefined ? {} : { variables: plan.variables as LiveConversation["variables"] }),
  };
  // Only a cache: a failure here costs the next turn one database read. Bounded in time (the TTL:
  // idle conversations leave it) and per entry (a huge state is read from the database instead).
  // Issued with the inbox's notice in the same tick, so in cluster mode both travel in one Redis
  // write (auto-pipelining).
  await Promise.all([
    deps.infra.cache
      .set(key, committed, {
        ttlMs: deps.hotCache?.ttlMs ?? HOT_TTL_MS,
        maxBytes: deps.hotCache?.maxEntryBytes ?? HOT_MAX_ENTRY_BYTES,
      })
      .catch(() => {}),
    afterCommitForInbox(ctx, conversation, plan, { messages, lastSeq, previousStatus }),
  ]);
  await afterCommit(ctx, conversation, plan, { previousStatus, now });
}

/** {@link commitStepUntraced} as the `parley.turn.commit` span (internal). */
export const commitStep = traced("parley.turn.commit", commitStepUntraced, (_ctx, conversation, plan) => ({
  "parley.conversation.id": conversation.id,
  "parley.commit.messages": plan.outgoing.length + (plan.inbound ? 1 : 0),
}));
