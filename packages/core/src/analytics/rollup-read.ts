import type { AnalyticsMetric } from "@parley/contract";
import { type ServiceContext, tenantDb } from "../context";
import { type DateRange, num } from "./range";
import { type RollupState, readRollupState } from "./rollup-state";

/** What to read: a metric over a range, for one bot or the whole workspace. */
export interface MetricQuery {
  metric: AnalyticsMetric;
  range: DateRange;
  botId?: string;
}

/**
 * The metric's rows in the range as `(bucket, value)`: the rolled-up rows plus the tail (events created
 * at or after the tenant's watermark `$6`, read from the analytics_event_metrics view). Callers read the
 * watermark and the rows in one snapshot (inAnalyticsSnapshot), so an event is counted exactly once
 * whether or not the rollup job moved it meanwhile. Tail rows are bucketed by minute like the rollups.
 */
const ROWS_SQL = `
  WITH rows AS (
    SELECT r.bucket, r.value FROM analytics_rollups r
    WHERE r.tenant_id = $1 AND r.metric = $2 AND r.bucket >= $3::timestamptz AND r.bucket < $4::timestamptz
      AND ($5::text IS NULL OR r.bot_id = $5::text)
    UNION ALL
    SELECT date_trunc('minute', m.occurred_at) AS bucket, m.value FROM analytics_event_metrics m
    WHERE m.tenant_id = $1 AND m.metric = $2 AND m.created_at >= $6::timestamptz
      AND m.occurred_at >= $3::timestamptz AND m.occurred_at < $4::timestamptz
      AND ($5::text IS NULL OR m.bot_id = $5::text)
  )`;

/** The sum of a metric over the range (rollups plus tail). */
export async function sumMetric(
  ctx: ServiceContext,
  query: MetricQuery,
  state?: RollupState,
): Promise<number> {
  const { rolledUntil } = state ?? (await readRollupState(ctx));
  const rows = await tenantDb(ctx).$queryRawUnsafe<{ total: unknown }[]>(
    `${ROWS_SQL} SELECT sum(value) AS total FROM rows`,
    ctx.tenantId,
    query.metric,
    query.range.from,
    query.range.to,
    query.botId ?? null,
    rolledUntil,
  );
  return num(rows[0]?.total);
}

/** The metric summed per `interval` bucket over the range, oldest first (empty buckets omitted). */
export async function metricSeries(
  ctx: ServiceContext,
  query: MetricQuery & { interval: "minute" | "hour" | "day" },
): Promise<{ t: Date; value: number }[]> {
  const { rolledUntil } = await readRollupState(ctx);
  const rows = await tenantDb(ctx).$queryRawUnsafe<{ t: Date; value: unknown }[]>(
    `${ROWS_SQL} SELECT date_trunc($7::text, bucket, 'UTC') AS t, sum(value) AS value FROM rows GROUP BY 1 ORDER BY 1`,
    ctx.tenantId,
    query.metric,
    query.range.from,
    query.range.to,
    query.botId ?? null,
    rolledUntil,
    query.interval,
  );
  return rows.map((row) => ({ t: new Date(row.t), value: num(row.value) }));
}
