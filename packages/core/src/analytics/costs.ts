import { type CostRow, type Costs, type CostsQuery, costsQuerySchema } from "@parley/contract";
import { authorize, type ServiceContext, tenantDb } from "../context";
import { parseInput } from "../errors";
import { loadBot, num, rate, resolveRange } from "./range";

const KEY_SQL = {
  provider: "e.properties->>'provider'",
  model: "e.properties->>'model'",
  route: "e.properties->>'route'",
  bot: "e.bot_id",
} as const;

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

function rowOf(row: Record<string, unknown>): CostRow {
  const calls = num(row.calls);
  const latency = (value: unknown) => (value === null || value === undefined ? null : round(num(value), 1));
  return {
    key: row.key === null || row.key === undefined ? "none" : String(row.key),
    calls,
    spendUsd: round(num(row.spend), 6),
    inputTokens: num(row.input_tokens),
    outputTokens: num(row.output_tokens),
    cacheHitRate: rate(num(row.cache_hits), calls),
    fallbackRate: rate(num(row.fallbacks), calls),
    failureRate: rate(num(row.failures), calls),
    p50LatencyMs: latency(row.p50),
    p95LatencyMs: latency(row.p95),
  };
}

/**
 * LLM spend, tokens, cache hit rate, fallback rate, failure rate and p50/p95 latency of the model calls
 * made in `[from, to)`, per provider, model, route or bot (and in total), with each budget's burn.
 * Reads the raw `llm.call` events (percentiles need them). Needs `analytics:read`.
 * @throws ServiceError `forbidden`, `bot-not-found`, `invalid-input`, `invalid-range`
 */
export async function getLlmCosts(ctx: ServiceContext, query: CostsQuery = {}): Promise<Costs> {
  authorize(ctx, "analytics:read");
  const parsed = parseInput(costsQuerySchema, query, "costs query");
  if (parsed.botId) await loadBot(ctx, parsed.botId);
  const range = resolveRange(ctx, parsed);
  const db = tenantDb(ctx);
  const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT ${KEY_SQL[parsed.groupBy]} AS key, grouping(${KEY_SQL[parsed.groupBy]}) AS is_total,
            count(*) AS calls,
            sum(coalesce((e.properties->>'costUsd')::float8, 0)) AS spend,
            sum(coalesce((e.properties->>'inputTokens')::float8, 0)) AS input_tokens,
            sum(coalesce((e.properties->>'outputTokens')::float8, 0)) AS output_tokens,
            count(*) FILTER (WHERE e.properties->>'cacheHit' = 'true') AS cache_hits,
            count(*) FILTER (WHERE coalesce((e.properties->>'fallbackPosition')::int, 0) > 0) AS fallbacks,
            count(*) FILTER (WHERE coalesce(e.properties->>'outcome', 'ok') <> 'ok') AS failures,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY (e.properties->>'latencyMs')::float8) AS p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY (e.properties->>'latencyMs')::float8) AS p95
     FROM analytics_events e
     WHERE e.tenant_id = $1 AND e.type = 'llm.call'
       AND e.occurred_at >= $2::timestamptz AND e.occurred_at < $3::timestamptz
       AND ($4::text IS NULL OR e.bot_id = $4::text)
     GROUP BY GROUPING SETS ((${KEY_SQL[parsed.groupBy]}), ())`,
    ctx.tenantId,
    range.from,
    range.to,
    parsed.botId ?? null,
  );
  const total = rows.find((row) => num(row.is_total) === 1);
  const groups = rows
    .filter((row) => num(row.is_total) !== 1)
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
    total: total ? { ...rowOf(total), key: "total" } : rowOf({ key: "total", calls: 0 }),
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
