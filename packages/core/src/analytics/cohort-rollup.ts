import type { CoreDeps } from "../context";
import {
  COHORT_CHANGED_SQL,
  COHORT_SUMS,
  COHORT_SUMS_SQL,
  FACT_COLUMNS,
  grainAtSql,
  NODE_ROWS_SQL,
  nowFactsSql,
} from "./cohort-facts";
import type { RollupTable } from "./compact-rows";

type Tx = Parameters<Parameters<CoreDeps["db"]["system"]["$transaction"]>[0]>[0];

/** Conversations one rollup run moves into the cohort rollups per tenant (the next run continues). */
export const FACTS_BATCH = 5_000;

const COHORT_DIMENSIONS = "tenant_id, grain, bucket, bot_id, flow_version_id, channel, variant";
const ROLLUP_DIMENSIONS =
  "tenant_id, grain, bucket, bot_id, flow_version_id, node_id, channel, variant, metric";
/** The key of analytics_path_rollups: the node rows again, per UTC start day and never compacted. */
const PATH_DIMENSIONS = "tenant_id, bot_id, flow_version_id, day, node_id, metric";

/**
 * One statement rolling the difference between the facts of `delta` (a relation of facts rows with a `sign`
 * column: +1 for facts now, -1 for facts counted before) into the cohort rollups (per start minute), the
 * node rows of analytics_rollups and the same node rows per start day (analytics_path_rollups, which the
 * drop-off reads for the whole days of a range), ahead of `tail` (the statement's final part, which may use
 * `delta`). Groups whose difference is zero write nothing.
 */
function rollDeltaSql(deltaCte: string, tail: string, compactedAtParam: string): string {
  // Rows go in at the grain their start time has given the last compaction, so a change to an old
  // conversation lands in the row queries expect even when this run does not compact.
  const grain = `CROSS JOIN LATERAL (SELECT ${grainAtSql("f.started_at", `${compactedAtParam}::timestamptz`)} AS grain) g`;
  const sums = COHORT_SUMS.map(
    (column) => `${column} = analytics_cohort_rollups.${column} + excluded.${column}`,
  );
  return `WITH ${deltaCte},
    cohort AS (
      INSERT INTO analytics_cohort_rollups (${COHORT_DIMENSIONS}, ${COHORT_SUMS.join(", ")})
      SELECT f.tenant_id, g.grain, date_trunc(g.grain, f.started_at, 'UTC'), f.bot_id, f.flow_version_id,
             f.channel, f.variant, ${COHORT_SUMS_SQL}
      FROM delta f ${grain} GROUP BY 1, 2, 3, 4, 5, 6, 7
      HAVING ${COHORT_CHANGED_SQL}
      ON CONFLICT (${COHORT_DIMENSIONS}) DO UPDATE SET ${sums.join(", ")}
      RETURNING 1
    ),
    nodes AS (
      INSERT INTO analytics_rollups (${ROLLUP_DIMENSIONS}, value)
      SELECT f.tenant_id, g.grain, date_trunc(g.grain, f.started_at, 'UTC'), f.bot_id, f.flow_version_id,
             n.node_id, '', '', n.metric, sum(f.sign)
      FROM delta f ${grain} ${NODE_ROWS_SQL}
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 HAVING sum(f.sign) <> 0
      ON CONFLICT (${ROLLUP_DIMENSIONS}) DO UPDATE SET value = analytics_rollups.value + excluded.value
      RETURNING 1
    ),
    paths AS (
      INSERT INTO analytics_path_rollups (${PATH_DIMENSIONS}, value)
      SELECT f.tenant_id, f.bot_id, f.flow_version_id, date_trunc('day', f.started_at, 'UTC'), n.node_id, n.metric,
             sum(f.sign)
      FROM delta f ${NODE_ROWS_SQL}
      GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(f.sign) <> 0
      ON CONFLICT (${PATH_DIMENSIONS}) DO UPDATE SET value = analytics_path_rollups.value + excluded.value
      RETURNING 1
    )
    ${tail}`;
}

/**
 * Rolls up to {@link FACTS_BATCH} conversations of a tenant changed at or after the facts watermark and
 * before `until`, oldest change first: their facts now minus the facts counted before go into the rollups,
 * the facts now are stored, and the watermark moves to the last one; then the stored facts of deleted
 * conversations are taken out. Runs inside the rollup transaction, after the state row is locked.
 * Returns how many conversations it rolled and whether more are waiting.
 */
export async function rollUpConversationFacts(
  tx: Tx,
  tenantId: string,
  mark: { until: Date | null; afterId: string },
  until: Date,
  options: { compactedAt: Date | null; deleted?: boolean } = { compactedAt: null },
): Promise<{ conversations: number; deleted: number; more: boolean }> {
  const batch = await tx.$queryRawUnsafe<{ id: string; updated_at: Date }[]>(
    `SELECT id, updated_at FROM conversations
     WHERE tenant_id = $1 AND (updated_at, id) > ($2::timestamptz, $3::text) AND updated_at < $4::timestamptz
     ORDER BY updated_at, id LIMIT ${FACTS_BATCH}`,
    tenantId,
    mark.until ?? new Date(0),
    mark.afterId,
    until,
  );
  if (batch.length > 0) {
    const ids = batch.map((row) => row.id);
    const last = batch.at(-1) as { id: string; updated_at: Date };
    await tx.$queryRawUnsafe(
      rollDeltaSql(
        `now_facts AS MATERIALIZED (
           ${nowFactsSql("v.tenant_id = $1 AND v.conversation_id = ANY($2::text[])")}
         ),
         delta AS (
           SELECT 1 AS sign, ${FACT_COLUMNS} FROM now_facts
           UNION ALL
           SELECT -1, ${FACT_COLUMNS} FROM analytics_conversation_facts
           WHERE tenant_id = $1 AND conversation_id = ANY($2::text[]) AND deleted_at IS NULL
         )`,
        `, stored AS (
           INSERT INTO analytics_conversation_facts (${FACT_COLUMNS})
           SELECT ${FACT_COLUMNS} FROM now_facts
           ON CONFLICT (conversation_id) DO UPDATE SET
             ${FACT_COLUMNS.split(", ")
               .filter((column) => column !== "conversation_id")
               .map((column) => `${column} = excluded.${column}`)
               .join(", ")}
           RETURNING 1
         )
         , state AS (
           UPDATE analytics_rollup_state SET facts_until = $3::timestamptz, facts_after_id = $4
           WHERE tenant_id = $1 RETURNING 1
         )
         SELECT (SELECT count(*) FROM stored) AS stored, (SELECT count(*) FROM cohort) AS cohort,
                (SELECT count(*) FROM nodes) AS nodes, (SELECT count(*) FROM paths) AS paths,
                (SELECT count(*) FROM state) AS state`,
        "$5",
      ),
      tenantId,
      ids,
      new Date(last.updated_at),
      last.id,
      options.compactedAt,
    );
  }
  if (options.deleted === false) {
    return { conversations: batch.length, deleted: 0, more: batch.length === FACTS_BATCH };
  }
  const [gone] = await tx.$queryRawUnsafe<{ deleted: bigint }[]>(
    rollDeltaSql(
      `removed AS (
         DELETE FROM analytics_conversation_facts WHERE conversation_id IN (
           SELECT conversation_id FROM analytics_conversation_facts
           WHERE tenant_id = $1 AND deleted_at IS NOT NULL LIMIT ${FACTS_BATCH})
         RETURNING ${FACT_COLUMNS}
       ),
       delta AS (SELECT -1 AS sign, ${FACT_COLUMNS} FROM removed)`,
      `SELECT (SELECT count(*) FROM removed) AS deleted,
         (SELECT count(*) FROM cohort) + (SELECT count(*) FROM nodes) + (SELECT count(*) FROM paths) AS n`,
      "$2",
    ),
    tenantId,
    options.compactedAt,
  );
  return {
    conversations: batch.length,
    deleted: Number(gone?.deleted ?? 0),
    more: batch.length === FACTS_BATCH,
  };
}

/** analytics_cohort_rollups for compaction (see compactRows). */
export const COHORT_TABLE: RollupTable = {
  name: "analytics_cohort_rollups",
  keys: ["bot_id", "flow_version_id", "channel", "variant"],
  sums: COHORT_SUMS,
};
