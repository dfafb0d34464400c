import type { JobContext } from "@parley/infra";
import { PermanentJobError } from "@parley/infra";
import { type CoreDeps, type ServiceContext, systemContext, tenantDb } from "../context";
import { commitStep } from "../conversations/commit";
import type { CommitPlan } from "../conversations/commit-plan";
import { turnPlan } from "../conversations/commit-plan";
import { carriedVariables, contactFor } from "../conversations/contacts";
import { runEngine } from "../conversations/engine-turn";
import { entryOf } from "../conversations/entry";
import type { LiveConversation } from "../conversations/load";
import { sendMessage } from "../conversations/send";
import { loadVersion } from "../conversations/versions";
import { ServiceError } from "../errors";
import { newId } from "../internal/ids";
import { type LiveChannel, liveChannel } from "./channel-cache";
import { platformHttp } from "./channel-connection";
import { recordChannelOutcome } from "./channel-status";
import { channelInboundJobSchema } from "./inbound-queue";
import type { InboundMessageEvent } from "./platform-adapter";

/** Longest a thread's drain holds its lock; extended while turns run. */
const THREAD_LOCK = { ttlMs: 30_000, waitMs: 60_000 };
/** Events of one thread taken per read. */
const BATCH = 20;

/** The text a person's event stands for in the transcript and for the flow (internal). */
export function inboundText(event: InboundMessageEvent): string {
  const text = event.text?.trim();
  if (text) return text.slice(0, 10_000);
  const attachment = event.attachments?.[0];
  if (attachment) {
    if (attachment.type === "location") return `[location] ${attachment.latitude},${attachment.longitude}`;
    return `[${attachment.type}] ${attachment.url ?? attachment.name ?? ""}`.trim();
  }
  return event.buttonValue ?? "(empty message)";
}

/** What the flow receives: a clicked button's value as the answer, else the text (internal). */
function turnInput(event: InboundMessageEvent): { text: string } | { choice: string } {
  return event.buttonValue !== undefined && event.buttonValue !== ""
    ? { choice: event.buttonValue }
    : { text: inboundText(event) };
}

/** The conversation a thread continues: the newest one not ended (internal). */
async function openConversationOf(ctx: ServiceContext, channelId: string, threadId: string) {
  return tenantDb(ctx).conversation.findFirst({
    where: { channelConfigId: channelId, externalThreadId: threadId, status: { not: "ended" } },
    orderBy: { startedAt: "desc" },
    select: { id: true },
  });
}

/**
 * Starts a thread's conversation on the bot's published entry flow: the sender becomes (or is
 * found as) a contact on this channel, whose contact-scoped variables carry over; the first step
 * stores the sender's message and runs the flow's start. The message starts the conversation; it
 * is not taken as the answer to the flow's first question (internal).
 */
async function startThreadConversation(
  ctx: ServiceContext,
  channel: LiveChannel,
  event: InboundMessageEvent,
  eventRowId: string,
): Promise<string> {
  const entry = await entryOf(ctx, channel.row.botId);
  if (!entry.flowId || !entry.publishedVersionId) {
    throw new ServiceError(
      "conflict",
      "bot-not-published",
      `bot ${channel.row.botId} has no published flow to talk to`,
    );
  }
  const version = await loadVersion(ctx, entry.publishedVersionId);
  const contact = await contactFor(ctx, channel.type, {
    id: event.externalUserId,
    ...(event.displayName ? { name: event.displayName } : {}),
  });
  const variables = carriedVariables(version, contact.attributes);
  const conversation: LiveConversation = {
    id: newId(),
    tenantId: ctx.tenantId,
    botId: channel.row.botId,
    flowId: entry.flowId,
    flowVersionId: version.id,
    contactId: contact.contactId,
    channel: channel.type,
    status: "waiting",
    variables: variables as LiveConversation["variables"],
    snapshot: null,
    lastSeq: 0,
    turnCount: 0,
  };
  // Before the commit, so the delivery job it queues finds where to reply.
  await tenantDb(ctx).channelInboundEvent.update({
    where: { id: eventRowId },
    data: { conversationId: conversation.id },
  });
  const turn = await runEngine(
    ctx,
    conversation,
    version,
    { type: "conversation.start", variables },
    event.displayName ? { contactName: event.displayName } : {},
  );
  const text = inboundText(event);
  const inbound: CommitPlan["inbound"] =
    event.buttonValue !== undefined
      ? {
          author: "user",
          payload: { type: "user_choice", values: [event.buttonValue] },
          text,
          clientMessageId: clientIdOf(event),
        }
      : { author: "user", payload: { type: "user_text", text }, text, clientMessageId: clientIdOf(event) };
  await commitStep(ctx, conversation, {
    ...turnPlan(turn, version),
    inbound,
    create: {
      channel: channel.type,
      metadata: {
        channel: {
          channelConfigId: channel.row.id,
          threadId: event.threadId,
          externalUserId: event.externalUserId,
          ...(event.displayName ? { displayName: event.displayName } : {}),
        },
      },
    },
  });
  await tenantDb(ctx).conversation.update({
    where: { id: conversation.id },
    data: { channelConfigId: channel.row.id, externalThreadId: event.threadId },
  });
  return conversation.id;
}

const clientIdOf = (event: InboundMessageEvent) => `ch:${event.eventId}`.slice(0, 100);

/**
 * Runs one stored event's turn: continues the thread's conversation or starts one; `null` when the
 * event only continues (see {@link InboundMessageEvent.continuesOnly}) and none is open (internal).
 */
async function runInboundEvent(
  ctx: ServiceContext,
  channel: LiveChannel,
  eventRowId: string,
  event: InboundMessageEvent,
): Promise<string | null> {
  const open = await openConversationOf(ctx, channel.row.id, event.threadId);
  if (!open && event.continuesOnly) return null;
  if (!open) return startThreadConversation(ctx, channel, event, eventRowId);
  // The event is linked to the conversation once done: this turn's replies use the thread's earlier
  // reply context (the same thread), one write less on the hot path.
  try {
    await sendMessage(ctx, open.id, { ...turnInput(event), clientMessageId: clientIdOf(event) });
    return open.id;
  } catch (error) {
    // Ended between the lookup and the turn: the message starts the thread's next conversation.
    if (error instanceof ServiceError && error.code === "conversation-ended") {
      return event.continuesOnly ? null : startThreadConversation(ctx, channel, event, eventRowId);
    }
    throw error;
  }
}

/** Errors a later attempt may not hit (busy conversation, rate limit, outage); others fail the event. */
const retryable = (error: unknown) =>
  !(error instanceof ServiceError) || error.kind === "unavailable" || error.kind === "rate_limited";

/** Shows the bot typing while the turn runs, where the platform has it (best effort, not queued). */
function showTyping(deps: CoreDeps, channel: LiveChannel, event: InboundMessageEvent): void {
  let calls: ReturnType<LiveChannel["adapter"]["render"]>;
  try {
    calls = channel.adapter.render(
      [{ type: "typing", nodeId: "", durationMs: 1_000 }],
      { threadId: event.threadId, externalUserId: event.externalUserId, replyContext: event.replyContext },
      channel.connection,
    );
  } catch {
    return;
  }
  const http = deps.http ? platformHttp(deps) : undefined;
  if (!http) return;
  for (const call of calls) void channel.adapter.send(call, channel.connection, http).catch(() => undefined);
}

/**
 * Job handler of the `channel-inbound` queue: runs the pending events of the job's thread, oldest
 * first, under the thread's lock, so a thread's messages are answered in the order they arrived
 * whichever worker takes them; an event whose turn failed for good is marked failed (shown in the
 * channel's status), a passing failure retries the job.
 */
export async function processChannelInbound(deps: CoreDeps, job: JobContext): Promise<void> {
  const { tenantId, channelId, threadId } = channelInboundJobSchema.parse(job.data);
  const channel = await liveChannel(deps, channelId);
  if (!channel) return; // deleted since: its events went with it
  const ctx = systemContext(deps, tenantId, `channel:${channel.type}`);
  await deps.infra.locks
    .withLock(
      `channel-thread:${channelId}:${threadId}`,
      async () => {
        for (;;) {
          const pending = await tenantDb(ctx).channelInboundEvent.findMany({
            where: { channelConfigId: channelId, threadId, status: "pending" },
            orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
            take: BATCH,
            select: { id: true, payload: true },
          });
          if (pending.length === 0) return;
          for (const row of pending) {
            const event = row.payload as unknown as InboundMessageEvent;
            // Typing only where a turn may run (a bystander's thread reply is dropped silently).
            if (!event.continuesOnly) showTyping(deps, channel, event);
            try {
              const conversationId = await runInboundEvent(ctx, channel, row.id, event);
              await tenantDb(ctx).channelInboundEvent.update({
                where: { id: row.id },
                data: { status: "done", conversationId, processedAt: new Date() },
              });
            } catch (error) {
              if (retryable(error) && job.attempt < job.maxAttempts) throw error;
              const message = error instanceof Error ? error.message : String(error);
              await tenantDb(ctx).channelInboundEvent.update({
                where: { id: row.id },
                data: { status: "failed", error: message.slice(0, 1_000), processedAt: new Date() },
              });
              await recordChannelOutcome(deps, channelId, {
                kind: "error",
                error: `inbound message: ${message}`,
              });
              if (!retryable(error)) deps.logger?.warn({ channelId, error: message }, "channel event failed");
            }
          }
        }
      },
      THREAD_LOCK,
    )
    .catch((error: unknown) => {
      if (error instanceof ServiceError && !retryable(error)) throw new PermanentJobError(error.message);
      throw error;
    });
}
