import type { OutgoingMessage } from "@parley/contract";
import type { DeliveryRecord } from "@parley/db";
import type { JobContext } from "@parley/infra";
import { type CoreDeps, nowOf, systemContext } from "../context";
import { commitStep } from "../conversations/commit";
import { loadConversation, withFreshRetry } from "../conversations/load";
import { withConversationLock } from "../conversations/lock";
import { newId } from "../internal/ids";
import { type LiveChannel, liveChannel } from "./channel-cache";
import { platformHttp } from "./channel-connection";
import { recordChannelOutcome } from "./channel-status";
import { channelDeliveryJobSchema, queueChannelDelivery } from "./inbound-queue";
import { deliveryKey, drainHere } from "./local-channel-work";
import type { InboundMessageEvent, ReplyTarget, SendResult } from "./platform-adapter";

/** Node id of the transcript note a finally failed delivery leaves (never delivered itself). */
export const DELIVERY_FAILED_NODE = "channel-delivery-failed";
/** Delivery attempts of one message, the first included. */
const DEFAULT_MAX_ATTEMPTS = 6;
/** First retry delay; each retry doubles it, and a platform's Retry-After wins when longer. */
const DEFAULT_BASE_DELAY_MS = 1_000;
/** Longest wait between two attempts. */
const MAX_DELAY_MS = 5 * 60_000;
/** Messages read per pass. */
const BATCH = 50;

/** A transcript message as a channel shows it, or null when it is not for the person (internal). */
export function deliverableOf(message: {
  author: string;
  payload: unknown;
  nodeId: string | null;
}): OutgoingMessage | null {
  if (message.nodeId === DELIVERY_FAILED_NODE) return null;
  const payload = message.payload as { type?: string; text?: string };
  if (message.author === "agent") {
    if (payload.type !== "agent_text" || !payload.text) return null;
    return { type: "text", nodeId: "", text: payload.text, format: "plain", source: "system" };
  }
  if (message.author !== "bot" && message.author !== "system") return null;
  return payload as OutgoingMessage;
}

/** Where a conversation's replies go: the reply context of its latest inbound event, else its metadata (internal). */
function replyTargetOf(
  latest: { payload: unknown } | null,
  metadata: unknown,
  externalThreadId: string | null,
): ReplyTarget | null {
  if (latest) {
    const event = latest.payload as InboundMessageEvent;
    return {
      threadId: event.threadId,
      externalUserId: event.externalUserId,
      replyContext: event.replyContext ?? {},
    };
  }
  const channel = (
    metadata as {
      channel?: { threadId?: string; externalUserId?: string; replyContext?: ReplyTarget["replyContext"] };
    } | null
  )?.channel;
  const threadId = externalThreadId ?? channel?.threadId;
  if (!threadId) return null;
  return {
    threadId,
    externalUserId: channel?.externalUserId ?? threadId,
    replyContext: channel?.replyContext ?? {},
  };
}

/** How long to wait before attempt `attempt + 1` (exponential, at least the platform's Retry-After). */
export function retryDelayMs(attempt: number, baseMs: number, retryAfterMs?: number): number {
  const backoff = Math.min(MAX_DELAY_MS, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.min(MAX_DELAY_MS, Math.max(backoff, retryAfterMs ?? 0));
}

/**
 * Leaves a note in the transcript that a reply could not be delivered (author `system`, never sent
 * itself), so agents and the transcript show it (internal).
 */
async function noteDeliveryFailure(
  deps: CoreDeps,
  tenantId: string,
  conversationId: string,
  channel: LiveChannel,
  error: string,
): Promise<void> {
  const ctx = systemContext(deps, tenantId, `channel:${channel.type}`);
  await withConversationLock(ctx, conversationId, () =>
    withFreshRetry(async (hot) => {
      const { conversation } = await loadConversation(ctx, conversationId, { hot });
      await commitStep(ctx, conversation, {
        outgoing: [
          {
            type: "text",
            nodeId: DELIVERY_FAILED_NODE,
            text: `A reply could not be delivered on ${channel.type}: ${error}`,
            format: "plain",
            source: "system",
          },
        ],
        outgoingAuthor: "system",
        status: conversation.status,
      });
    }),
  );
}

/**
 * Job handler of the `channel-delivery` queue: sends a channel conversation's undelivered replies
 * (bot, agent and system messages) in transcript order, one conversation at a time (its delivery
 * lock). A refused call is retried with exponential backoff that honours the platform's
 * Retry-After, and later replies wait for it; a reply that fails for good is marked failed, noted
 * in the transcript and in the channel's status, and the next replies go on.
 */
export async function deliverChannelMessages(deps: CoreDeps, job: JobContext): Promise<void> {
  const data = channelDeliveryJobSchema.parse(job.data);
  await drainHere(deps, deliveryKey(data.conversationId), (more) => deliverDue(deps, data, more));
}

/**
 * The delivery passes of one conversation (see {@link deliverChannelMessages}); `more()` says
 * whether a new reply was committed since the last pass read (the process's coalescing) (internal).
 */
export async function deliverDue(
  deps: CoreDeps,
  { tenantId, conversationId }: { tenantId: string; conversationId: string },
  more: () => boolean = () => false,
): Promise<void> {
  const store = deps.db.channelStore(tenantId);
  await deps.infra.locks.withLock(
    `channel-delivery:${tenantId}:${conversationId}`,
    async () => {
      let channel: LiveChannel | null | undefined;
      let target: ReplyTarget | null = null;
      const settings = deps.channelDelivery ?? {};
      const maxAttempts = settings.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
      const baseMs = settings.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
      const http = platformHttp(deps);
      for (;;) {
        // One round trip: the conversation, its reply context and what is due, with earlier attempts.
        const pass = await store.deliveryPass(conversationId, BATCH);
        const { conversation, messages } = pass;
        if (!conversation) return;
        if (channel === undefined) {
          const channelId =
            conversation.channelConfigId ??
            (conversation.metadata as { channel?: { channelConfigId?: string } } | null)?.channel
              ?.channelConfigId;
          channel = channelId ? await liveChannel(deps, channelId) : null;
          target = replyTargetOf(
            pass.latestInbound === null ? null : { payload: pass.latestInbound },
            conversation.metadata,
            conversation.externalThreadId,
          );
        }
        if (!channel?.row.enabled || !target) return;
        const channelId = channel.row.id;
        let progressed = false;
        // Sent replies are recorded together at the end of the pass (or before a failure is): one
        // statement per pass. A crash in between sends them again (at least once, as a crash between
        // a send and its record always could).
        const sent: DeliveryRecord[] = [];
        const flushSent = async () => {
          if (sent.length === 0) return;
          await store.recordDeliveries(sent.splice(0));
          await recordChannelOutcome(deps, channelId, { kind: "outbound", at: nowOf(deps) });
        };
        for (const message of messages) {
          const outgoing = deliverableOf(message);
          if (!outgoing) continue;
          const calls = channel.adapter.render([outgoing], target, channel.connection);
          if (calls.length === 0) continue;
          const existing = message.delivery;
          if (existing && existing.status !== "pending") continue;
          if (existing?.nextAttemptAt && existing.nextAttemptAt.getTime() > nowOf(deps).getTime()) {
            await flushSent();
            return;
          }
          let callsSent = existing?.callsSent ?? 0;
          let platformMessageId = existing?.platformMessageId ?? undefined;
          let failure: Extract<SendResult, { ok: false }> | undefined;
          for (const call of calls.slice(callsSent)) {
            const result = await channel.adapter
              .send(call, channel.connection, http)
              .catch((error: unknown): SendResult => ({ ok: false, retryable: true, error: String(error) }));
            if (!result.ok) {
              failure = result;
              break;
            }
            callsSent += 1;
            platformMessageId = result.platformMessageId ?? platformMessageId;
          }
          const now = nowOf(deps);
          const row = {
            id: existing?.id ?? newId(),
            channelConfigId: channel.row.id,
            conversationId,
            messageId: message.id,
            seq: message.seq,
            callsSent,
            platformMessageId: platformMessageId ?? null,
            now,
          };
          if (!failure) {
            sent.push({
              ...row,
              status: "sent",
              attempts: (existing?.attempts ?? 0) + 1,
              nextAttemptAt: null,
              lastError: null,
            });
            progressed = true;
            continue;
          }
          await flushSent();
          const attempts = (existing?.attempts ?? 0) + 1;
          const finallyFailed = !failure.retryable || attempts >= maxAttempts;
          const delayMs = failure.retryable ? retryDelayMs(attempts, baseMs, failure.retryAfterMs) : 0;
          await store.recordDeliveries([
            {
              ...row,
              attempts,
              lastError: failure.error.slice(0, 1_000),
              status: finallyFailed ? "failed" : "pending",
              nextAttemptAt: finallyFailed ? null : new Date(now.getTime() + delayMs),
            },
          ]);
          if (!finallyFailed) {
            await queueChannelDelivery(
              deps,
              tenantId,
              conversationId,
              `retry:${message.id}:${attempts}`,
              delayMs,
            );
            return;
          }
          await recordChannelOutcome(deps, channel.row.id, {
            kind: "error",
            error: `reply not delivered after ${attempts} attempt(s): ${failure.error}`,
            at: now,
          });
          await noteDeliveryFailure(deps, tenantId, conversationId, channel, failure.error).catch(
            (error: unknown) =>
              deps.logger?.error(
                { conversationId, error: String(error) },
                "could not note a failed channel delivery",
              ),
          );
          progressed = true;
        }
        await flushSent();
        if ((!progressed || messages.length < BATCH) && !more()) return;
      }
    },
    { ttlMs: 30_000, waitMs: 60_000 },
  );
}
