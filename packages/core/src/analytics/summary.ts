import {
  type AnalyticsBreakdownRow,
  type AnalyticsRangeQuery,
  type AnalyticsSummary,
  analyticsRangeQuerySchema,
  type WorkspaceAnalyticsSummary,
} from "@parley/contract";
import { authorize, type ServiceContext } from "../context";
import { parseInput } from "../errors";
import { type CohortGroup, cohortGroups } from "./cohort-read";
import { costGroups } from "./costs";
import { type DateRange, loadBot, rate, resolveRange } from "./range";
import { inAnalyticsSnapshot } from "./rollup-state";

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

/** The LLM spend of the range (exact: the cost rollups' numeric sums plus the calls not rolled up). */
async function llmSpend(ctx: ServiceContext, range: DateRange, botId?: string): Promise<number> {
  return (await costGroups(ctx, range, "bot", botId)).total.spend;
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
  const [groups, llmCost] = await inAnalyticsSnapshot(ctx, () =>
    Promise.all([cohortGroups(ctx, range, { botId }), llmSpend(ctx, range, botId)]),
  );
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
  const [groups, llmCost] = await inAnalyticsSnapshot(ctx, () =>
    Promise.all([cohortGroups(ctx, range), llmSpend(ctx, range)]),
  );
  return {
    ...summaryOf(groups, range, llmCost),
    byBot: breakdown(
      groups,
      (g) => g.botId,
      (g) => g.botName,
    ),
  };
}
