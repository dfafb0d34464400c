import {
  type AnalyticsBreakdownRow,
  type AnalyticsRangeQuery,
  type AnalyticsSummary,
  analyticsRangeQuerySchema,
  type WorkspaceAnalyticsSummary,
} from "@parley/contract";
import { authorize, nowOf, type ServiceContext, tenantDb } from "../context";
import { parseInput } from "../errors";
import { type DateRange, loadBot, num, rate, resolveRange } from "./range";
import { sumMetric } from "./rollup-read";

/** One group of the cohort query: the counts of conversations sharing bot, channel, version and variant. */
interface CohortGroup {
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
 * The cohort (conversations started in the range) counted per bot, channel, flow version and variant,
 * in one pass over conversations (index tenant_id, bot_id, started_at). `completed` comes from the
 * conversation.ended event (it records whether the last node was an end node); `abandoned` uses each
 * bot's own abandonment timeout.
 */
async function cohortGroups(ctx: ServiceContext, range: DateRange, botId?: string): Promise<CohortGroup[]> {
  const rows = await tenantDb(ctx).$queryRawUnsafe<Record<string, unknown>[]>(
    `WITH completed_ids AS (
       -- One hash semi-join instead of a lookup per conversation: the conversations of the tenant that
       -- ended at an end node (ended after they started, so after \`from\`).
       SELECT DISTINCT e.conversation_id FROM analytics_events e
       WHERE e.tenant_id = $4 AND e.type = 'conversation.ended' AND e.occurred_at >= $1::timestamptz
         AND e.properties->>'completed' = 'true' AND ($5::text IS NULL OR e.bot_id = $5::text)
     )
     SELECT c.bot_id, b.name AS bot_name, c.channel::text AS channel, c.flow_version_id, v.version,
            coalesce(c.experiment_variant, '') AS variant,
            count(*) AS conversations,
            count(done.conversation_id) AS completed,
            count(*) FILTER (WHERE c.status = 'ended' AND c.handoff_at IS NULL) AS contained,
            count(*) FILTER (WHERE c.handoff_at IS NOT NULL) AS handoffs,
            count(*) FILTER (WHERE c.status <> 'ended') AS active,
            count(*) FILTER (WHERE c.status = 'waiting' AND c.last_activity_at < $3::timestamptz
              - make_interval(mins => coalesce((b.settings->>'abandonmentTimeoutMinutes')::int, 30))) AS abandoned,
            sum(c.last_seq) AS messages,
            sum(c.turn_count) AS turns,
            sum(c.csat_score) AS csat_sum,
            count(c.csat_score) AS csat_count,
            sum(extract(epoch FROM c.ended_at - c.started_at)) AS duration_sum,
            count(c.ended_at) AS duration_count
     FROM conversations c
     JOIN bots b ON b.id = c.bot_id
     JOIN flow_versions v ON v.id = c.flow_version_id
     LEFT JOIN completed_ids done ON done.conversation_id = c.id
     WHERE c.tenant_id = $4 AND c.started_at >= $1::timestamptz AND c.started_at < $2::timestamptz
       AND ($5::text IS NULL OR c.bot_id = $5::text)
     GROUP BY 1, 2, 3, 4, 5, 6`,
    range.from,
    range.to,
    nowOf(ctx.deps),
    ctx.tenantId,
    botId ?? null,
  );
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
    abandoned: num(row.abandoned),
    messages: num(row.messages),
    turns: num(row.turns),
    csatSum: num(row.csat_sum),
    csatCount: num(row.csat_count),
    durationSum: num(row.duration_sum),
    durationCount: num(row.duration_count),
  }));
}

type Totals = Omit<CohortGroup, "botId" | "botName" | "channel" | "flowVersionId" | "version" | "variant">;

function add(groups: readonly CohortGroup[]): Totals {
  const totals: Totals = {
    conversations: 0,
    completed: 0,
    contained: 0,
    handoffs: 0,
    active: 0,
    abandoned: 0,
    messages: 0,
    turns: 0,
    csatSum: 0,
    csatCount: 0,
    durationSum: 0,
    durationCount: 0,
  };
  for (const group of groups)
    for (const key of Object.keys(totals) as (keyof Totals)[]) totals[key] += group[key];
  return totals;
}

/** Groups by a key, sorted by conversations (most first), then key. */
function breakdown(
  groups: readonly CohortGroup[],
  keyOf: (group: CohortGroup) => string,
  labelOf?: (group: CohortGroup) => string,
): AnalyticsBreakdownRow[] {
  const byKey = new Map<string, CohortGroup[]>();
  for (const group of groups) byKey.set(keyOf(group), [...(byKey.get(keyOf(group)) ?? []), group]);
  return [...byKey.entries()]
    .map(([key, members]) => {
      const totals = add(members);
      const first = members[0] as CohortGroup;
      return {
        key,
        ...(labelOf ? { label: labelOf(first) } : {}),
        conversations: totals.conversations,
        completed: totals.completed,
        handoffs: totals.handoffs,
        completionRate: rate(totals.completed, totals.conversations),
        containmentRate: rate(totals.contained, totals.conversations),
        handoffRate: rate(totals.handoffs, totals.conversations),
      };
    })
    .sort((a, b) => b.conversations - a.conversations || a.key.localeCompare(b.key));
}

function summaryOf(groups: readonly CohortGroup[], range: DateRange, llmCost: number): AnalyticsSummary {
  const t = add(groups);
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    conversations: t.conversations,
    completed: t.completed,
    contained: t.contained,
    handoffs: t.handoffs,
    active: t.active,
    abandoned: t.abandoned,
    messages: t.messages,
    turns: t.turns,
    avgTurns: t.conversations === 0 ? 0 : Math.round((t.turns / t.conversations) * 100) / 100,
    completionRate: rate(t.completed, t.conversations),
    containmentRate: rate(t.contained, t.conversations),
    handoffRate: rate(t.handoffs, t.conversations),
    csatAverage: t.csatCount === 0 ? null : Math.round((t.csatSum / t.csatCount) * 100) / 100,
    csatResponses: t.csatCount,
    llmCost: Math.round(llmCost * 1_000_000) / 1_000_000,
    avgDurationSeconds:
      t.durationCount === 0 ? null : Math.round((t.durationSum / t.durationCount) * 10) / 10,
    byChannel: breakdown(groups, (g) => g.channel),
    byFlowVersion: breakdown(
      groups,
      (g) => g.flowVersionId,
      (g) => `v${g.version}`,
    ),
    byVariant: breakdown(groups, (g) => g.variant || "none"),
  };
}

/**
 * A bot's analytics over the conversations started in `[from, to)`: volumes, completion (reached an end
 * node), containment (ended without a human), handoffs, CSAT, turns, duration, LLM spend, and the same
 * per channel, flow version and experiment variant. Needs `analytics:read`.
 * @throws ServiceError `forbidden`, `bot-not-found`, `invalid-input`, `invalid-range`
 */
export async function getBotAnalyticsSummary(
  ctx: ServiceContext,
  botId: string,
  query: AnalyticsRangeQuery = {},
): Promise<AnalyticsSummary> {
  authorize(ctx, "analytics:read");
  const parsed = parseInput(analyticsRangeQuerySchema, query, "analytics query");
  await loadBot(ctx, botId);
  const range = resolveRange(ctx, parsed);
  const [groups, llmCost] = await Promise.all([
    cohortGroups(ctx, range, botId),
    sumMetric(ctx, { metric: "llmCost", range, botId }),
  ]);
  return summaryOf(groups, range, llmCost);
}

/**
 * The workspace overview: the summary over every bot, plus a row per bot. Needs `analytics:read`.
 * @throws ServiceError `forbidden`, `invalid-input`, `invalid-range`
 */
export async function getWorkspaceAnalyticsSummary(
  ctx: ServiceContext,
  query: AnalyticsRangeQuery = {},
): Promise<WorkspaceAnalyticsSummary> {
  authorize(ctx, "analytics:read");
  const parsed = parseInput(analyticsRangeQuerySchema, query, "analytics query");
  const range = resolveRange(ctx, parsed);
  const [groups, llmCost] = await Promise.all([
    cohortGroups(ctx, range),
    sumMetric(ctx, { metric: "llmCost", range }),
  ]);
  return {
    ...summaryOf(groups, range, llmCost),
    byBot: breakdown(
      groups,
      (g) => g.botId,
      (g) => g.botName,
    ),
  };
}
