import { type CostRow, type Costs, type CostsQuery, costsQuerySchema } from "@parley/contract";
import { authorize, type ServiceContext, tenantDb } from "../context";
import { parseInput } from "../errors";
import { type CostKey, costRowsSql, histogramQuantile } from "./cost-rollup";
import { type DateRange, loadBot, num, rate, resolveRange } from "./range";
import { inAnalyticsSnapshot, readRollupState } from "./rollup-state";

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** One group's sums and latency histogram, as read from the cost rows. */
interface CostGroup {
  key: string;
  calls: number;
  spend: number;
  inputTokens: number;
  outputTokens: number;
  cacheHits: number;
  fallbacks: number;
  failures: number;
  histogram: [number, number, number][];
}

function rowOf(group: CostGroup): CostRow {
  const latency = (p: number) => {
    const value = histogramQuantile(group.histogram, p);
    return value === null ? null : round(value, 1);
  };
  return {
    key: group.key,
    calls: group.calls,
    spendUsd: round(group.spend, 6),
    inputTokens: group.inputTokens,
    outputTokens: group.outputTokens,
    cacheHitRate: rate(group.cacheHits, group.calls),
    fallbackRate: rate(group.fallbacks, group.calls),
    failureRate: rate(group.failures, group.calls),
    p50LatencyMs: latency(0.5),
    p95LatencyMs: latency(0.95),
  };
}

/**
 * The LLM calls of `[range.from, range.to)` (one bot's or all) per `groupBy` key and in total (key
 * `total`), from the cost rollups plus the calls not rolled up (see cost-rollup.ts). Runs its queries in one
 * analytics snapshot unless the caller already opened one.
 */
export async function costGroups(
  ctx: ServiceContext,
  range: DateRange,
  groupBy: CostKey,
  botId?: string,
): Promise<{ total: CostGroup; groups: CostGroup[] }> {
  const state = await readRollupState(ctx);
  const rows = await tenantDb(ctx).$queryRawUnsafe<Record<string, unknown>[]>(
    costRowsSql(groupBy),
    ctx.tenantId,
    range.from,
    range.to,
    botId ?? null,
    state.rolledUntil,
    state.compactedAt,
  );
  const byKey = new Map<string, CostGroup>();
  const total = emptyGroup("total");
  for (const row of rows) {
    const isTotal = num(row.is_total) === 1;
    const key = isTotal ? "total" : row.key === null || row.key === "" ? "none" : String(row.key);
    let group = isTotal ? total : byKey.get(key);
    if (!group) {
      group = emptyGroup(key);
      byKey.set(key, group);
    }
    const calls = num(row.calls);
    group.calls += calls;
    group.spend += num(row.cost_usd);
    group.inputTokens += num(row.input_tokens);
    group.outputTokens += num(row.output_tokens);
    group.cacheHits += num(row.cache_hits);
    group.fallbacks += num(row.fallbacks);
    group.failures += num(row.failures);
    const bucket = num(row.latency_bucket);
    if (bucket >= 0) group.histogram.push([bucket, calls, num(row.latency_ms_sum)]);
  }
  return { total, groups: [...byKey.values()] };
}

function emptyGroup(key: string): CostGroup {
  return {
    key,
    calls: 0,
    spend: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheHits: 0,
    fallbacks: 0,
    failures: 0,
    histogram: [],
  };
}

/**
 * LLM spend, tokens, cache hit rate, fallback rate, failure rate and p50/p95 latency of the model calls
 * made in `[from, to)`, per provider, model, route or bot (and in total), with each budget's burn.
 * Reads the cost rollups (summable: spend is exact, p50/p95 come from their latency histogram, within one
 * bucket of about 9%, exact when a bucket's calls share one latency) plus the calls not rolled up yet. Needs `analytics:read`.
 * @throws ServiceError `forbidden`, `bot-not-found`, `invalid-input`, `invalid-range`
 */
export async function getLlmCosts(ctx: ServiceContext, query: CostsQuery = {}): Promise<Costs> {
  authorize(ctx, "analytics:read");
  const parsed = parseInput(costsQuerySchema, query, "costs query");
  if (parsed.botId) await loadBot(ctx, parsed.botId);
  const range = resolveRange(ctx, parsed);
  const db = tenantDb(ctx);
  const { total: totalGroup, groups: costRows } = await inAnalyticsSnapshot(ctx, () =>
    costGroups(ctx, range, parsed.groupBy, parsed.botId),
  );
  const groups = costRows
    .map(rowOf)
    .sort((a, b) => b.spendUsd - a.spendUsd || b.calls - a.calls || a.key.localeCompare(b.key));
  const budgets = await db.budget.findMany({
    ...(parsed.botId ? { where: { OR: [{ botId: parsed.botId }, { botId: null }] } } : {}),
    orderBy: { createdAt: "asc" },
  });
  return {
    groupBy: parsed.groupBy,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    total: rowOf(totalGroup),
    rows: groups,
    budgets: budgets.map((budget) => {
      const limit = Number(budget.monthlyLimitUsd);
      const spent = Number(budget.spentUsd);
      return {
        budgetId: budget.id,
        botId: budget.botId,
        monthlyLimitUsd: limit,
        spentUsd: round(spent, 6),
        burn: limit > 0 ? round(spent / limit, 4) : 0,
      };
    }),
  };
}
