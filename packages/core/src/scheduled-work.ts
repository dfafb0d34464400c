import type { CoreDeps } from "./context";
import { recoverPendingTimers } from "./conversations/timer-jobs";
import { recoverWebhookDeliveries } from "./webhooks/webhooks";

/**
 * Re-enqueues work that was committed but whose job may never have been added (a crash between
 * commit and enqueue): pending webhook deliveries and wait-node timers. Idempotent (job ids), so
 * every process that owns the job queue may run it periodically.
 *
 * @example
 * setInterval(() => void recoverScheduledWork(deps).catch(log), 60_000).unref();
 */
export async function recoverScheduledWork(deps: CoreDeps): Promise<{ webhooks: number; timers: number }> {
  const webhooks = await recoverWebhookDeliveries(deps);
  const timers = await recoverPendingTimers(deps);
  return { webhooks, timers };
}
