-- CreateTable
CREATE TABLE "analytics_path_rollups" (
    "tenant_id" TEXT NOT NULL,
    "day" TIMESTAMPTZ(3) NOT NULL,
    "bot_id" TEXT NOT NULL,
    "flow_version_id" TEXT NOT NULL,
    "node_id" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "analytics_path_rollups_pkey" PRIMARY KEY ("tenant_id","bot_id","flow_version_id","day","node_id","metric")
);

-- AddForeignKey
ALTER TABLE "analytics_path_rollups" ADD CONSTRAINT "analytics_path_rollups_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written: the cohort path rows already rolled up (the node rows of analytics_rollups) go into the new
-- table, summed per UTC start day: every rollup bucket (minute, hour or day) lies within one day. Later
-- changes are rolled up by the job into both tables, in one statement.
INSERT INTO analytics_path_rollups (tenant_id, bot_id, flow_version_id, day, node_id, metric, value)
SELECT tenant_id, bot_id, flow_version_id, date_trunc('day', bucket, 'UTC'), node_id, metric, sum(value)
FROM analytics_rollups
WHERE metric IN ('cohort.step', 'cohort.last.ended', 'cohort.last.handoff', 'cohort.last.open')
GROUP BY 1, 2, 3, 4, 5, 6
HAVING sum(value) <> 0;

SELECT parley_secure_tenant_tables();
