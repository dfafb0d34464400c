import { nowOf, type ServiceContext, tenantDb } from "../context";
import {
  COHORT_SUMS,
  COHORT_SUMS_SQL,
  edgeRangesSql,
  FACT_COLUMNS,
  grainAtSql,
  NODE_LAST_METRICS,
  NODE_ROWS_SQL,
  NODE_STEP_METRIC,
  nowFactsSql,
  rowCoveredSql,
} from "./cohort-facts";
import { abandonmentTimeoutOf, type DateRange, num, wholeDaysOf } from "./range";
import { readRollupState } from "./rollup-state";
import { addLast, emptyPathCounts, type PathCounts, type PathEnd } from "./turn-path";

/** Which conversations of the cohort to count: a bot's, a flow version's, or the whole workspace's. */
export interface CohortFilter {
  botId?: string | undefined;
  flowVersionId?: string | undefined;
}

/** One group of the cohort: the counts of conversations sharing bot, channel, version and variant. */
export interface CohortGroup {
  botId: string;
  botName: string;
  channel: string;
  flowVersionId: string;
  version: number;
  variant: string;
  conversations: number;
  completed: number;
  contained: number;
  handoffs: number;
  active: number;
  abandoned: number;
  messages: number;
  turns: number;
  csatSum: number;
  csatCount: number;
  durationSum: number;
  durationCount: number;
}

/**
 * The query parameters every cohort query shares: $1 tenant, $2 from, $3 to, $4 bot (or null), $5 flow
 * version (or null), $6/$7 the facts watermark (updated_at, id), $8 when rows were last compacted.
 */
async function cohortParams(ctx: ServiceContext, range: DateRange, filter: CohortFilter) {
  const state = await readRollupState(ctx);
  return [
    ctx.tenantId,
    range.from,
    range.to,
    filter.botId ?? null,
    filter.flowVersionId ?? null,
    state.factsUntil,
    state.factsAfterId,
    state.compactedAt,
  ] as const;
}

const FILTER = (alias: string) =>
  `($4::text IS NULL OR ${alias}.bot_id = $4::text) AND ($5::text IS NULL OR ${alias}.flow_version_id = $5::text)`;
const IN_RANGE = (column: string) => `${column} >= $2::timestamptz AND ${column} < $3::timestamptz`;
const GRAIN_AT = grainAtSql("x.started_at", "$8::timestamptz");

/**
 * `f`: the facts rows (with `sign`) to add to the rolled-up rows that lie wholly in the range, so the sum
 * is every conversation started in the range, as it is now:
 * - stored facts of conversations at the range's edges, whose rollup bucket reaches outside the range
 *   (at most a bucket at each end, so the scan is bounded);
 * - the tail: facts now (+) and stored facts (-) of conversations changed since the watermark, and the
 *   stored facts (-) of deleted conversations the rollup has not taken out yet.
 */
const EDGE_FACTS = edgeRangesSql("interval '1 day'", "interval '1 day'")
  .map(
    ([
      from,
      to,
    ]) => `SELECT 1 AS sign, ${FACT_COLUMNS.replace(/(\w+)/g, "x.$1")} FROM analytics_conversation_facts x
    WHERE x.tenant_id = $1 AND x.started_at >= ${from} AND x.started_at < ${to} AND ${FILTER("x")}
      AND NOT ${rowCoveredSql(GRAIN_AT, `date_trunc(${GRAIN_AT}, x.started_at, 'UTC')`, "$2::timestamptz", "$3::timestamptz")}`,
  )
  .join("\n    UNION ALL\n    ");

const FACTS_CTE = `f AS (
    ${EDGE_FACTS}
    UNION ALL
    SELECT 1, ${FACT_COLUMNS} FROM (${nowFactsSql(
      `v.tenant_id = $1 AND (v.updated_at, v.conversation_id) > ($6::timestamptz, $7::text)
        AND ${IN_RANGE("v.started_at")} AND ${FILTER("v")}`,
    )}) now_facts
    UNION ALL
    SELECT -1, ${FACT_COLUMNS.replace(/(\w+)/g, "x.$1")} FROM analytics_conversation_facts x
    JOIN conversations c ON c.id = x.conversation_id
    WHERE c.tenant_id = $1 AND (c.updated_at, c.id) > ($6::timestamptz, $7::text) AND x.deleted_at IS NULL
      AND ${IN_RANGE("x.started_at")} AND ${FILTER("x")}
    UNION ALL
    SELECT -1, ${FACT_COLUMNS.replace(/(\w+)/g, "x.$1")} FROM analytics_conversation_facts x
    WHERE x.tenant_id = $1 AND x.deleted_at IS NOT NULL AND ${IN_RANGE("x.started_at")} AND ${FILTER("x")}
  )`;

/** A rollup row `r` lies wholly in `[$2, $3)`. */
const ROW_COVERED = rowCoveredSql("r.grain", "r.bucket", "$2::timestamptz", "$3::timestamptz");

/**
 * The cohort (conversations started in the range) counted per bot, channel, flow version and variant:
 * the cohort rollups plus the facts of {@link FACTS_CTE}, so a year answers from a few thousand rows.
 * `abandoned` (waiting and quiet for the bot's abandonment timeout) depends on the clock, so it is the
 * waiting count minus the waiting conversations active within the timeout, a short index range scan
 * (tenant, status, last activity).
 */
export async function cohortGroups(
  ctx: ServiceContext,
  range: DateRange,
  filter: CohortFilter = {},
): Promise<CohortGroup[]> {
  const params = await cohortParams(ctx, range, filter);
  const db = tenantDb(ctx);
  const now = nowOf(ctx.deps);
  const bots = await db.bot.findMany({
    ...(filter.botId ? { where: { id: filter.botId } } : {}),
    select: { settings: true },
  });
  const longest = Math.max(0, ...bots.map((bot) => abandonmentTimeoutOf(bot.settings)));
  const [rows, recent] = await Promise.all([
    db.$queryRawUnsafe<Record<string, unknown>[]>(
      `WITH ${FACTS_CTE},
       parts AS (
         SELECT r.bot_id, r.flow_version_id, r.channel, r.variant, ${COHORT_SUMS.map((c) => `r.${c}`).join(", ")}
         FROM analytics_cohort_rollups r
         WHERE r.tenant_id = $1 AND ${ROW_COVERED} AND ${FILTER("r")}
         UNION ALL
         SELECT f.bot_id, f.flow_version_id, f.channel, f.variant, ${COHORT_SUMS_SQL} FROM f GROUP BY 1, 2, 3, 4
       )
       SELECT p.bot_id, b.name AS bot_name, p.channel, p.flow_version_id, v.version, p.variant,
              ${COHORT_SUMS.map((c) => `sum(p.${c}) AS ${c}`).join(", ")}
       FROM parts p
       JOIN bots b ON b.id = p.bot_id
       JOIN flow_versions v ON v.id = p.flow_version_id
       GROUP BY 1, 2, 3, 4, 5, 6
       HAVING sum(p.conversations) <> 0`,
      ...params,
    ),
    db.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT c.bot_id, c.flow_version_id, c.channel::text AS channel, coalesce(c.experiment_variant, '') AS variant,
              count(*) AS recent
       FROM conversations c
       JOIN bots b ON b.id = c.bot_id
       WHERE c.tenant_id = $1 AND c.status = 'waiting'
         AND c.last_activity_at >= $7::timestamptz
         AND c.last_activity_at >= $6::timestamptz
           - make_interval(mins => coalesce((b.settings->>'abandonmentTimeoutMinutes')::int, 30))
         AND ${IN_RANGE("c.started_at")} AND ${FILTER("c")}
       GROUP BY 1, 2, 3, 4`,
      ctx.tenantId,
      range.from,
      range.to,
      filter.botId ?? null,
      filter.flowVersionId ?? null,
      now,
      // The longest timeout of the bots counted, as a constant: the planner narrows the index range with it.
      new Date(now.getTime() - longest * 60_000),
    ),
  ]);
  const key = (row: Record<string, unknown>) =>
    `${row.bot_id}\u0000${row.flow_version_id}\u0000${row.channel}\u0000${row.variant}`;
  const recentOf = new Map(recent.map((row) => [key(row), num(row.recent)]));
  return rows.map((row) => ({
    botId: String(row.bot_id),
    botName: String(row.bot_name),
    channel: String(row.channel),
    flowVersionId: String(row.flow_version_id),
    version: num(row.version),
    variant: String(row.variant),
    conversations: num(row.conversations),
    completed: num(row.completed),
    contained: num(row.contained),
    handoffs: num(row.handoffs),
    active: num(row.active),
    abandoned: num(row.waiting) - (recentOf.get(key(row)) ?? 0),
    messages: num(row.messages),
    turns: num(row.turns),
    csatSum: num(row.csat_sum),
    csatCount: num(row.csat_count),
    durationSum: num(row.duration_sum),
    durationCount: num(row.duration_count),
  }));
}

/**
 * The paths of a flow version's cohort as {@link PathCounts}: node steps and path ends from
 * - analytics_path_rollups for the whole UTC days of the range (one row per day and node: a year is a few
 *   thousand rows, where the minute and hour node rows of analytics_rollups were tens of thousands);
 * - the node rows of analytics_rollups lying wholly in the partial days at either end (at most a day of
 *   minute or hour rows each, read as two index ranges);
 * - {@link FACTS_CTE}: the conversations whose rollup row reaches outside the range, and the tail.
 * A conversation's rollup row lies within its start day, so each conversation is in exactly one part.
 * `recentOpen` from the waiting conversations active within `timeoutMinutes` (a short index range scan;
 * their paths are read from their facts now).
 */
export async function cohortPathCounts(
  ctx: ServiceContext,
  range: DateRange,
  filter: { botId: string; flowVersionId: string },
  timeoutMinutes: number,
): Promise<PathCounts> {
  const params = await cohortParams(ctx, range, filter);
  const db = tenantDb(ctx);
  const metrics = [NODE_STEP_METRIC, ...NODE_LAST_METRICS];
  const days = wholeDaysOf(range);
  // $10/$11: the whole days. The partial days are [$2, $10) and [$11, $3), each one index range.
  const nodeRows = (from: string, to: string) => `SELECT r.node_id, r.metric, r.value FROM analytics_rollups r
         WHERE r.tenant_id = $1 AND r.bot_id = $4::text AND r.metric = ANY($9::text[])
           AND r.flow_version_id = $5::text AND r.bucket >= ${from} AND r.bucket < ${to} AND ${ROW_COVERED}`;
  const [rows, recent] = await Promise.all([
    db.$queryRawUnsafe<{ node_id: string; metric: string; value: unknown }[]>(
      `WITH ${FACTS_CTE},
       parts AS (
         SELECT p.node_id, p.metric, p.value FROM analytics_path_rollups p
         WHERE p.tenant_id = $1 AND p.bot_id = $4::text AND p.flow_version_id = $5::text
           AND p.day >= $10::timestamptz AND p.day < $11::timestamptz
         UNION ALL
         ${nodeRows("$2::timestamptz", "$10::timestamptz")}
         UNION ALL
         ${nodeRows("$11::timestamptz", "$3::timestamptz")}
         UNION ALL
         SELECT n.node_id, n.metric, f.sign FROM f ${NODE_ROWS_SQL}
       )
       SELECT node_id, metric, sum(value) AS value FROM parts GROUP BY 1, 2 HAVING sum(value) <> 0`,
      ...params,
      metrics,
      days.from,
      days.to,
    ),
    // Open means waiting for input: the statuses besides ended and handoff (see pathEndOf).
    db.$queryRawUnsafe<{ node_id: string; recent: unknown }[]>(
      `SELECT t.path[cardinality(t.path)] AS node_id, count(*) AS recent
       FROM (${nowFactsSql(`v.conversation_id IN (
         SELECT c.id FROM conversations c
         WHERE c.tenant_id = $1 AND c.status = 'waiting'
           AND c.last_activity_at >= $4::timestamptz
           AND c.flow_version_id = $5::text AND ${IN_RANGE("c.started_at")})`)}) t
       WHERE cardinality(t.path) > 0
       GROUP BY 1`,
      ctx.tenantId,
      range.from,
      range.to,
      new Date(nowOf(ctx.deps).getTime() - timeoutMinutes * 60_000),
      filter.flowVersionId,
    ),
  ]);
  const counts = emptyPathCounts();
  for (const row of rows) {
    const value = num(row.value);
    if (row.metric === NODE_STEP_METRIC) counts.steps.set(row.node_id, value);
    else addLast(counts, row.node_id, row.metric.slice("cohort.last.".length) as PathEnd, value);
  }
  for (const row of recent) counts.recentOpen.set(row.node_id, num(row.recent));
  return counts;
}
