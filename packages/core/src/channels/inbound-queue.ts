import { z } from "zod";
import type { CoreDeps } from "../context";

/** The job queue inbound channel events wait in until their turn runs. */
export const CHANNEL_INBOUND_QUEUE = "channel-inbound";
/** The job queue channel replies are delivered through. */
export const CHANNEL_DELIVERY_QUEUE = "channel-delivery";

/** Payload of an inbound job: the thread to drain, in order (the event row makes the job id). */
export const channelInboundJobSchema = z.object({
  tenantId: z.string().min(1),
  channelId: z.string().min(1),
  threadId: z.string().min(1),
  eventRowId: z.string().min(1),
});

/** Payload of a delivery job: the conversation whose undelivered replies go out, in order. */
export const channelDeliveryJobSchema = z.object({
  tenantId: z.string().min(1),
  conversationId: z.string().min(1),
});

/** Queues the turn of a stored inbound event (idempotent per event) (internal). */
export async function enqueueInboundEvent(
  deps: CoreDeps,
  job: z.infer<typeof channelInboundJobSchema>,
): Promise<void> {
  await deps.infra.queue.add(CHANNEL_INBOUND_QUEUE, job, {
    jobId: `chin:${job.eventRowId}`,
    attempts: 8,
    backoff: { type: "exponential", delayMs: 500 },
  });
}

/**
 * Queues the delivery of a channel conversation's undelivered replies (internal). `key` makes the
 * job id (the committed `lastSeq`, or a retry's attempt), so every commit asks once; a delivery
 * job sends everything not yet sent, so extra jobs are cheap no-ops.
 */
export async function enqueueChannelDelivery(
  deps: CoreDeps,
  tenantId: string,
  conversationId: string,
  key: string,
  delayMs = 0,
): Promise<void> {
  await deps.infra.queue.add(
    CHANNEL_DELIVERY_QUEUE,
    { tenantId, conversationId },
    {
      jobId: `chout:${conversationId}:${key}`,
      attempts: 8,
      backoff: { type: "exponential", delayMs: 500 },
      ...(delayMs > 0 ? { delayMs } : {}),
    },
  );
}
