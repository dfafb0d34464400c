/**
 * Per-conversation facts, counted by when the conversation started (its cohort).
 *
 * A conversation's facts (status, handoff, completed, messages, turns, CSAT, duration, the path of nodes it
 * visited) change after it started, so they cannot be summed once like events. The rollup job keeps, per
 * conversation, the facts it last counted (analytics_conversation_facts) and rolls the difference between
 * the facts now (the analytics_conversation_current view) and those into analytics_cohort_rollups (one
 * wide row per start minute, bot, flow version, channel and variant) and into analytics_rollups (node
 * steps and path ends per start minute and flow version). Queries add the conversations changed since
 * (the tail) the same way, so every figure is exact and fresh. The SQL below is shared by both.
 */

/** The columns a facts row has, in the view (facts now) and in the table (facts counted). */
export const FACT_COLUMNS =
  "conversation_id, tenant_id, started_at, bot_id, flow_version_id, channel, variant, status, handoff, " +
  "completed, messages, turns, csat, duration, path";

/**
 * The facts of the conversations matching `where` (over the view, aliased `v`) as they are now, merged with
 * the facts counted before: events are append-only except for erasure (GDPR erase detaches them from the
 * conversation) and retention, so a path never shrinks and a completed conversation stays completed.
 */
export function nowFactsSql(where: string): string {
  return `SELECT v.conversation_id, v.tenant_id, v.started_at, v.bot_id, v.flow_version_id, v.channel, v.variant,
      v.status, v.handoff, v.completed OR coalesce(s.completed, false) AS completed, v.messages, v.turns, v.csat,
      v.duration, CASE WHEN cardinality(s.path) > cardinality(v.path) THEN s.path ELSE v.path END AS path
    FROM analytics_conversation_current v
    LEFT JOIN analytics_conversation_facts s ON s.conversation_id = v.conversation_id AND s.deleted_at IS NULL
    WHERE ${where}`;
}

/** The summed columns of analytics_cohort_rollups, in order. */
export const COHORT_SUMS = [
  "conversations",
  "completed",
  "contained",
  "handoffs",
  "active",
  "waiting",
  "messages",
  "turns",
  "csat_sum",
  "csat_count",
  "duration_sum",
  "duration_count",
] as const;

/** A cohort column summed over the rows of a facts relation `f`, each weighted by `f.sign` (+1 or -1). */
const SUM_OF: Record<(typeof COHORT_SUMS)[number], string> = {
  conversations: "sum(f.sign)",
  completed: "sum(f.sign * f.completed::int)",
  contained: "sum(f.sign * (f.status = 'ended' AND NOT f.handoff)::int)",
  handoffs: "sum(f.sign * f.handoff::int)",
  active: "sum(f.sign * (f.status <> 'ended')::int)",
  waiting: "sum(f.sign * (f.status = 'waiting')::int)",
  messages: "sum(f.sign * f.messages)",
  turns: "sum(f.sign * f.turns)",
  csat_sum: "sum(f.sign * coalesce(f.csat, 0))",
  csat_count: "sum(f.sign * (f.csat IS NOT NULL)::int)",
  duration_sum: "sum(f.sign * coalesce(f.duration, 0))",
  duration_count: "sum(f.sign * (f.duration IS NOT NULL)::int)",
};

/** `sum(...) AS column` for every cohort column, over a facts relation aliased `f` with a `sign` column. */
export const COHORT_SUMS_SQL = COHORT_SUMS.map((column) => `${SUM_OF[column]} AS ${column}`).join(", ");

/** True for a group of a facts relation `f` (with `sign`) whose sums are not all zero (something changed). */
export const COHORT_CHANGED_SQL = COHORT_SUMS.map((column) => `${SUM_OF[column]} <> 0`).join(" OR ");

/** The node metrics of analytics_rollups that hold cohort paths. */
export const NODE_STEP_METRIC = "cohort.step";
export const NODE_LAST_METRICS = ["cohort.last.ended", "cohort.last.handoff", "cohort.last.open"] as const;

/**
 * `CROSS JOIN LATERAL` turning a facts row `f` into node rows `(node_id, metric)`: one `cohort.step` per
 * pair of consecutive nodes of its path (node_id = source, U+001F, target) and one `cohort.last.<end>` for
 * the node its path ends at (ended, handoff, or open: waiting for input).
 */
export const NODE_ROWS_SQL = `CROSS JOIN LATERAL (
    SELECT f.path[i] || chr(31) || f.path[i + 1] AS node_id, '${NODE_STEP_METRIC}' AS metric
    FROM generate_subscripts(f.path, 1) AS i WHERE i < cardinality(f.path)
    UNION ALL
    SELECT f.path[cardinality(f.path)],
           'cohort.last.' || CASE WHEN f.status IN ('ended', 'handoff') THEN f.status ELSE 'open' END
    WHERE cardinality(f.path) > 0
  ) n`;

/** Minute rows older than this are compacted into hour rows (analytics_rollups and the cohort rollups). */
export const MINUTE_ROWS_KEPT_MS = 2 * 24 * 60 * 60 * 1000;
/** Hour rows older than this are compacted into day rows. */
export const HOUR_ROWS_KEPT_MS = 90 * 24 * 60 * 60 * 1000;

/**
 * The bucket of a rollup row with grain `grain` wholly lies in `[$from, $to)` (so the row can be summed
 * as is). `from`/`to` are SQL expressions.
 */
export function rowCoveredSql(grain: string, bucket: string, from: string, to: string): string {
  return `(${bucket} >= ${from} AND ${bucket} < ${to} AND ${bucket} + CASE ${grain} WHEN 'minute' THEN interval '1 minute'
    WHEN 'hour' THEN interval '1 hour' ELSE interval '1 day' END <= ${to})`;
}

/**
 * The two edges of the range `[$2, $3)` as `[from, to)` SQL pairs: `[$2, $2 + head)` and `[$3 - tail, $3)`,
 * the second starting where the first ends when they overlap, so a row is in at most one. Written as plain
 * ranges of parameters (not `a OR b`), each edge is one index range scan: an `OR` makes Postgres read the
 * whole range's index entries and filter them (26 s for a year of 10M events).
 *
 * @example
 * edgeRangesSql("interval '1 day'", "interval '1 day'")
 * // [["$2::timestamptz", "(SELECT LEAST($3::timestamptz, $2::timestamptz + interval '1 day'))"], [...]]
 */
export function edgeRangesSql(head: string, tail: string): [[string, string], [string, string]] {
  const headEnd = `LEAST($3::timestamptz, $2::timestamptz + ${head})`;
  // Scalar subqueries: Postgres computes them once, before the scan, and bounds the index range with the
  // value; the same expressions inline were left to a filter over the whole range.
  return [
    ["$2::timestamptz", `(SELECT ${headEnd})`],
    [`(SELECT GREATEST(${headEnd}, $3::timestamptz - ${tail}))`, "$3::timestamptz"],
  ];
}

/**
 * The grain of the rollup row that holds a conversation started at `startedAt`, given when the rows were
 * last compacted (`compactedAt`, null before any compaction): compaction moves whole older buckets, and it
 * runs in the same transaction as every facts update, so all rows of one start time have one grain.
 */
export function grainAtSql(startedAt: string, compactedAt: string): string {
  return `(CASE
    WHEN ${startedAt} < date_trunc('day', ${compactedAt} - interval '${HOUR_ROWS_KEPT_MS / 1000} seconds', 'UTC')
      THEN 'day'
    WHEN ${startedAt} < date_trunc('hour', ${compactedAt} - interval '${MINUTE_ROWS_KEPT_MS / 1000} seconds', 'UTC')
      THEN 'hour'
    ELSE 'minute' END)`;
}
