import type { Database } from "@parley/db";
import type { AnalyticsEventInput, AnalyticsSink } from "../accounting/call-record";

/**
 * An {@link AnalyticsSink} that inserts straight into analytics_events (one createMany per tenant).
 * The runtime may wrap it in its batching writer; this one writes on every call.
 */
export function databaseAnalyticsSink(db: Pick<Database, "forTenant">): AnalyticsSink {
  return {
    async emit(events) {
      const byTenant = new Map<string, AnalyticsEventInput[]>();
      for (const event of events)
        byTenant.set(event.tenantId, [...(byTenant.get(event.tenantId) ?? []), event]);
      for (const [tenantId, batch] of byTenant) {
        await db.forTenant(tenantId).analyticsEvent.createMany({
          data: batch.map((event) => ({
            tenantId,
            type: event.type,
            botId: event.botId ?? null,
            conversationId: event.conversationId ?? null,
            properties: JSON.parse(JSON.stringify(event.properties)),
            occurredAt: event.occurredAt,
          })),
        });
      }
    },
  };
}
