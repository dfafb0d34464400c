-- CreateTable
CREATE TABLE "analytics_rollups" (
    "tenant_id" TEXT NOT NULL,
    "grain" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "bot_id" TEXT NOT NULL DEFAULT '',
    "flow_version_id" TEXT NOT NULL DEFAULT '',
    "node_id" TEXT NOT NULL DEFAULT '',
    "channel" TEXT NOT NULL DEFAULT '',
    "variant" TEXT NOT NULL DEFAULT '',
    "metric" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "analytics_rollups_pkey" PRIMARY KEY ("tenant_id","grain","bucket","bot_id","flow_version_id","node_id","channel","variant","metric")
);

-- CreateTable
CREATE TABLE "analytics_rollup_state" (
    "tenant_id" TEXT NOT NULL,
    "rolled_until" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "analytics_rollup_state_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateIndex
CREATE INDEX "analytics_rollups_tenant_id_bot_id_metric_bucket_idx" ON "analytics_rollups"("tenant_id", "bot_id", "metric", "bucket");

-- AddForeignKey
ALTER TABLE "analytics_rollups" ADD CONSTRAINT "analytics_rollups_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "analytics_rollup_state" ADD CONSTRAINT "analytics_rollup_state_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written: the metrics every analytics event counts for, one row per (event, metric). The rollup job
-- sums it into analytics_rollups; queries read the rows not rolled up yet (the tail) from it, so both use
-- the same definitions. security_invoker: row-level security of the caller applies to the base tables.
CREATE VIEW analytics_event_metrics WITH (security_invoker = true) AS
SELECT
  e.tenant_id,
  e.created_at,
  e.occurred_at,
  coalesce(e.bot_id, '') AS bot_id,
  coalesce(e.flow_version_id, c.flow_version_id, '') AS flow_version_id,
  m.node_id,
  coalesce(c.channel::text, '') AS channel,
  coalesce(c.experiment_variant, '') AS variant,
  m.metric,
  m.value
FROM analytics_events e
LEFT JOIN conversations c ON c.id = e.conversation_id
CROSS JOIN LATERAL (
  SELECT '' AS node_id, 'conversations' AS metric, 1::float8 AS value WHERE e.type = 'conversation.started'
  UNION ALL SELECT '', 'ended', 1 WHERE e.type = 'conversation.ended'
  UNION ALL SELECT '', 'completed', 1
    WHERE e.type = 'conversation.ended' AND (e.properties->>'completed') = 'true'
  UNION ALL SELECT '', 'handoffs', 1 WHERE e.type = 'handoff.requested'
  UNION ALL SELECT '', 'turns', 1 WHERE e.type = 'turn'
  UNION ALL SELECT '', 'messages', coalesce((e.properties->>'messages')::float8, 0) WHERE e.type = 'turn'
  UNION ALL SELECT n.node_id, 'node.entered', 1
    FROM jsonb_array_elements_text(
      CASE WHEN e.type = 'turn' AND jsonb_typeof(e.properties->'entered') = 'array'
        THEN e.properties->'entered' ELSE '[]'::jsonb END) AS n(node_id)
  UNION ALL SELECT '', 'llmCalls', 1 WHERE e.type = 'llm.call'
  UNION ALL SELECT '', 'llmCost', coalesce((e.properties->>'costUsd')::float8, 0) WHERE e.type = 'llm.call'
  UNION ALL SELECT '', 'llmTokens',
      coalesce((e.properties->>'inputTokens')::float8, 0) + coalesce((e.properties->>'outputTokens')::float8, 0)
    WHERE e.type = 'llm.call'
) m;

GRANT SELECT ON analytics_event_metrics TO parley_app;

SELECT parley_secure_tenant_tables();
