import type { OutboxEvent, OutboxRelay } from "@parley/db";
import { ROLLUP_SETTLE_MS, rollUpTenant } from "../analytics/rollup";
import { type CoreDeps, nowOf } from "../context";
import { WEBHOOK_GROUP, WEBHOOK_TOPICS, webhookDeliveryHandler } from "../webhooks/webhook-consumer";

/** The consumer group of the analytics rollups (analytics.events.v1). */
export const ANALYTICS_ROLLUP_GROUP = "parley.analytics-rollups";

/** The in-process consumers of the event stream that core runs; see {@link subscribeCoreConsumers}. */
export interface CoreStreamConsumers {
  /**
   * Rolls up the tenants whose relayed analytics events have settled (ROLLUP_SETTLE_MS after the
   * first one not rolled up yet). Returns the tenants rolled up. Call it on a timer.
   */
  runDueRollups(): Promise<string[]>;
  /** Tenants with relayed events not rolled up yet (for tests and metrics). */
  pendingTenants(): string[];
}

/**
 * Subscribes core's consumers to the outbox relay, the one path events take in every mode:
 * - analytics rollups (`parley.analytics-rollups` on `analytics.events.v1`): a tenant is rolled up when
 *   the relay brought it events, once they settled, instead of every tenant on every sweep. The rollup
 *   itself stays a watermark job over analytics_events (exact percentiles and the raw tail read by
 *   queries need the rows; rolling up is idempotent), so the handler only notes the tenant; a slow
 *   full sweep (runAnalyticsMaintenance) remains the safety net for compaction, retention and
 *   tenants noted by a process that then died.
 * - tenant webhooks (`parley.webhooks` on the message and conversation topics): each relayed event a
 *   tenant's endpoint subscribes to becomes a delivery, written in the group's transaction (exactly
 *   once per event and endpoint), then queued for the signed, retried POST (see webhook-consumer).
 */
export function subscribeCoreConsumers(
  deps: CoreDeps,
  relay: Pick<OutboxRelay, "subscribe">,
): CoreStreamConsumers {
  // tenant -> when a rollup run can next count its relayed events (the earliest settles), and the latest seen.
  const pending = new Map<string, { due: number; last: number }>();
  relay.subscribe(WEBHOOK_TOPICS, WEBHOOK_GROUP, webhookDeliveryHandler(deps));
  relay.subscribe("analytics.events.v1", ANALYTICS_ROLLUP_GROUP, async (event: OutboxEvent) => {
    const at = event.createdAt.getTime();
    const entry = pending.get(event.tenantId);
    if (entry) {
      entry.due = Math.min(entry.due, at + ROLLUP_SETTLE_MS);
      entry.last = Math.max(entry.last, at);
    } else pending.set(event.tenantId, { due: at + ROLLUP_SETTLE_MS, last: at });
  });
  let running: Promise<string[]> | undefined;
  const runDue = async (): Promise<string[]> => {
    const now = nowOf(deps).getTime();
    const rolled: string[] = [];
    for (const [tenantId, entry] of [...pending]) {
      if (entry.due > now) continue;
      const last = entry.last;
      try {
        const outcome = await rollUpTenant(deps, tenantId);
        rolled.push(tenantId);
        // Events from the new watermark on are not rolled up yet: wait until the rollup can count them
        // (with TimescaleDB's aggregate the watermark moves by whole minutes) and, to roll them in one
        // run, until the latest seen before this run settled.
        const current = pending.get(tenantId);
        if (current && current.last < outcome.rolledUntil.getTime()) pending.delete(tenantId);
        else if (current) current.due = Math.max(outcome.nextRunAt.getTime(), last + ROLLUP_SETTLE_MS);
      } catch (error) {
        deps.logger?.warn({ tenantId, error: String(error) }, "analytics rollup failed; will retry");
      }
    }
    return rolled;
  };
  return {
    runDueRollups() {
      // One run at a time per process; a tick during a run waits for it.
      running ??= runDue().finally(() => {
        running = undefined;
      });
      return running;
    },
    pendingTenants: () => [...pending.keys()],
  };
}
