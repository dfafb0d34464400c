import type { CoreDeps } from "../context";
import { nowOf } from "../context";
import { grainAtSql, HOUR_ROWS_KEPT_MS, MINUTE_ROWS_KEPT_MS } from "./cohort-facts";
import { COHORT_TABLE, rollUpConversationFacts } from "./cohort-rollup";
import { compactRows, type RollupTable } from "./compact-rows";
import { COST_TABLE, ROLL_UP_COSTS_SQL } from "./cost-rollup";
import { floorMinute, hasMetricMinutes, METRIC_MINUTES, refreshMetricMinutes } from "./metric-minutes";

/**
 * Events are rolled up only once they are this old. A turn's transaction stamps `created_at` when it
 * starts and may commit up to 30 s later (the transaction timeout): an event becomes visible at most that
 * long after its `created_at`, so the watermark never passes an event that is not committed yet.
 * Queries read the younger events raw (the tail), so this lag does not make figures stale.
 */
export const ROLLUP_SETTLE_MS = 60_000;
export { HOUR_ROWS_KEPT_MS, MINUTE_ROWS_KEPT_MS };
/** Raw events are kept this many days unless the tenant sets `analyticsRetentionDays`. */
export const DEFAULT_RETENTION_DAYS = 400;
/** Most rollup runs per tenant in one maintenance sweep (each takes up to FACTS_BATCH conversations). */
const MAX_RUNS_PER_SWEEP = 20;
/** Most creation time of events one run rolls up (a backlog takes several runs). */
export const EVENTS_WINDOW_MS = 6 * 60 * 60 * 1000;
/** Most raw events one maintenance run deletes per tenant (the next run continues). */
const RETENTION_BATCH = 20_000;

const DIMENSIONS = "tenant_id, grain, bucket, bot_id, flow_version_id, node_id, channel, variant, metric";

/** Which parts of a tenant's rollup to run (all by default); the sweep passes what it found waiting. */
export interface RollupWork {
  /** Events created since the watermark. */
  events: boolean;
  /** Conversations changed since the facts watermark. */
  conversations: boolean;
  /** Deleted conversations whose facts must leave the cohort rollups. */
  deleted: boolean;
  /** Compaction and retention (run at most once per clock hour; see compactionDue). */
  maintenance: boolean;
}

/**
 * Compaction is due when the clock hour changed since the last run (or it never ran): its cutoffs
 * (`date_trunc('hour', t - 2 days)`, `date_trunc('day', t - 90 days)`) only move at whole hours.
 */
export function compactionDue(compactedAt: Date | null, now: Date): boolean {
  const HOUR = 60 * 60 * 1000;
  return compactedAt === null || Math.floor(now.getTime() / HOUR) > Math.floor(compactedAt.getTime() / HOUR);
}

/** What one maintenance run did for one tenant. */
export interface RollupOutcome {
  tenantId: string;
  rolledUntil: Date;
  rows: number;
  /** Conversations whose facts were rolled into the cohort rollups (and deleted ones taken out). */
  conversations: number;
  /** Events created before the settle bound wait past this run's window ({@link EVENTS_WINDOW_MS}): run again. */
  moreEvents: boolean;
  /** The earliest time a run can roll up events created at `rolledUntil` (now, when `moreEvents`). */
  nextRunAt: Date;
  /** More changed conversations wait than one run takes ({@link FACTS_BATCH}): run again. */
  moreConversations: boolean;
  compacted: number;
  expired: number;
}

/**
 * Moves one tenant's events created in `[watermark, now - settle)` into minute rollups and advances the
 * watermark, in one transaction. The state row is locked first (`FOR UPDATE`), so two processes running
 * the job at once serialize and no event is counted twice. Then rolls the facts of up to FACTS_BATCH
 * conversations changed before `now - settle` into the cohort rollups (see cohort-facts.ts; `moreConversations`
 * says to run again), compacts old minute rows into hours and
 * old hours into days (rows move, grains never overlap) and deletes raw events past the tenant's
 * retention that are already rolled up.
 */
export async function rollUpTenant(
  deps: CoreDeps,
  tenantId: string,
  work: Partial<RollupWork> = {},
  options: { metricMinutes?: boolean } = {},
): Promise<RollupOutcome> {
  const now = nowOf(deps);
  const metricMinutes = options.metricMinutes ?? (await hasMetricMinutes(deps));
  const until = settledBefore(now, metricMinutes);
  const system = deps.db.system;
  // With TimescaleDB's aggregate, the window about to be read is materialized first (outside the
  // transaction, as TimescaleDB requires); the transaction then reads no further than what was refreshed.
  let refreshedTo: Date | null = null;
  if (metricMinutes && work.events !== false) {
    const [state] = await system.$queryRawUnsafe<{ rolled_until: Date }[]>(
      "SELECT rolled_until FROM analytics_rollup_state WHERE tenant_id = $1",
      tenantId,
    );
    const from = floorMinute(state ? new Date(state.rolled_until) : new Date(0));
    refreshedTo = await eventWindowEnd(system, tenantId, from, until);
    await refreshMetricMinutes(deps, from, refreshedTo);
  }
  return system.$transaction(
    async (tx) => {
      // Creates the state row or locks it (ON CONFLICT DO UPDATE takes the row lock), in one statement.
      const [state] = await tx.$queryRawUnsafe<
        { rolled_until: Date; facts_until: Date | null; facts_after_id: string; compacted_at: Date | null }[]
      >(
        `INSERT INTO analytics_rollup_state (tenant_id, rolled_until, updated_at)
         VALUES ($1, '1970-01-01T00:00:00Z', now())
         ON CONFLICT (tenant_id) DO UPDATE SET tenant_id = excluded.tenant_id
         RETURNING rolled_until, facts_until, facts_after_id, compacted_at`,
        tenantId,
      );
      const from = state ? new Date(state.rolled_until) : new Date(0);
      let rows = 0;
      // A backlog (the first run after an upgrade or a bulk import) is rolled EVENTS_WINDOW_MS of
      // creation time per run, from its first event, so each run stays short (`moreEvents`: run again).
      // With the aggregate, the window was found before its refresh: the watermark only moves forward
      // and a later start gives a window ending no earlier, so the refreshed end is this run's end.
      const to =
        refreshedTo ??
        (from < until && work.events !== false ? await eventWindowEnd(tx, tenantId, from, until) : until);
      // The aggregate holds whole minutes: read from it when the watermark is on a minute (always, once
      // a first run from the raw events has aligned it), from the raw events otherwise.
      const source = metricMinutes && from.getTime() % 60_000 === 0 ? MINUTE_SOURCE : RAW_SOURCE;
      if (from < to && work.events !== false) {
        // One statement: the event metrics, the LLM cost rollups and the watermark.
        const [counted] = await tx.$queryRawUnsafe<{ rows: bigint }[]>(
          `WITH metrics AS (
             INSERT INTO analytics_rollups (${DIMENSIONS}, value)
             SELECT m.tenant_id, g.grain, date_trunc(g.grain, m.${source.occurred}, 'UTC'), m.bot_id,
                    m.flow_version_id, m.node_id, m.channel, m.variant, m.metric, sum(m.value)
             FROM ${source.relation} m
             -- At the grain compaction would have moved it to by now (a backlog rolled after the last
             -- compaction, e.g. an import, does not sit in minute rows for up to an hour).
             CROSS JOIN LATERAL (SELECT ${grainAtSql(`m.${source.occurred}`, "$4::timestamptz")} AS grain) g
             WHERE m.tenant_id = $1 AND m.${source.created} >= $2::timestamptz
               AND m.${source.created} < $3::timestamptz
             GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
             ON CONFLICT (${DIMENSIONS}) DO UPDATE SET value = analytics_rollups.value + excluded.value
             RETURNING 1
           ),
           costs AS (${ROLL_UP_COSTS_SQL} RETURNING 1),
           state AS (
             UPDATE analytics_rollup_state SET rolled_until = $3::timestamptz, updated_at = now()
             WHERE tenant_id = $1 RETURNING 1
           )
           SELECT (SELECT count(*) FROM metrics) + (SELECT count(*) FROM costs) + (SELECT count(*) FROM state) - 1
             AS rows`,
          tenantId,
          from,
          to,
          state?.compacted_at ?? null,
        );
        rows = Number(counted?.rows ?? 0);
      }
      const rolledUntil = from < to && work.events !== false ? to : from;
      const lastCompactedAt = state?.compacted_at ? new Date(state.compacted_at) : null;
      const facts =
        work.conversations === false && work.deleted === false
          ? { conversations: 0, deleted: 0, more: false }
          : await rollUpConversationFacts(
              tx,
              tenantId,
              {
                until: state?.facts_until ? new Date(state.facts_until) : null,
                afterId: state?.facts_after_id ?? "",
              },
              until,
              { compactedAt: lastCompactedAt, ...(work.deleted === false ? { deleted: false } : {}) },
            );
      // Compaction runs in the same transaction as every facts update and records when it ran: queries
      // derive from compacted_at which grain holds a start time (see grainAtSql), and new rows go in at
      // that grain. Its cutoffs move by whole hours, so it runs (with the retention) once the hour of the
      // last run has passed, not every sweep. Rows never move back to a finer grain, so a clock behind the
      // last run (another process, a skewed host) compacts as of it.
      let compacted = 0;
      let expired = 0;
      if (work.maintenance !== false && compactionDue(lastCompactedAt, now)) {
        const compactedAt = new Date(Math.max(now.getTime(), lastCompactedAt?.getTime() ?? 0));
        const hourCutoff = new Date(compactedAt.getTime() - MINUTE_ROWS_KEPT_MS);
        const dayCutoff = new Date(compactedAt.getTime() - HOUR_ROWS_KEPT_MS);
        for (const table of [METRIC_TABLE, COHORT_TABLE, COST_TABLE]) {
          compacted +=
            (await compactRows(tx, table, tenantId, "minute", "hour", hourCutoff)) +
            (await compactRows(tx, table, tenantId, "hour", "day", dayCutoff));
        }
        await tx.$executeRawUnsafe(
          "UPDATE analytics_rollup_state SET compacted_at = $2::timestamptz WHERE tenant_id = $1",
          tenantId,
          compactedAt,
        );
        expired = await expireRawEvents(tx, tenantId, now, rolledUntil);
      }
      return {
        tenantId,
        rolledUntil,
        moreEvents: rolledUntil < until,
        nextRunAt: rolledUntil < until ? now : nextRunAfter(rolledUntil, metricMinutes),
        rows,
        conversations: facts.conversations + facts.deleted,
        moreConversations: facts.more,
        compacted,
        expired,
      };
    },
    { maxWait: 10_000, timeout: 120_000 },
  );
}

type Tx = Parameters<Parameters<CoreDeps["db"]["system"]["$transaction"]>[0]>[0];

/** Where the sweep sums event metrics from: the raw events' metric view, or TimescaleDB's minutes. */
const RAW_SOURCE = { relation: "analytics_event_metrics", created: "created_at", occurred: "occurred_at" };
const MINUTE_SOURCE = { relation: METRIC_MINUTES, created: "created_minute", occurred: "occurred_minute" };

/**
 * Events created before this are settled (committed or never to be): `now` less the settle time, on a
 * whole minute when the sweep reads TimescaleDB's per-minute aggregate.
 */
function settledBefore(now: Date, metricMinutes: boolean): Date {
  const settled = new Date(now.getTime() - ROLLUP_SETTLE_MS);
  return metricMinutes ? floorMinute(settled) : settled;
}

/**
 * When {@link settledBefore} passes `rolledUntil`, so a run can roll up the events created at it: the
 * settle time after it, and with whole minutes the minute after that.
 */
function nextRunAfter(rolledUntil: Date, metricMinutes: boolean): Date {
  return new Date(rolledUntil.getTime() + ROLLUP_SETTLE_MS + (metricMinutes ? 60_000 : 0));
}

/**
 * The end of one run's event window from `from`: `until`, or for a backlog (the first run after an
 * upgrade or a bulk import) EVENTS_WINDOW_MS of creation time from its first event, so each run stays
 * short (`moreEvents`: run again). Whole minutes when `until` is on one.
 */
async function eventWindowEnd(
  client: Pick<Tx, "$queryRawUnsafe">,
  tenantId: string,
  from: Date,
  until: Date,
): Promise<Date> {
  if (until.getTime() - from.getTime() <= EVENTS_WINDOW_MS) return until;
  const [first] = await client.$queryRawUnsafe<{ first: Date | null }[]>(
    `SELECT min(created_at) AS first FROM analytics_events
     WHERE tenant_id = $1 AND created_at >= $2::timestamptz AND created_at < $3::timestamptz`,
    tenantId,
    from,
    until,
  );
  const start = first?.first ? new Date(first.first).getTime() : until.getTime();
  const end = new Date(Math.min(until.getTime(), start + EVENTS_WINDOW_MS));
  return until.getTime() % 60_000 === 0 ? floorMinute(end) : end;
}

/** analytics_rollups for compaction (see compactRows). */
const METRIC_TABLE: RollupTable = {
  name: "analytics_rollups",
  keys: ["bot_id", "flow_version_id", "node_id", "channel", "variant", "metric"],
  sums: ["value"],
};

/** Deletes raw events older than the tenant's retention that the rollups already hold. */
async function expireRawEvents(tx: Tx, tenantId: string, now: Date, rolledUntil: Date): Promise<number> {
  const [tenant] = await tx.$queryRawUnsafe<{ days: unknown }[]>(
    "SELECT settings->>'analyticsRetentionDays' AS days FROM tenants WHERE id = $1",
    tenantId,
  );
  const days = Number(tenant?.days ?? DEFAULT_RETENTION_DAYS);
  const retention = Number.isFinite(days) && days > 0 ? days : DEFAULT_RETENTION_DAYS;
  const cutoff = new Date(now.getTime() - retention * 24 * 60 * 60 * 1000);
  return tx.$executeRawUnsafe(
    `DELETE FROM analytics_events WHERE id IN (
       SELECT id FROM analytics_events
       WHERE tenant_id = $1 AND occurred_at < $2::timestamptz AND created_at < $3::timestamptz
       LIMIT ${RETENTION_BATCH})`,
    tenantId,
    cutoff,
    rolledUntil,
  );
}

/**
 * One statement finding what waits per tenant, so a sweep costs one query when nothing happened and skips
 * idle tenants: events created since the watermark, conversations changed since the facts watermark (both
 * before `$1`, the settle bound), deleted conversations' facts, due compaction (the clock hour `$2` passed
 * the last one). `$3`: only these tenants (null: all). Each check is one index probe.
 */
const WORK_SQL = `
  SELECT t.id AS tenant_id,
    EXISTS (SELECT 1 FROM analytics_events e WHERE e.tenant_id = t.id
      AND e.created_at >= coalesce(s.rolled_until, 'epoch') AND e.created_at < $1::timestamptz) AS events,
    EXISTS (SELECT 1 FROM conversations c WHERE c.tenant_id = t.id
      AND (c.updated_at, c.id) > (coalesce(s.facts_until, 'epoch'), coalesce(s.facts_after_id, ''))
      AND c.updated_at < $1::timestamptz) AS conversations,
    EXISTS (SELECT 1 FROM analytics_conversation_facts f WHERE f.tenant_id = t.id
      AND f.deleted_at IS NOT NULL) AS deleted,
    (s.compacted_at IS NULL OR date_trunc('hour', s.compacted_at) < date_trunc('hour', $2::timestamptz))
      AS maintenance
  FROM tenants t LEFT JOIN analytics_rollup_state s ON s.tenant_id = t.id
  WHERE $3::text[] IS NULL OR t.id = ANY($3::text[])`;

/**
 * The analytics maintenance sweep (rollups, compaction, retention; see {@link rollUpTenant}): one query
 * finds the tenants with something waiting, and only those run, each only the parts that wait. Safe to
 * run from several processes at once; the runtime runs it every few seconds (embedded mode included), a
 * failing tenant is skipped until the next run. `tenantIds` limits it to some tenants (e.g. those of a
 * batch of events a relay just delivered).
 *
 * @example
 * setInterval(() => void runAnalyticsMaintenance(deps).catch(log), 10_000).unref();
 */
export async function runAnalyticsMaintenance(
  deps: CoreDeps,
  options: { tenantIds?: readonly string[] } = {},
): Promise<{ tenants: number; rows: number; failed: number }> {
  const now = nowOf(deps);
  const metricMinutes = await hasMetricMinutes(deps);
  const waiting = await deps.db.system.$queryRawUnsafe<
    { tenant_id: string; events: boolean; conversations: boolean; deleted: boolean; maintenance: boolean }[]
  >(WORK_SQL, settledBefore(now, metricMinutes), now, options.tenantIds ?? null);
  let rows = 0;
  let failed = 0;
  let tenants = 0;
  for (const work of waiting) {
    if (!(work.events || work.conversations || work.deleted || work.maintenance)) continue;
    tenants += 1;
    try {
      // A backlog of changed conversations (a bulk import, the first run after an upgrade) is worked off
      // in batches, a few per sweep, so one sweep stays short.
      for (let run = 0; run < MAX_RUNS_PER_SWEEP; run++) {
        const outcome = await rollUpTenant(
          deps,
          work.tenant_id,
          run === 0 ? work : { events: true, conversations: true, deleted: false, maintenance: false },
          { metricMinutes },
        );
        rows += outcome.rows;
        if (!outcome.moreConversations && !outcome.moreEvents) break;
      }
    } catch (error) {
      failed += 1;
      deps.logger?.warn({ tenantId: work.tenant_id, error: String(error) }, "analytics rollup failed");
    }
  }
  return { tenants, rows, failed };
}
