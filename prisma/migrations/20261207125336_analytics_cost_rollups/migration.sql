-- CreateTable
CREATE TABLE "analytics_cost_rollups" (
    "tenant_id" TEXT NOT NULL,
    "grain" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "bot_id" TEXT NOT NULL DEFAULT '',
    "provider" TEXT NOT NULL DEFAULT '',
    "model" TEXT NOT NULL DEFAULT '',
    "route" TEXT NOT NULL DEFAULT '',
    "latency_bucket" SMALLINT NOT NULL DEFAULT -1,
    "calls" BIGINT NOT NULL DEFAULT 0,
    "input_tokens" BIGINT NOT NULL DEFAULT 0,
    "output_tokens" BIGINT NOT NULL DEFAULT 0,
    "cost_usd" DECIMAL(20,10) NOT NULL DEFAULT 0,
    "cache_hits" BIGINT NOT NULL DEFAULT 0,
    "fallbacks" BIGINT NOT NULL DEFAULT 0,
    "failures" BIGINT NOT NULL DEFAULT 0,
    "latency_ms_sum" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "analytics_cost_rollups_pkey" PRIMARY KEY ("tenant_id","grain","bucket","bot_id","provider","model","route","latency_bucket")
);

-- CreateIndex
CREATE INDEX "analytics_cost_rollups_tenant_id_bucket_idx" ON "analytics_cost_rollups"("tenant_id", "bucket");

-- DropIndex
DROP INDEX "analytics_events_conversation_id_idx";

-- CreateIndex
CREATE INDEX "analytics_events_conversation_id_type_idx" ON "analytics_events"("conversation_id", "type");

-- CreateIndex
CREATE INDEX "analytics_events_tenant_id_created_at_idx" ON "analytics_events"("tenant_id", "created_at");

-- AddForeignKey
ALTER TABLE "analytics_cost_rollups" ADD CONSTRAINT "analytics_cost_rollups_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written: one row per LLM call with the dimensions and sums of analytics_cost_rollups, shared by the
-- rollup job (which sums it into the table) and the queries (which read the calls not rolled up yet from it).
-- Numbers are read only when they are JSON numbers (a malformed property counts as absent, never fails the
-- rollup). Spend is numeric from the JSON text: sums are exact. latency_bucket = floor(8 * log2(1 + ms)): eight
-- buckets per doubling (each about 9% wide), -1 without a latency. security_invoker: the caller's row-level
-- security applies.
CREATE VIEW analytics_llm_calls WITH (security_invoker = true) AS
SELECT
  e.id,
  e.tenant_id,
  e.created_at,
  e.occurred_at,
  coalesce(e.bot_id, '') AS bot_id,
  coalesce(e.properties->>'provider', '') AS provider,
  coalesce(e.properties->>'model', '') AS model,
  coalesce(e.properties->>'route', '') AS route,
  (CASE WHEN jsonb_typeof(e.properties->'latencyMs') = 'number'
    THEN floor(8 * ln(1 + least(greatest((e.properties->>'latencyMs')::float8, 0), 1e9)) / ln(2))
    ELSE -1 END)::smallint AS latency_bucket,
  CASE WHEN jsonb_typeof(e.properties->'latencyMs') = 'number'
    THEN least(greatest((e.properties->>'latencyMs')::float8, 0), 1e9) ELSE 0 END AS latency_ms,
  (CASE WHEN jsonb_typeof(e.properties->'inputTokens') = 'number'
    THEN round((e.properties->>'inputTokens')::numeric) ELSE 0 END)::bigint AS input_tokens,
  (CASE WHEN jsonb_typeof(e.properties->'outputTokens') = 'number'
    THEN round((e.properties->>'outputTokens')::numeric) ELSE 0 END)::bigint AS output_tokens,
  (CASE WHEN jsonb_typeof(e.properties->'costUsd') = 'number'
    THEN (e.properties->>'costUsd')::numeric ELSE 0 END)::numeric(20, 10) AS cost_usd,
  (CASE WHEN e.properties->>'cacheHit' = 'true' THEN 1 ELSE 0 END) AS cache_hit,
  (CASE WHEN jsonb_typeof(e.properties->'fallbackPosition') = 'number'
    AND (e.properties->>'fallbackPosition')::numeric > 0 THEN 1 ELSE 0 END) AS fallback,
  (coalesce(e.properties->>'outcome', 'ok') <> 'ok')::int AS failure
FROM analytics_events e
WHERE e.type = 'llm.call';

GRANT SELECT ON analytics_llm_calls TO parley_app;

-- Hand-written: the calls already rolled up (created before the tenant's rolled_until) go into the new table,
-- at the grain their time has after the last compaction (see core's grainAtSql: minute rows older than two
-- days are hours, hour rows older than 90 days are days). Later calls are rolled up by the job.
INSERT INTO analytics_cost_rollups (tenant_id, grain, bucket, bot_id, provider, model, route, latency_bucket,
  calls, input_tokens, output_tokens, cost_usd, cache_hits, fallbacks, failures, latency_ms_sum)
SELECT c.tenant_id, g.grain, date_trunc(g.grain, c.occurred_at, 'UTC'), c.bot_id, c.provider, c.model, c.route,
  c.latency_bucket, count(*), sum(c.input_tokens), sum(c.output_tokens), sum(c.cost_usd), sum(c.cache_hit),
  sum(c.fallback), sum(c.failure), sum(c.latency_ms)
FROM analytics_llm_calls c
JOIN analytics_rollup_state s ON s.tenant_id = c.tenant_id
CROSS JOIN LATERAL (SELECT CASE
    WHEN c.occurred_at < date_trunc('day', s.compacted_at - interval '90 days', 'UTC') THEN 'day'
    WHEN c.occurred_at < date_trunc('hour', s.compacted_at - interval '2 days', 'UTC') THEN 'hour'
    ELSE 'minute' END AS grain) g
WHERE c.created_at < s.rolled_until
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

SELECT parley_secure_tenant_tables();
