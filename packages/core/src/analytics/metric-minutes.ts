import type { CoreDeps } from "../context";
import { EVENT_STORE } from "./timescale-event-store";

/**
 * With TimescaleDB, the sweep reads event metrics pre-summed per minute from a continuous aggregate
 * instead of summing the raw events: TimescaleDB materializes it incrementally (its refresh policy runs in
 * the background, and the sweep refreshes the window it is about to read, so the figures stay exact).
 *
 * The metric definitions are those of the `analytics_event_metrics` view (migration
 * `analytics_rollups`), over the store (a continuous aggregate must read the hypertable itself); the
 * TimescaleDB test checks that both give the same rollups. Minutes are those of creation (the sweep's
 * watermark) and of occurrence (the rollup's bucket).
 */
export const METRIC_MINUTES = "analytics_event_metric_minutes";

/** The continuous aggregate (materialized only: the sweep refreshes before it reads). */
export const METRIC_MINUTES_SQL = `CREATE MATERIALIZED VIEW IF NOT EXISTS ${METRIC_MINUTES}
WITH (timescaledb.continuous, timescaledb.materialized_only = true) AS
SELECT
  e.tenant_id,
  time_bucket(INTERVAL '1 minute', e.created_at) AS created_minute,
  -- One time_bucket per continuous aggregate: the second minute is computed by hand (immutable).
  to_timestamp(floor(extract(epoch FROM e.occurred_at) / 60)::float8 * 60) AS occurred_minute,
  coalesce(e.bot_id, '') AS bot_id,
  coalesce(e.flow_version_id, c.flow_version_id, '') AS flow_version_id,
  m.node_id,
  coalesce(c.channel::text, '') AS channel,
  coalesce(c.experiment_variant, '') AS variant,
  m.metric,
  sum(m.value) AS value
FROM ${EVENT_STORE} e
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
) m
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
WITH NO DATA`;

/**
 * The background refresh: the last day, up to the last whole minute, every minute (so the sweep's own
 * refresh finds little left to do). Only the system role reads the aggregate.
 */
export const METRIC_MINUTES_POLICY_SQL = [
  `SELECT add_continuous_aggregate_policy('${METRIC_MINUTES}', start_offset => INTERVAL '1 day',
    end_offset => INTERVAL '1 minute', schedule_interval => INTERVAL '1 minute', if_not_exists => true)`,
  `REVOKE ALL ON ${METRIC_MINUTES} FROM parley_app`,
];

/** Whether the sweep reads the continuous aggregate (TimescaleDB enabled it in this database). */
export async function hasMetricMinutes(deps: CoreDeps): Promise<boolean> {
  const [row] = await deps.db.system.$queryRawUnsafe<{ present: boolean }[]>(
    `SELECT to_regclass('${METRIC_MINUTES}') IS NOT NULL AS present`,
  );
  return row?.present === true;
}

/**
 * Materializes `[from, to)` (whole minutes) of the aggregate for every tenant, so a read of that window
 * holds every event created in it. Not inside a transaction (TimescaleDB refuses it there); a window
 * already materialized and not invalidated since costs one catalog lookup.
 */
export async function refreshMetricMinutes(deps: CoreDeps, from: Date, to: Date): Promise<void> {
  if (to <= from) return;
  await deps.db.system.$executeRawUnsafe(
    `CALL refresh_continuous_aggregate('${METRIC_MINUTES}', $1::timestamptz, $2::timestamptz)`,
    from,
    to,
  );
}

/** Minute `date` falls in (UTC; minutes are the same in every time zone this needs). */
export function floorMinute(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 60_000) * 60_000);
}
