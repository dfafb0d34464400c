import type { InboundOutcome } from "@parley/db";
import type { JobContext } from "@parley/infra";
import { PermanentJobError } from "@parley/infra";
import { type CoreDeps, type ServiceContext, systemContext } from "../context";
import { commitStep } from "../conversations/commit";
import type { ChannelEventMark, CommitPlan } from "../conversations/commit-plan";
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
import { CHANNEL_INBOUND_QUEUE, channelInboundJobSchema, enqueueInboundEvent } from "./inbound-queue";
import { drainHere, localAttempt, runLocally } from "./local-channel-work";
import type { InboundMessageEvent } from "./platform-adapter";

/** Longest a thread's drain holds its lock; extended while turns run. */
const THREAD_LOCK = { ttlMs: 30_000, waitMs: 60_000 };
/** Events of one thread taken per read. */
const BATCH = 20;

/** An attachment as one line of text: its kind and link (or name), or a location's coordinates. */
function attachmentLine(attachment: NonNullable<InboundMessageEvent["attachments"]>[number]): string {
  if (attachment.type === "location") return `[location] ${attachment.latitude},${attachment.longitude}`;
  return `[${attachment.type}] ${attachment.url ?? attachment.name ?? ""}`.trim();
}

/**
 * The text a person's event stands for in the transcript and for the flow (internal): the text (a
 * media caption included) followed by one line per attachment, so a captioned photo keeps its link.
 */
export function inboundText(event: InboundMessageEvent): string {
  const lines = [event.text?.trim() ?? "", ...(event.attachments ?? []).map(attachmentLine)].filter(Boolean);
  if (lines.length > 0) return lines.join("\n").slice(0, 10_000);
  return event.buttonValue ?? "(empty message)";
}

/** What the flow receives: a clicked button's value as the answer, else the text (internal). */
function turnInput(event: InboundMessageEvent): { text: string } | { choice: string } {
  return event.buttonValue !== undefined && event.buttonValue !== ""
    ? { choice: event.buttonValue }
    : { text: inboundText(event) };
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
  mark: ChannelEventMark,
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
    ...(event.verified ? { verified: event.verified } : {}),
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
          // Where the first replies go before the event is marked done with this conversation.
          ...(event.replyContext ? { replyContext: event.replyContext } : {}),
        },
      },
      thread: { channelConfigId: channel.row.id, externalThreadId: event.threadId },
    },
    channelEvent: mark,
  });
  return conversation.id;
}

const clientIdOf = (event: InboundMessageEvent) => `ch:${event.eventId}`.slice(0, 100);

/**
 * Runs one stored event's turn: continues the thread's open conversation (`openId`, read with the
 * thread's pending events) or starts one; `null` when the event only continues (see
 * {@link InboundMessageEvent.continuesOnly}) and none is open. The step that stores the event's
 * message marks the event done in its transaction (`mark`) (internal).
 */
async function runInboundEvent(
  ctx: ServiceContext,
  channel: LiveChannel,
  openId: string | null,
  event: InboundMessageEvent,
  mark: ChannelEventMark,
): Promise<string | null> {
  if (!openId) return event.continuesOnly ? null : startThreadConversation(ctx, channel, event, mark);
  const open = { id: openId };
  // The event is linked to the conversation once done: this turn's replies use the thread's earlier
  // reply context (the same thread), one write less on the hot path.
  try {
    await sendMessage(
      ctx,
      open.id,
      { ...turnInput(event), clientMessageId: clientIdOf(event) },
      { channelEvent: mark },
    );
    return open.id;
  } catch (error) {
    // Ended between the lookup and the turn: the message starts the thread's next conversation.
    if (error instanceof ServiceError && error.code === "conversation-ended") {
      return event.continuesOnly ? null : startThreadConversation(ctx, channel, event, mark);
    }
    throw error;
  }
}

/** Errors a later attempt may not hit (busy conversation, rate limit, outage); others fail the event. */
const retryable = (error: unknown) =>
  !(error instanceof ServiceError) || error.kind === "unavailable" || error.kind === "rate_limited";

/** A turn that answers within this long shows no typing indicator (its reply is the sign of life). */
const DEFAULT_TYPING_DELAY_MS = 400;

/**
 * Acknowledges the event and shows the bot typing, where the platform has them (best effort, not
 * queued): a clicked button's acknowledgement (Telegram's spinning button) goes at once, the typing
 * indicator only once the turn has run a while (`channelDelivery.typingDelayMs`, default
 * {@link DEFAULT_TYPING_DELAY_MS}), since a fast turn's reply
 * arrives before an indicator would be seen. Returns the cancel of the pending indicator.
 */
function acknowledgeAndType(deps: CoreDeps, channel: LiveChannel, event: InboundMessageEvent): () => void {
  let calls: ReturnType<LiveChannel["adapter"]["render"]>;
  try {
    calls = channel.adapter.render(
      [{ type: "typing", nodeId: "", durationMs: 1_000 }],
      { threadId: event.threadId, externalUserId: event.externalUserId, replyContext: event.replyContext },
      channel.connection,
    );
  } catch {
    return () => {};
  }
  const http = deps.http ? platformHttp(deps) : undefined;
  if (!http || calls.length === 0) return () => {};
  const send = (call: (typeof calls)[number]) =>
    void channel.adapter.send(call, channel.connection, http).catch(() => undefined);
  for (const call of calls) if (call.kind !== "typing") send(call);
  const typing = calls.filter((call) => call.kind === "typing");
  if (typing.length === 0) return () => {};
  const delayMs = deps.channelDelivery?.typingDelayMs ?? DEFAULT_TYPING_DELAY_MS;
  if (delayMs <= 0) {
    typing.forEach(send);
    return () => {};
  }
  const timer = setTimeout(() => typing.forEach(send), delayMs);
  timer.unref?.();
  return () => clearTimeout(timer);
}

/** The job data of a thread's drain. */
type InboundJob = ReturnType<typeof channelInboundJobSchema.parse>;

const threadKey = (job: InboundJob) => `thread:${job.channelId}:${job.threadId}`;

/**
 * Job handler of the `channel-inbound` queue: runs the pending events of the job's thread, oldest
 * first, under the thread's lock, so a thread's messages are answered in the order they arrived
 * whichever worker takes them; an event whose turn failed for good is marked failed (shown in the
 * channel's status), a passing failure retries the job. A drain of the thread already running in
 * this process takes the job's event instead (see local-channel-work.ts).
 */
export async function processChannelInbound(deps: CoreDeps, job: JobContext): Promise<void> {
  const data = channelInboundJobSchema.parse(job.data);
  await drainHere(deps, threadKey(data), (more) => drainThreadEvents(deps, data, job, more));
}

/**
 * Runs a stored event's thread in this process when it serves the channel queues, at once or once
 * a drain is free (internal): the webhook then answers without a queue round trip. A passing failure queues
 * the job (which retries with backoff). False when the caller must queue it.
 */
export function runInboundLocally(deps: CoreDeps, data: InboundJob): boolean {
  const attempt = localAttempt(CHANNEL_INBOUND_QUEUE, `chin:${data.eventRowId}`, data);
  return runLocally(
    deps,
    threadKey(data),
    (more) => drainThreadEvents(deps, data, attempt, more),
    (error) => {
      if (error instanceof PermanentJobError) return;
      void enqueueInboundEvent(deps, data).catch((queueError: unknown) =>
        deps.logger?.error(
          { channelId: data.channelId, error: String(queueError) },
          "channel event enqueue failed (the sweep retries)",
        ),
      );
    },
  );
}

async function drainThreadEvents(
  deps: CoreDeps,
  { tenantId, channelId, threadId }: InboundJob,
  job: Pick<JobContext, "attempt" | "maxAttempts">,
  more: () => boolean,
): Promise<void> {
  const channel = await liveChannel(deps, channelId);
  if (!channel) return; // deleted since: its events went with it
  const ctx = systemContext(deps, tenantId, `channel:${channel.type}`);
  const store = deps.db.channelStore(tenantId);
  await deps.infra.locks
    .withLock(
      `channel-thread:${channelId}:${threadId}`,
      async () => {
        // A turn's commit marks its event done in its own transaction. Other outcomes (an event
        // answered again, dropped or failed) are written with the thread's next read, or alone when
        // the drain stops: a crash before that re-runs the event, and its client message id answers
        // it again without a second turn.
        let outcomes: InboundOutcome[] = [];
        for (;;) {
          const read = await store.drainThread(channelId, threadId, outcomes, BATCH);
          outcomes = [];
          let openId = read.openConversationId;
          for (const row of read.pending) {
            const event = row.payload as InboundMessageEvent;
            // Typing only where a turn may run (a bystander's thread reply is dropped silently).
            const cancelTyping = event.continuesOnly ? () => {} : acknowledgeAndType(deps, channel, event);
            const mark: ChannelEventMark = { rowId: row.id, marked: false };
            try {
              openId = await runInboundEvent(ctx, channel, openId, event, mark);
              if (!mark.marked) outcomes.push({ id: row.id, status: "done", conversationId: openId });
            } catch (error) {
              if (mark.marked) {
                // The turn is committed (and its event done): only what follows a commit failed.
                deps.logger?.warn(
                  { channelId, error: String(error) },
                  "channel turn committed with an error after",
                );
                continue;
              }
              if (retryable(error) && job.attempt < job.maxAttempts) {
                // Keep what is done; this event and the rest run again on the job's retry.
                await store.drainThread(channelId, threadId, outcomes, 0).catch(() => undefined);
                throw error;
              }
              const message = error instanceof Error ? error.message : String(error);
              outcomes.push({ id: row.id, status: "failed", error: message });
              await recordChannelOutcome(deps, channelId, {
                kind: "error",
                error: `inbound message: ${message}`,
              });
              if (!retryable(error)) deps.logger?.warn({ channelId, error: message }, "channel event failed");
            } finally {
              cancelTyping();
            }
          }
          // Read again only when more may wait: a full batch, or an event stored since the read
          // (this process's webhooks say so; another process's webhook starts a drain of its own,
          // which waits for this lock).
          if (read.pending.length < BATCH && !more()) {
            if (outcomes.length > 0) await store.drainThread(channelId, threadId, outcomes, 0);
            return;
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
