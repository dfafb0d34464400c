/**
 * LLM cost rollups: every `llm.call` event summed per (grain, bucket of the call, bot, provider, model, route,
 * latency bucket) into analytics_cost_rollups (see the migration `analytics_cost_rollups`: the view
 * analytics_llm_calls maps an event to those columns, for the rollup job and for the queries alike).
 *
 * Every column is a sum, so rows merge exactly when minutes are compacted into hours and days: spend is
 * numeric (no float drift), and latency is a histogram dimension (eight buckets per doubling), so p50/p95
 * come from the rollups. Reads add the calls not rolled up yet (the tail) and, at the edges of the range,
 * the calls of rollup rows that reach outside it, so counts, tokens and spend are exact for any range.
 */
import { edgeRangesSql, grainAtSql, rowCoveredSql } from "./cohort-facts";
import type { RollupTable } from "./compact-rows";

/** The dimensions of analytics_cost_rollups, in key order. */
export const COST_DIMENSIONS = "tenant_id, grain, bucket, bot_id, provider, model, route, latency_bucket";

/** The summed columns of analytics_cost_rollups. */
export const COST_SUMS = [
  "calls",
  "input_tokens",
  "output_tokens",
  "cost_usd",
  "cache_hits",
  "fallbacks",
  "failures",
  "latency_ms_sum",
] as const;

/** `sum(...)` of every cost column over rows of analytics_llm_calls aliased `c` (one call each). */
const CALL_SUMS_SQL =
  "count(*), sum(c.input_tokens), sum(c.output_tokens), sum(c.cost_usd), sum(c.cache_hit), sum(c.fallback), sum(c.failure), sum(c.latency_ms)";

const UPSERT_SQL = `ON CONFLICT (${COST_DIMENSIONS}) DO UPDATE SET ${COST_SUMS.map(
  (column) => `${column} = analytics_cost_rollups.${column} + excluded.${column}`,
).join(", ")}`;

/**
 * The INSERT (a CTE-able statement) rolling the calls of tenant `$1` created in `[$2, $3)` into the cost
 * rollups, each at the grain its time has given the last compaction `$4` (null: never compacted), so a late
 * call lands in the row a query expects. The (tenant_id, created_at) index narrows the scan.
 */
export const ROLL_UP_COSTS_SQL = `INSERT INTO analytics_cost_rollups (${COST_DIMENSIONS}, ${COST_SUMS.join(", ")})
  SELECT c.tenant_id, g.grain, date_trunc(g.grain, c.occurred_at, 'UTC'), c.bot_id, c.provider, c.model, c.route,
         c.latency_bucket, ${CALL_SUMS_SQL}
  FROM analytics_llm_calls c
  CROSS JOIN LATERAL (SELECT ${grainAtSql("c.occurred_at", "$4::timestamptz")} AS grain) g
  WHERE c.tenant_id = $1 AND c.created_at >= $2::timestamptz AND c.created_at < $3::timestamptz
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
  ${UPSERT_SQL}`;

/** analytics_cost_rollups for compaction (see compactRows). */
export const COST_TABLE: RollupTable = {
  name: "analytics_cost_rollups",
  keys: ["bot_id", "provider", "model", "route", "latency_bucket"],
  sums: COST_SUMS,
};

/** The length of a bucket of grain `grain` (an SQL expression) as an interval. */
const grainSize = (grain: string) =>
  `(CASE ${grain} WHEN 'minute' THEN interval '1 minute' WHEN 'hour' THEN interval '1 hour' ELSE interval '1 day' END)`;

/** The column a costs breakdown groups by. */
export type CostKey = "provider" | "model" | "route" | "bot";
const KEY_COLUMN: Record<CostKey, string> = {
  provider: "provider",
  model: "model",
  route: "route",
  bot: "bot_id",
};

/**
 * Cost rows of tenant `$1` for calls in `[$2, $3)` (bot `$4` or all), grouped by the key and latency bucket
 * and in total (`is_total` = 1), from three parts: rollup rows wholly inside the range; rolled calls
 * (created before the watermark `$5`) whose rollup row, at the grain given by the last compaction `$6`,
 * reaches outside it (only within one bucket, at the grain there, of either end); and the tail (created at or
 * after `$5`). Each call is in exactly one part. Parameters are bound (not subqueries), so the planner
 * narrows each part with an index range.
 */
export function costRowsSql(groupBy: CostKey): string {
  const key = KEY_COLUMN[groupBy];
  const sums = COST_SUMS.join(", ");
  const callSums =
    "1 AS calls, c.input_tokens, c.output_tokens, c.cost_usd, c.cache_hit AS cache_hits, c.fallback AS fallbacks, " +
    "c.failure AS failures, c.latency_ms AS latency_ms_sum";
  const grain = grainAtSql("c.occurred_at", "$6::timestamptz");
  const edges = edgeRangesSql(
    grainSize(grainAtSql("$2::timestamptz", "$6::timestamptz")),
    grainSize(grainAtSql("($3::timestamptz - interval '1 millisecond')", "$6::timestamptz")),
  );
  return `WITH parts AS (
      SELECT r.${key} AS key, r.latency_bucket, ${sums.replace(/(\w+)/g, "r.$1")}
      FROM analytics_cost_rollups r
      WHERE r.tenant_id = $1 AND r.bucket >= $2::timestamptz AND r.bucket < $3::timestamptz
        AND ${rowCoveredSql("r.grain", "r.bucket", "$2::timestamptz", "$3::timestamptz")}
        AND ($4::text IS NULL OR r.bot_id = $4::text)
      UNION ALL
      ${edges
        .map(
          ([from, to]) => `SELECT c.${key}, c.latency_bucket, ${callSums}
      FROM analytics_llm_calls c
      CROSS JOIN LATERAL (SELECT ${grain} AS grain) g
      WHERE c.tenant_id = $1 AND c.created_at < $5::timestamptz
        AND c.occurred_at >= ${from} AND c.occurred_at < ${to}
        AND NOT ${rowCoveredSql("g.grain", "date_trunc(g.grain, c.occurred_at, 'UTC')", "$2::timestamptz", "$3::timestamptz")}
        AND ($4::text IS NULL OR c.bot_id = $4::text)`,
        )
        .join("\n      UNION ALL\n      ")}
      UNION ALL
      SELECT c.${key}, c.latency_bucket, ${callSums}
      FROM analytics_llm_calls c
      WHERE c.tenant_id = $1 AND c.created_at >= $5::timestamptz
        AND c.occurred_at >= $2::timestamptz AND c.occurred_at < $3::timestamptz
        AND ($4::text IS NULL OR c.bot_id = $4::text)
    )
    SELECT key, grouping(key) AS is_total, latency_bucket, ${COST_SUMS.map(
      (column) => `sum(${column})${column === "cost_usd" ? "::text" : ""} AS ${column}`,
    ).join(", ")}
    FROM parts GROUP BY GROUPING SETS ((key, latency_bucket), (latency_bucket))`;
}

/**
 * The p-quantile (0..1) of a latency histogram, as `percentile_cont` would give over the calls with each
 * latency replaced by the mean latency of its bucket: exact when a bucket's calls share one latency, and
 * never off by more than one bucket (eight per doubling, about 9%). `histogram`: [bucket, calls, latency
 * sum] per bucket, any order; null when it holds no call.
 */
export function histogramQuantile(
  histogram: ReadonlyArray<readonly [number, number, number]>,
  p: number,
): number | null {
  const sorted = histogram.filter(([, calls]) => calls > 0).sort((a, b) => a[0] - b[0]);
  const n = sorted.reduce((sum, [, calls]) => sum + calls, 0);
  if (n === 0) return null;
  const valueAt = (rank: number) => {
    let seen = 0;
    for (const [, calls, latencySum] of sorted) {
      seen += calls;
      if (rank < seen) return latencySum / calls;
    }
    const [, calls, latencySum] = sorted.at(-1)!;
    return latencySum / calls;
  };
  const position = p * (n - 1);
  const low = Math.floor(position);
  const lowValue = valueAt(low);
  return lowValue + (position - low) * (valueAt(Math.ceil(position)) - lowValue);
}
