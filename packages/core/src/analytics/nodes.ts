import { type NodeAnalytics, type NodeAnalyticsQuery, nodeAnalyticsQuerySchema } from "@parley/contract";
import { authorize, type ServiceContext, tenantDb } from "../context";
import { notFound, parseInput } from "../errors";
import { isUuid } from "../internal/ids";
import { cohortGroups, cohortPathCounts } from "./cohort-read";
import { abandonmentTimeoutOf, rate, resolveRange } from "./range";
import { inAnalyticsSnapshot } from "./rollup-state";
import { type FlowEdgeRef, funnelOfCounts } from "./turn-path";

interface VersionDocument {
  nodes?: { id: string; kind: string }[];
  edges?: FlowEdgeRef[];
}

/** The version asked for (a number or an id), or the flow's latest published version. */
async function versionOf(ctx: ServiceContext, flowId: string, version: string | undefined) {
  const db = tenantDb(ctx);
  const select = { id: true, version: true, document: true } as const;
  if (version === undefined) {
    return db.flowVersion.findFirst({
      where: { flowId, status: "published" },
      orderBy: { version: "desc" },
      select,
    });
  }
  if (/^\d+$/.test(version))
    return db.flowVersion.findFirst({ where: { flowId, version: Number(version) }, select });
  return isUuid(version) ? db.flowVersion.findFirst({ where: { flowId, id: version }, select }) : null;
}

/**
 * Drop-off per node of a flow version for the conversations started in `[from, to)`: per node how many
 * visits entered it, by which handle they left, and how many conversations rest there now (`waiting`)
 * or stopped there and went quiet for the bot's abandonment timeout (`dropped`); per edge the share of
 * its source's visits that took it. entered = sum(exits) + waiting + dropped for every node (see
 * nodeFunnel). Needs `analytics:read`.
 * @throws ServiceError `forbidden`, `flow-not-found`, `flow-version-not-found`, `invalid-input`, `invalid-range`
 */
export async function getFlowNodeAnalytics(
  ctx: ServiceContext,
  flowId: string,
  query: NodeAnalyticsQuery = {},
): Promise<NodeAnalytics> {
  authorize(ctx, "analytics:read");
  const parsed = parseInput(nodeAnalyticsQuerySchema, query, "node analytics query");
  const db = tenantDb(ctx);
  const flow = isUuid(flowId)
    ? await db.flow.findFirst({
        where: { id: flowId },
        select: { id: true, botId: true, bot: { select: { settings: true } } },
      })
    : null;
  if (!flow) throw notFound("flow", flowId);
  const range = resolveRange(ctx, parsed);
  const timeoutMinutes = abandonmentTimeoutOf(flow.bot.settings);
  const version = await versionOf(ctx, flowId, parsed.version);
  if (!version && parsed.version !== undefined) throw notFound("flow-version", parsed.version);
  const base = {
    flowId,
    flowVersionId: version?.id ?? null,
    version: version?.version ?? null,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    abandonmentTimeoutMinutes: timeoutMinutes,
  };
  if (!version) return { ...base, conversations: 0, nodes: [], edges: [] };
  const document = version.document as VersionDocument;
  const [counts, groups] = await inAnalyticsSnapshot(ctx, () =>
    Promise.all([
      cohortPathCounts(ctx, range, { botId: flow.botId, flowVersionId: version.id }, timeoutMinutes),
      cohortGroups(ctx, range, { botId: flow.botId, flowVersionId: version.id }),
    ]),
  );
  const nodes = document.nodes ?? [];
  const edges = document.edges ?? [];
  const funnel = funnelOfCounts(
    counts,
    edges,
    new Set(nodes.filter((node) => node.kind === "end").map((node) => node.id)),
  );
  // Every node of the version in document order, then nodes met only in the paths (a jump target of
  // a subflow, say), so the invariant holds over what is listed.
  const ids = [
    ...nodes.map((node) => node.id),
    ...[...funnel.nodes.keys()].filter((id) => !nodes.some((n) => n.id === id)),
  ];
  const nodeRows = ids.map((nodeId) => {
    const row = funnel.nodes.get(nodeId);
    return {
      nodeId,
      entered: row?.entered ?? 0,
      exits: row?.exits ?? {},
      waiting: row?.waiting ?? 0,
      dropped: row?.dropped ?? 0,
    };
  });
  const enteredOf = new Map(nodeRows.map((row) => [row.nodeId, row.entered]));
  return {
    ...base,
    conversations: groups.reduce((sum, group) => sum + group.conversations, 0),
    nodes: nodeRows,
    edges: edges.map((edge) => {
      const count = funnel.edges.get(edge.id) ?? 0;
      return {
        edgeId: edge.id,
        source: edge.source,
        sourceHandle: edge.sourceHandle ?? "next",
        target: edge.target,
        count,
        share: rate(count, enteredOf.get(edge.source) ?? 0),
      };
    }),
  };
}
