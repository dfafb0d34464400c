import type { TenantClient } from "@parley/db";
import { modelRoutesOf } from "@parley/flow-schema";
import type { ModelAdmin } from "@parley/models";
import { ServiceError } from "../errors";

/** Names of the tenant's (unarchived) bots by id. */
async function botNames(db: TenantClient): Promise<Map<string, string>> {
  const bots = await db.bot.findMany({ where: { archivedAt: null }, select: { id: true, name: true } });
  return new Map(bots.map((bot) => [bot.id, bot.name]));
}

/**
 * Bots whose routing points at route `name`: as their default route, or as the route an override
 * sends a node to. Deleting the route would silently change which model they get; renaming it
 * would break the overrides (they name routes).
 */
export async function botsUsingRoute(
  db: TenantClient,
  admin: ModelAdmin,
  tenantId: string,
  name: string,
): Promise<string[]> {
  const [routing, names] = await Promise.all([admin.listBotRouting(tenantId), botNames(db)]);
  return routing
    .filter(
      (bot) => bot.defaultRoute === name || bot.routeOverrides.some((override) => override.route === name),
    )
    .map((bot) => names.get(bot.botId) ?? bot.botId)
    .sort();
}

/** Who prefers provider `name`: "the workspace" and bots by name. */
export async function preferencesNamingProvider(
  db: TenantClient,
  admin: ModelAdmin,
  tenantId: string,
  name: string,
): Promise<string[]> {
  const [workspace, routing, names] = await Promise.all([
    admin.getTenantRouting(tenantId),
    admin.listBotRouting(tenantId),
    botNames(db),
  ]);
  const bots = routing
    .filter((bot) => bot.preferredProviders?.includes(name))
    .map((bot) => `bot ${names.get(bot.botId) ?? bot.botId}`)
    .sort();
  return [...(workspace.preferredProviders.includes(name) ? ["the workspace"] : []), ...bots];
}

/** A CONFLICT naming who uses a route or provider, with the problem on the form's `name` field when renaming. */
export function inUse(code: string, message: string, renaming: boolean): ServiceError {
  return new ServiceError("conflict", code, message, {
    ...(renaming ? { errors: [{ path: "name", message }] } : {}),
  });
}

/**
 * Route names each bot's flows ask for (llm, knowledge and intent nodes' `modelRoute`, the flows'
 * `defaultModelRoute`), from the drafts and published versions of its unarchived flows: what a
 * route override can map.
 */
export async function routesRequestedByFlows(db: TenantClient): Promise<Map<string, string[]>> {
  const flows = await db.flow.findMany({
    where: { archivedAt: null },
    select: { botId: true, draft: true, publishedVersion: { select: { document: true } } },
  });
  const byBot = new Map<string, Set<string>>();
  for (const flow of flows) {
    const names = byBot.get(flow.botId) ?? new Set<string>();
    for (const name of modelRoutesOf(flow.draft)) names.add(name);
    for (const name of modelRoutesOf(flow.publishedVersion?.document)) names.add(name);
    byBot.set(flow.botId, names);
  }
  return new Map([...byBot].map(([botId, names]) => [botId, [...names].sort()]));
}
