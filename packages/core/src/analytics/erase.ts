import { type ServiceContext, tenantDb } from "../context";

/**
 * Event properties that are counters, ids of the flow or accounting facts, never about the person:
 * everything else (error texts, attempt details, handoff payloads...) is removed by an erase.
 */
export const NON_PERSONAL_EVENT_PROPERTIES: readonly string[] = [
  "channel",
  "turns",
  "completed",
  "latencyMs",
  "status",
  "nodes",
  "entered",
  "messages",
  "requestedRoute",
  "route",
  "provider",
  "providerKind",
  "model",
  "inputTokens",
  "outputTokens",
  "costUsd",
  "priced",
  "timeToFirstTokenMs",
  "cacheHit",
  "fallbackPosition",
  "outcome",
  "budgetDowngraded",
];

/**
 * The GDPR erase hook of analytics: strips every property that could describe the person from the
 * raw events of these conversations and unlinks them (conversation id set to null), keeping the
 * counters so rollups and figures stay right. The caller (the erase use case) authorizes; this only
 * runs in the context's tenant. Returns how many events it changed.
 */
export async function eraseAnalyticsPersonalData(
  ctx: ServiceContext,
  conversationIds: readonly string[],
): Promise<number> {
  if (conversationIds.length === 0) return 0;
  return tenantDb(ctx).$executeRawUnsafe(
    `UPDATE analytics_events
     SET properties = (
           SELECT coalesce(jsonb_object_agg(p.key, p.value), '{}'::jsonb)
           FROM jsonb_each(properties) AS p(key, value) WHERE p.key = ANY($3::text[])),
         conversation_id = NULL
     WHERE tenant_id = $1 AND conversation_id = ANY($2::text[])`,
    ctx.tenantId,
    [...conversationIds],
    [...NON_PERSONAL_EVENT_PROPERTIES],
  );
}
