import type { OutgoingMessage } from "@parley/contract";
import type { JobContext } from "@parley/infra";
import { type CoreDeps, nowOf, systemContext } from "../context";
import { commitStep } from "../conversations/commit";
import { loadConversation, withFreshRetry } from "../conversations/load";
import { withConversationLock } from "../conversations/lock";
import { newId } from "../internal/ids";
import { type LiveChannel, liveChannel } from "./channel-cache";
import { platformHttp } from "./channel-connection";
import { recordChannelOutcome } from "./channel-status";
import { channelDeliveryJobSchema, enqueueChannelDelivery } from "./inbound-queue";
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
  const channel = (metadata as { channel?: { threadId?: string; externalUserId?: string } } | null)?.channel;
  const threadId = externalThreadId ?? channel?.threadId;
  if (!threadId) return null;
  return { threadId, externalUserId: channel?.externalUserId ?? threadId, replyContext: {} };
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
  const { tenantId, conversationId } = channelDeliveryJobSchema.parse(job.data);
  const db = deps.db.forTenant(tenantId);
  await deps.infra.locks.withLock(
    `channel-delivery:${tenantId}:${conversationId}`,
    async () => {
      // One transaction for the reads (each tenant-scoped call is a transaction of its own otherwise).
      const found = await db.$transaction(async (tx) => {
        const conversation = await tx.conversation.findFirst({
          where: { id: conversationId },
          select: { channelConfigId: true, externalThreadId: true, metadata: true },
        });
        if (!conversation) return null;
        const latest = await tx.channelInboundEvent.findFirst({
          where: { conversationId },
          orderBy: { receivedAt: "desc" },
          select: { payload: true },
        });
        return { conversation, latest };
      });
      if (!found) return;
      const { conversation } = found;
      const channelId =
        conversation.channelConfigId ??
        (conversation.metadata as { channel?: { channelConfigId?: string } } | null)?.channel
          ?.channelConfigId;
      const channel = channelId ? await liveChannel(deps, channelId) : null;
      if (!channel?.row.enabled) return;
      const target = replyTargetOf(found.latest, conversation.metadata, conversation.externalThreadId);
      if (!target) return;
      const settings = deps.channelDelivery ?? {};
      const maxAttempts = settings.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
      const baseMs = settings.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
      const http = platformHttp(deps);
      for (;;) {
        const { messages, existingRows } = await db.$transaction(async (tx) => {
          const done = await tx.channelDelivery.findFirst({
            where: { conversationId, status: { in: ["sent", "failed"] } },
            orderBy: { seq: "desc" },
            select: { seq: true },
          });
          const messages = await tx.message.findMany({
            where: {
              conversationId,
              seq: { gt: done?.seq ?? 0 },
              author: { in: ["bot", "agent", "system"] },
            },
            orderBy: { seq: "asc" },
            take: BATCH,
            select: { id: true, seq: true, author: true, payload: true, nodeId: true },
          });
          const existingRows =
            messages.length === 0
              ? []
              : await tx.channelDelivery.findMany({
                  where: { conversationId, messageId: { in: messages.map((message) => message.id) } },
                });
          return { messages, existingRows };
        });
        const existingOf = new Map(existingRows.map((row) => [row.messageId, row]));
        let progressed = false;
        for (const message of messages) {
          const outgoing = deliverableOf(message);
          if (!outgoing) continue;
          const calls = channel.adapter.render([outgoing], target, channel.connection);
          if (calls.length === 0) continue;
          const existing = existingOf.get(message.id);
          if (existing && existing.status !== "pending") continue;
          if (existing?.nextAttemptAt && existing.nextAttemptAt.getTime() > nowOf(deps).getTime()) return;
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
            tenantId,
            channelConfigId: channel.row.id,
            conversationId,
            messageId: message.id,
            seq: message.seq,
            callsSent,
            ...(platformMessageId ? { platformMessageId } : {}),
          };
          if (!failure) {
            const sent = {
              ...row,
              status: "sent",
              attempts: (existing?.attempts ?? 0) + 1,
              nextAttemptAt: null,
            };
            if (existing) await db.channelDelivery.update({ where: { id: existing.id }, data: sent });
            else await db.channelDelivery.create({ data: { id: newId(), ...sent } });
            await recordChannelOutcome(deps, channel.row.id, { kind: "outbound", at: now });
            progressed = true;
            continue;
          }
          const attempts = (existing?.attempts ?? 0) + 1;
          const finallyFailed = !failure.retryable || attempts >= maxAttempts;
          const delayMs = failure.retryable ? retryDelayMs(attempts, baseMs, failure.retryAfterMs) : 0;
          const state = {
            ...row,
            attempts,
            lastError: failure.error.slice(0, 1_000),
            status: finallyFailed ? "failed" : "pending",
            nextAttemptAt: finallyFailed ? null : new Date(now.getTime() + delayMs),
          };
          if (existing) await db.channelDelivery.update({ where: { id: existing.id }, data: state });
          else await db.channelDelivery.create({ data: { id: newId(), ...state } });
          if (!finallyFailed) {
            await enqueueChannelDelivery(
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
        if (!progressed || messages.length < BATCH) return;
      }
    },
    { ttlMs: 30_000, waitMs: 60_000 },
  );
}
