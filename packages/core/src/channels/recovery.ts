import type { CoreDeps } from "../context";
import { DELIVERY_FAILED_NODE } from "./delivery";
import { enqueueInboundEvent, queueChannelDelivery } from "./inbound-queue";

/**
 * Re-queues channel work a crash or a process without the queue left behind: inbound events still
 * pending after a minute, and replies not yet delivered (agents' from the studio, and the bot's
 * left by a crash between a turn's commit and its in-process delivery). Job ids make
 * it idempotent; run periodically by the process that owns the queue. Returns how many were queued.
 */
export async function recoverChannelWork(deps: CoreDeps, limit = 200): Promise<number> {
  const stale = new Date((deps.clock?.now() ?? Date.now()) - 60_000);
  const events = await deps.db.system.channelInboundEvent.findMany({
    where: { status: "pending", receivedAt: { lt: stale } },
    orderBy: { receivedAt: "asc" },
    take: limit,
    select: { id: true, tenantId: true, channelConfigId: true, threadId: true },
  });
  for (const event of events) {
    await enqueueInboundEvent(deps, {
      tenantId: event.tenantId,
      channelId: event.channelConfigId,
      threadId: event.threadId,
      eventRowId: event.id,
    });
  }
  // Agent replies (the studio queues nothing) for a day; the bot's replies, which a worker delivers
  // at once in process, for ten minutes after a crash between the commit and the delivery.
  const undelivered = await deps.db.system.$queryRaw<{ tenantId: string; id: string; seq: number }[]>`
    SELECT c.tenant_id AS "tenantId", c.id, max(m.seq) AS seq
    FROM conversations c JOIN messages m ON m.tenant_id = c.tenant_id AND m.conversation_id = c.id
    WHERE c.channel_config_id IS NOT NULL AND c.last_activity_at > now() - interval '1 day'
      AND m.created_at < now() - interval '10 seconds'
      AND (m.author = 'agent' OR (m.author IN ('bot', 'system')
        AND m.created_at > now() - interval '10 minutes'
        AND m.node_id IS DISTINCT FROM ${DELIVERY_FAILED_NODE}))
      AND m.seq > COALESCE((SELECT max(d.seq) FROM channel_deliveries d
        WHERE d.conversation_id = c.id AND d.status IN ('sent', 'failed')), 0)
    GROUP BY c.tenant_id, c.id LIMIT ${limit}`;
  for (const row of undelivered) {
    await queueChannelDelivery(deps, row.tenantId, row.id, `sweep:${row.seq}`);
  }
  return events.length + undelivered.length;
}
