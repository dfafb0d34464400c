import { z } from "zod";
import type { CoreDeps } from "../context";
import { deliverLocally } from "./local-channel-work";

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
 * Asks for the delivery of a channel conversation's undelivered replies (internal): in this process
 * when it serves the channel queues, at once or once a drain is free (see local-channel-work.ts; a
 * failure there queues the job), else as a job. `key` makes the job id (the committed `lastSeq`, or a
 * retry's attempt), so every commit asks once; a delivery sends everything not yet sent, so extra
 * requests are cheap no-ops. A crash before a local delivery ran is repaired by the recovery sweep.
 */
export async function enqueueChannelDelivery(
  deps: CoreDeps,
  tenantId: string,
  conversationId: string,
  key: string,
  delayMs = 0,
): Promise<void> {
  if (
    delayMs === 0 &&
    deliverLocally(deps, { tenantId, conversationId }, (error) => {
      deps.logger?.warn(
        { conversationId, error: String(error) },
        "channel delivery queued after a local failure",
      );
      void queueChannelDelivery(deps, tenantId, conversationId, key, 0).catch((queueError: unknown) =>
        deps.logger?.error(
          { conversationId, error: String(queueError) },
          "channel delivery enqueue failed (the sweep retries)",
        ),
      );
    })
  ) {
    return;
  }
  await queueChannelDelivery(deps, tenantId, conversationId, key, delayMs);
}

/** Queues a delivery job (see {@link enqueueChannelDelivery}) (internal). */
export async function queueChannelDelivery(
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
