import type { TenantModelConfig } from "../config/tenant-model-config";
import { RouteNotFoundError } from "../errors";
import type { RoutePolicy } from "./route-policy";

/** The route a call uses, and why. */
export interface ResolvedRoute {
  name: string;
  policy: RoutePolicy;
  /** Providers to try first (the bot's list, else the tenant's). */
  preferredProviders: string[];
}

/**
 * Resolves the route a node asked for: `default` (or nothing) means the bot's default route, then
 * the tenant's; any other name goes through the bot's overrides first.
 */
export function resolveRoute(
  config: TenantModelConfig,
  requested: string | undefined,
  botId?: string,
): ResolvedRoute {
  const bot = botId ? config.bots[botId] : undefined;
  const name =
    requested === undefined || requested === "default"
      ? (bot?.defaultRoute ?? config.defaultRoute ?? "default")
      : (bot?.routeOverrides[requested] ?? requested);
  const policy = config.routes[name];
  if (!policy) throw new RouteNotFoundError(name, Object.keys(config.routes));
  return { name, policy, preferredProviders: bot?.preferredProviders ?? config.preferredProviders };
}
