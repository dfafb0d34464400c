import type { BotModelStatus, ModelUse } from "@parley/contract";
import { RouteNotFoundError, resolveRoute, type TenantModelConfig } from "@parley/models";
import { loadBot } from "../bots/bots";
import { authorize, type ServiceContext, tenantDb } from "../context";
import { notFound } from "../errors";
import { OFFLINE_PROVIDER } from "./model-checks";
import { modelParts } from "./model-services";

/** A node that calls a model, read from a flow document's raw JSON (a draft may not parse yet). */
interface ModelNode {
  nodeId: string;
  title: string;
  kind: string;
  requested: string;
}

/** The llm, knowledge and LLM-classified intent nodes of a flow document, with the route each asks for. */
function modelNodesOf(document: unknown): ModelNode[] {
  if (!document || typeof document !== "object") return [];
  const doc = document as { nodes?: unknown; settings?: { defaultModelRoute?: unknown } };
  const flowDefault =
    typeof doc.settings?.defaultModelRoute === "string" ? doc.settings.defaultModelRoute : "default";
  if (!Array.isArray(doc.nodes)) return [];
  const found: ModelNode[] = [];
  for (const raw of doc.nodes) {
    const node = raw as { id?: unknown; kind?: unknown; label?: unknown; data?: Record<string, unknown> };
    const kind = String(node.kind);
    const callsModel =
      kind === "llm" || kind === "knowledge" || (kind === "intent" && node.data?.classifier === "llm");
    if (!callsModel) continue;
    const route = node.data?.modelRoute;
    found.push({
      nodeId: String(node.id),
      title: typeof node.label === "string" && node.label.trim() ? node.label : String(node.id),
      kind,
      requested: typeof route === "string" && route.trim() ? route : flowDefault,
    });
  }
  return found;
}

/** The route a call asking for `requested` uses, as the orchestrator picks it (an unknown name falls back to the default route). */
function routeFor(config: TenantModelConfig, requested: string, botId: string) {
  for (const name of [requested, "default"]) {
    try {
      return resolveRoute(config, name, botId);
    } catch (error) {
      if (!(error instanceof RouteNotFoundError)) throw error;
    }
  }
  return undefined;
}

/** Whether a provider name is served by a real model: configured, enabled and not of the offline kind. */
function isRealProvider(config: TenantModelConfig, name: string): boolean {
  if (name === OFFLINE_PROVIDER) return false;
  const provider = config.providers.find((candidate) => candidate.name === name);
  return provider?.enabled === true && provider.kind !== "offline";
}

/**
 * Whether bot `botId` would answer real visitors with the offline model: the model-calling nodes of
 * one flow's draft (`flowId`: what publishing would ship) or of the bot's published flows, the routes
 * they resolve to through the bot's and the workspace's routing, and which of those only the offline
 * provider can serve (no real provider configured, or every real one disabled). Needs `bots:read`.
 *
 * @example
 * const status = await botModelStatus(ctx, botId, { flowId });
 * if (status.offlineOnly) warn("visitors would get the offline model's canned answers");
 */
export async function botModelStatus(
  ctx: ServiceContext,
  botId: string,
  options: { flowId?: string } = {},
): Promise<BotModelStatus> {
  authorize(ctx, "bots:read");
  await loadBot(ctx, botId);
  const db = tenantDb(ctx);
  const documents: unknown[] = [];
  if (options.flowId) {
    const flow = await db.flow.findFirst({ where: { id: options.flowId, botId }, select: { draft: true } });
    if (!flow) throw notFound("flow", options.flowId);
    documents.push(flow.draft);
  } else {
    const flows = await db.flow.findMany({
      where: { botId, archivedAt: null, publishedVersionId: { not: null } },
      select: { publishedVersion: { select: { document: true } } },
    });
    for (const flow of flows) documents.push(flow.publishedVersion?.document);
  }
  const nodes = documents.flatMap(modelNodesOf);
  if (nodes.length === 0) return { usesModels: false, offlineOnly: false, uses: [] };
  const config = await modelParts(ctx.deps).orchestrator.configFor(ctx.tenantId);
  const byRequested = new Map<string, ModelNode[]>();
  for (const node of nodes)
    byRequested.set(node.requested, [...(byRequested.get(node.requested) ?? []), node]);
  const uses: ModelUse[] = [...byRequested].map(([requested, users]) => {
    const route = routeFor(config, requested, botId);
    const providers = route ? [...new Set(route.policy.targets.map((target) => target.provider))] : [];
    return {
      requested,
      route: route?.name ?? null,
      providers,
      offlineOnly: !providers.some((provider) => isRealProvider(config, provider)),
      nodes: users.map(({ nodeId, title, kind }) => ({ nodeId, title, kind })),
    };
  });
  return { usesModels: true, offlineOnly: uses.some((use) => use.offlineOnly), uses };
}
