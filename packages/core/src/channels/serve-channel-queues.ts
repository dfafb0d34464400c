import type { CoreDeps } from "../context";
import { deliverChannelMessages, deliverDue } from "./delivery";
import { CHANNEL_DELIVERY_QUEUE, CHANNEL_INBOUND_QUEUE } from "./inbound-queue";
import { processChannelInbound } from "./inbound-turn";
import { enableLocalChannelWork } from "./local-channel-work";

/**
 * Makes this process a channel worker: it takes jobs of the `channel-inbound` (turns of stored
 * events, one thread at a time, in order) and `channel-delivery` (ordered, retried replies) queues,
 * `concurrency` of each at a time, and runs the work it causes itself (a webhook's event, a turn's
 * replies) at once in process, up to `localConcurrency` drains (default `concurrency`; the
 * queue's own drains count against it: more turns at once only queue for the database pool, ahead
 * of the webhooks' inserts), queueing the rest (see
 * local-channel-work.ts).
 */
export function serveChannelQueues(
  deps: CoreDeps,
  options: { concurrency: number; localConcurrency?: number },
): void {
  const { concurrency } = options;
  deps.infra.queue.process(CHANNEL_INBOUND_QUEUE, (job) => processChannelInbound(deps, job), { concurrency });
  deps.infra.queue.process(CHANNEL_DELIVERY_QUEUE, (job) => deliverChannelMessages(deps, job), {
    concurrency,
  });
  enableLocalChannelWork(deps, {
    concurrency: options.localConcurrency ?? concurrency,
    deliver: (job, more) => deliverDue(deps, job, more),
  });
}
