-- AlterTable
ALTER TABLE "analytics_rollup_state" ADD COLUMN     "compacted_at" TIMESTAMPTZ(3),
ADD COLUMN     "facts_after_id" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "facts_until" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "analytics_cohort_rollups" (
    "tenant_id" TEXT NOT NULL,
    "grain" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "bot_id" TEXT NOT NULL,
    "flow_version_id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "variant" TEXT NOT NULL DEFAULT '',
    "conversations" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "completed" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "contained" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "handoffs" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "active" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "waiting" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "messages" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "turns" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "csat_sum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "csat_count" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "duration_sum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "duration_count" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "analytics_cohort_rollups_pkey" PRIMARY KEY ("tenant_id","grain","bucket","bot_id","flow_version_id","channel","variant")
);

-- CreateTable
CREATE TABLE "analytics_conversation_facts" (
    "conversation_id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "bot_id" TEXT NOT NULL,
    "flow_version_id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "variant" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "handoff" BOOLEAN NOT NULL,
    "completed" BOOLEAN NOT NULL,
    "messages" INTEGER NOT NULL,
    "turns" INTEGER NOT NULL,
    "csat" INTEGER,
    "duration" DOUBLE PRECISION,
    "path" TEXT[],
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "analytics_conversation_facts_pkey" PRIMARY KEY ("conversation_id")
);

-- CreateIndex
CREATE INDEX "analytics_cohort_rollups_tenant_id_bot_id_bucket_idx" ON "analytics_cohort_rollups"("tenant_id", "bot_id", "bucket");

-- CreateIndex
CREATE INDEX "analytics_conversation_facts_tenant_id_started_at_idx" ON "analytics_conversation_facts"("tenant_id", "started_at");

-- CreateIndex
CREATE INDEX "analytics_conversation_facts_tenant_id_deleted_at_idx" ON "analytics_conversation_facts"("tenant_id", "deleted_at");

-- CreateIndex
CREATE INDEX "conversations_tenant_id_updated_at_id_idx" ON "conversations"("tenant_id", "updated_at", "id");

-- AddForeignKey
ALTER TABLE "analytics_cohort_rollups" ADD CONSTRAINT "analytics_cohort_rollups_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "analytics_conversation_facts" ADD CONSTRAINT "analytics_conversation_facts_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written: a conversation's analytics facts as they are now, one row per conversation, the same columns
-- as analytics_conversation_facts. The rollup job stores them (and rolls the difference to the stored ones
-- into analytics_cohort_rollups); queries read them for the conversations not rolled up yet. `completed`:
-- the conversation.ended event says it ended at an end node. `path`: the node lists of its turn events in
-- order, consecutive repeats collapsed (a resumed turn starts at the node it waited at; a retry is the
-- same visit), as core's pathOf. security_invoker: the caller's row-level security applies.
CREATE VIEW analytics_conversation_current WITH (security_invoker = true) AS
SELECT
  c.id AS conversation_id,
  c.tenant_id,
  c.started_at,
  c.bot_id,
  c.flow_version_id,
  c.channel::text AS channel,
  coalesce(c.experiment_variant, '') AS variant,
  c.status::text AS status,
  c.handoff_at IS NOT NULL AS handoff,
  EXISTS (
    SELECT 1 FROM analytics_events e
    WHERE e.conversation_id = c.id AND e.type = 'conversation.ended' AND (e.properties->>'completed') = 'true'
  ) AS completed,
  c.last_seq AS messages,
  c.turn_count AS turns,
  c.csat_score::int AS csat,
  extract(epoch FROM c.ended_at - c.started_at)::float8 AS duration,
  p.path,
  c.updated_at,
  c.last_activity_at
FROM conversations c
CROSS JOIN LATERAL (
  SELECT coalesce(array_agg(s.node ORDER BY s.i) FILTER (WHERE s.prev IS DISTINCT FROM s.node), '{}') AS path
  FROM (
    SELECT n.node,
           row_number() OVER w AS i,
           lag(n.node) OVER w AS prev
    FROM analytics_events e
    CROSS JOIN LATERAL jsonb_array_elements_text(
      CASE WHEN jsonb_typeof(e.properties->'nodes') = 'array' THEN e.properties->'nodes' ELSE '[]'::jsonb END
    ) WITH ORDINALITY AS n(node, ord)
    WHERE e.conversation_id = c.id AND e.type = 'turn'
    WINDOW w AS (ORDER BY e.occurred_at, e.id, n.ord)
  ) s
) p;

GRANT SELECT ON analytics_conversation_current TO parley_app;

-- Hand-written: every change of a conversation moves updated_at forward, also a raw UPDATE that does not set
-- it, so the analytics rollup (which reads conversations changed since its watermark) never misses one.
CREATE OR REPLACE FUNCTION parley_touch_conversation_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := greatest(NEW.updated_at, now());
  RETURN NEW;
END $$;
CREATE TRIGGER conversations_touch_updated_at BEFORE UPDATE ON conversations
  FOR EACH ROW EXECUTE FUNCTION parley_touch_conversation_updated_at();

-- Hand-written: a deleted conversation's stored facts are marked, so the rollup takes them out of the cohort.
CREATE OR REPLACE FUNCTION parley_mark_conversation_facts_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE analytics_conversation_facts SET deleted_at = now() WHERE conversation_id = OLD.id;
  RETURN OLD;
END $$;
CREATE TRIGGER conversations_mark_facts_deleted AFTER DELETE ON conversations
  FOR EACH ROW EXECUTE FUNCTION parley_mark_conversation_facts_deleted();

SELECT parley_secure_tenant_tables();
