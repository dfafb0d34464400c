import { type IntegrationUsage, integrationUsageQuerySchema } from "@parley/contract";
import type { z } from "zod";
import { authorize, nowOf, type ServiceContext, tenantDb } from "../context";
import { parseInput } from "../errors";
import { loadIntegration } from "./integrations";
import { breakerStateOf } from "./resilience";

/** At most this many recent calls feed the percentiles (the counts are exact). */
const LATENCY_SAMPLE = 20_000;

/** The value at quantile `q` of ascending `sorted` (nearest rank), or null when empty. */
function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? null;
}

/** The http nodes of a flow document that name the integration (by id or name). */
function nodesUsing(document: unknown, integration: { id: string; name: string }): string[] {
  const nodes = (document as { nodes?: { id: string; kind: string; data?: { integrationId?: string } }[] })
    ?.nodes;
  if (!Array.isArray(nodes)) return [];
  return nodes
    .filter(
      (node) =>
        node.kind === "http" &&
        (node.data?.integrationId === integration.id || node.data?.integrationId === integration.name),
    )
    .map((node) => node.id);
}

/**
 * Where an integration is used (flows and http nodes, draft or published) and how it behaves:
 * call volume, error rate and p50/p95 latency over the last `days` days (from `integration.call`
 * analytics events), and its circuit breaker in this process. Needs `integrations:manage`.
 */
export async function integrationUsage(
  ctx: ServiceContext,
  integrationId: string,
  query: z.input<typeof integrationUsageQuerySchema> = {},
): Promise<IntegrationUsage> {
  authorize(ctx, "integrations:manage");
  const { days } = parseInput(integrationUsageQuerySchema, query, "usage query");
  const integration = await loadIntegration(ctx, integrationId);
  const db = tenantDb(ctx);
  const to = nowOf(ctx.deps);
  const from = new Date(to.getTime() - days * 86_400_000);
  const where = {
    type: "integration.call",
    occurredAt: { gte: from, lte: to },
    properties: { path: ["integrationId"], equals: integration.id },
  };
  const [calls, errors, recent, flows] = await Promise.all([
    db.analyticsEvent.count({ where }),
    db.analyticsEvent.count({
      where: { ...where, AND: [{ properties: { path: ["outcome"], equals: "error" } }] },
    }),
    db.analyticsEvent.findMany({
      where,
      select: { properties: true },
      orderBy: { occurredAt: "desc" },
      take: LATENCY_SAMPLE,
    }),
    db.flow.findMany({
      where: { archivedAt: null },
      select: {
        id: true,
        botId: true,
        name: true,
        draft: true,
        publishedVersion: { select: { document: true } },
      },
    }),
  ]);
  const latencies = recent
    .map((row) => Number((row.properties as { durationMs?: unknown }).durationMs))
    .filter((value) => Number.isFinite(value))
    .sort((a, b) => a - b);
  const usedBy = flows.flatMap((flow) => {
    const nodeIds = [
      ...new Set([
        ...nodesUsing(flow.draft, integration),
        ...nodesUsing(flow.publishedVersion?.document, integration),
      ]),
    ];
    return nodeIds.length > 0 ? [{ botId: flow.botId, flowId: flow.id, flowName: flow.name, nodeIds }] : [];
  });
  return {
    integrationId: integration.id,
    from: from.toISOString(),
    to: to.toISOString(),
    calls,
    errors,
    errorRate: calls === 0 ? 0 : Math.round((errors / calls) * 10_000) / 10_000,
    p50Ms: quantile(latencies, 0.5),
    p95Ms: quantile(latencies, 0.95),
    breaker: await breakerStateOf(ctx.deps, ctx.tenantId, integration.id),
    usedBy,
  };
}
