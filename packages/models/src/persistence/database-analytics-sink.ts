import type { Database } from "@parley/db";
import type { AnalyticsEventInput, AnalyticsSink } from "../accounting/call-record";

/**
 * An {@link AnalyticsSink} that inserts straight into analytics_events: one plain-SQL statement per
 * tenant (the conversation store's `appendAnalytics`; the ORM's createMany cost a model turn more CPU
 * than the rest of the call's handling). The runtime wraps it in its batching writer; this one
 * writes on every call.
 */
export function databaseAnalyticsSink(db: Pick<Database, "conversationStore">): AnalyticsSink {
  return {
    async emit(events) {
      const byTenant = new Map<string, AnalyticsEventInput[]>();
      for (const event of events) {
        const batch = byTenant.get(event.tenantId);
        if (batch) batch.push(event);
        else byTenant.set(event.tenantId, [event]);
      }
      for (const [tenantId, batch] of byTenant) {
        await db.conversationStore(tenantId).appendAnalytics(
          batch.map((event) => ({
            type: event.type,
            botId: event.botId ?? null,
            conversationId: event.conversationId ?? null,
            properties: event.properties,
            occurredAt: event.occurredAt,
          })),
        );
      }
    },
  };
}
