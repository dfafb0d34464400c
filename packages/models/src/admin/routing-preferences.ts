import type { BotRouting, saveBotRoutingSchema, TenantRouting } from "@parley/contract";
import type { Database } from "@parley/db";
import type { z } from "zod";
import {
  botModelSettingsJsonSchema,
  modelsPart,
  tenantModelSettingsSchema,
} from "../persistence/model-settings";

type TenantClient = ReturnType<Database["forTenant"]>;

export {
  type BotRouting,
  type RouteOverride,
  routeOverrideSchema,
  saveBotRoutingSchema,
  saveTenantRoutingSchema,
  type TenantRouting,
} from "@parley/contract";

/** A problem of a routing input, at the dotted path of its field. */
export interface RoutingIssue {
  path: string;
  message: string;
}

/** Names a routing input may use. */
export interface RoutingNames {
  /** Routes a call can reach by name (the workspace's and the environment's). */
  routes: ReadonlySet<string>;
  /** The workspace's own routes (defaults are stored as references to them). */
  workspaceRoutes: ReadonlySet<string>;
  /** Configured providers (the workspace's, the environment's, and `offline`). */
  providers: ReadonlySet<string>;
}

function providerIssues(list: readonly string[] | null, names: RoutingNames): RoutingIssue[] {
  const seen = new Set<string>();
  return (list ?? []).flatMap((name, index) => {
    const path = `preferredProviders.${index}`;
    if (seen.has(name)) return [{ path, message: `"${name}" is listed twice` }];
    seen.add(name);
    return names.providers.has(name) ? [] : [{ path, message: `no provider named "${name}" is configured` }];
  });
}

function defaultRouteIssues(route: string | null, names: RoutingNames): RoutingIssue[] {
  if (route === null || names.workspaceRoutes.has(route)) return [];
  return [
    {
      path: "defaultRoute",
      message: names.routes.has(route)
        ? `"${route}" is built in; choose "workspace default" to use it`
        : `no route named "${route}" exists`,
    },
  ];
}

/** Every problem of the workspace's routing preferences (empty when they can be saved). */
export function tenantRoutingIssues(input: TenantRouting, names: RoutingNames): RoutingIssue[] {
  return [
    ...defaultRouteIssues(input.defaultRoute, names),
    ...providerIssues(input.preferredProviders, names),
  ];
}

/** Every problem of a bot's routing choices (empty when they can be saved). */
export function botRoutingIssues(
  input: z.infer<typeof saveBotRoutingSchema>,
  names: RoutingNames,
): RoutingIssue[] {
  const issues = [...defaultRouteIssues(input.defaultRoute, names)];
  const requested = new Set<string>();
  input.routeOverrides.forEach((override, index) => {
    const path = `routeOverrides.${index}`;
    if (override.requested === "default")
      // resolveRoute never maps `default` through the overrides: the bot's default route does that.
      issues.push({
        path: `${path}.requested`,
        message: 'set the bot\'s default route instead of overriding "default"',
      });
    else if (requested.has(override.requested))
      issues.push({ path: `${path}.requested`, message: `"${override.requested}" is overridden twice` });
    requested.add(override.requested);
    if (!names.routes.has(override.route))
      issues.push({ path: `${path}.route`, message: `no route named "${override.route}" exists` });
    else if (override.route === override.requested)
      issues.push({ path: `${path}.route`, message: "a route cannot be overridden by itself" });
  });
  return [...issues, ...providerIssues(input.preferredProviders, names)];
}

/** `settings` (a tenant's or a bot's JSON) with its `models` part changed by `change`. */
function withModelsPart(settings: unknown, change: (models: Record<string, unknown>) => void) {
  const current =
    settings && typeof settings === "object" && !Array.isArray(settings)
      ? (settings as Record<string, unknown>)
      : {};
  const models =
    current.models && typeof current.models === "object" && !Array.isArray(current.models)
      ? { ...(current.models as Record<string, unknown>) }
      : {};
  change(models);
  return JSON.parse(JSON.stringify({ ...current, models }));
}

/** The workspace's routing preferences as stored (default route flag, `settings.models`). */
export async function readTenantRouting(client: TenantClient, tenantId: string): Promise<TenantRouting> {
  const [tenant, route] = await Promise.all([
    client.tenant.findFirst({ where: { id: tenantId }, select: { settings: true } }),
    client.modelRoute.findFirst({ where: { isDefault: true }, select: { name: true } }),
  ]);
  return {
    defaultRoute: route?.name ?? null,
    preferredProviders: modelsPart(tenant?.settings, tenantModelSettingsSchema).preferredProviders,
  };
}

/** Routing choices of the tenant's bots (`botId` given: that bot's only), overrides sorted by name. */
export async function readBotRoutings(client: TenantClient, botId?: string): Promise<BotRouting[]> {
  const bots = await client.bot.findMany({
    where: { archivedAt: null, ...(botId ? { id: botId } : {}) },
    select: { id: true, settings: true, defaultModelRoute: { select: { name: true } } },
    orderBy: { createdAt: "asc" },
  });
  return bots.map((bot) => {
    const part = modelsPart(bot.settings, botModelSettingsJsonSchema);
    return {
      botId: bot.id,
      defaultRoute: bot.defaultModelRoute?.name ?? null,
      routeOverrides: Object.entries(part.routeOverrides)
        .map(([requested, route]) => ({ requested, route }))
        .sort((a, b) => a.requested.localeCompare(b.requested)),
      preferredProviders: part.preferredProviders ?? null,
    };
  });
}

/** Stores the workspace's routing preferences (one default route at most). */
export async function writeTenantRouting(
  client: TenantClient,
  tenantId: string,
  routing: TenantRouting,
): Promise<void> {
  await client.$transaction(async (tx) => {
    await tx.modelRoute.updateMany({
      where: { isDefault: true, ...(routing.defaultRoute ? { NOT: { name: routing.defaultRoute } } : {}) },
      data: { isDefault: false },
    });
    if (routing.defaultRoute)
      await tx.modelRoute.updateMany({ where: { name: routing.defaultRoute }, data: { isDefault: true } });
    const tenant = await tx.tenant.findFirst({ where: { id: tenantId }, select: { settings: true } });
    await tx.tenant.update({
      where: { id: tenantId },
      data: {
        settings: withModelsPart(tenant?.settings, (models) => {
          models.preferredProviders = routing.preferredProviders;
        }),
      },
    });
  });
}

/** Stores one bot's routing choices; false when the tenant has no such bot. */
export async function writeBotRouting(
  client: TenantClient,
  botId: string,
  routing: z.infer<typeof saveBotRoutingSchema>,
): Promise<boolean> {
  return client.$transaction(async (tx) => {
    const bot = await tx.bot.findFirst({
      where: { id: botId, archivedAt: null },
      select: { settings: true },
    });
    if (!bot) return false;
    const route = routing.defaultRoute
      ? await tx.modelRoute.findFirst({ where: { name: routing.defaultRoute }, select: { id: true } })
      : null;
    await tx.bot.update({
      where: { id: botId },
      data: {
        defaultModelRouteId: route?.id ?? null,
        settings: withModelsPart(bot.settings, (models) => {
          models.routeOverrides = Object.fromEntries(
            routing.routeOverrides.map((override) => [override.requested, override.route]),
          );
          if (routing.preferredProviders === null) delete models.preferredProviders;
          else models.preferredProviders = routing.preferredProviders;
        }),
      },
    });
    return true;
  });
}
