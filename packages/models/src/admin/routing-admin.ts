import type { z } from "zod";
import type { AdminContext } from "./admin-context";
import { ModelAdminError } from "./model-admin-error";
import { listProviders } from "./provider-admin";
import { listRoutes } from "./route-admin";
import {
  type BotRouting,
  botRoutingIssues,
  type RoutingIssue,
  type RoutingNames,
  readBotRoutings,
  readTenantRouting,
  saveBotRoutingSchema,
  saveTenantRoutingSchema,
  type TenantRouting,
  tenantRoutingIssues,
  writeBotRouting,
  writeTenantRouting,
} from "./routing-preferences";

/** Routing preferences of a tenant and its bots, checked against the names in effect (internal to ModelAdmin). */

/**
 * Names routing preferences may use: the workspace's routes and providers, the environment's
 * (through the orchestrator's merged configuration, when there is one), and `offline`.
 */
async function routingNames(admin: AdminContext, tenantId: string): Promise<RoutingNames> {
  const [providers, routes, merged] = await Promise.all([
    listProviders(admin, tenantId),
    listRoutes(admin, tenantId),
    admin.options.orchestrator?.configFor(tenantId),
  ]);
  const workspaceRoutes = new Set(routes.map((route) => route.name));
  return {
    workspaceRoutes,
    routes: new Set([...workspaceRoutes, ...Object.keys(merged?.routes ?? {})]),
    providers: new Set([
      "offline",
      ...providers.map((provider) => provider.name),
      ...(merged?.providers ?? []).map((provider) => provider.name),
    ]),
  };
}

/** The workspace's default route (null: the route named `default`) and preferred providers. */
export function getTenantRouting(admin: AdminContext, tenantId: string): Promise<TenantRouting> {
  return readTenantRouting(admin.options.db.forTenant(tenantId), tenantId);
}

/**
 * Sets the workspace's default route (one of its routes, or null) and its preferred providers in
 * order (configured providers, each once). Every problem is reported at once, by field path.
 */
export async function saveTenantRouting(
  admin: AdminContext,
  tenantId: string,
  input: z.input<typeof saveTenantRoutingSchema>,
): Promise<TenantRouting> {
  const routing = saveTenantRoutingSchema.parse(input);
  const issues = tenantRoutingIssues(routing, await routingNames(admin, tenantId));
  if (issues.length > 0)
    throw new ModelAdminError(`the routing preferences have problems: ${describe(issues)}`, { issues });
  await writeTenantRouting(admin.options.db.forTenant(tenantId), tenantId, routing);
  admin.changed(tenantId);
  return getTenantRouting(admin, tenantId);
}

/** Routing choices of every (unarchived) bot of the tenant. */
export function listBotRouting(admin: AdminContext, tenantId: string): Promise<BotRouting[]> {
  return readBotRoutings(admin.options.db.forTenant(tenantId));
}

/** One bot's routing choices, or undefined when the tenant has no such bot. */
export async function getBotRouting(
  admin: AdminContext,
  tenantId: string,
  botId: string,
): Promise<BotRouting | undefined> {
  return (await readBotRoutings(admin.options.db.forTenant(tenantId), botId))[0];
}

/**
 * Sets one bot's default route (a workspace route, or null for the workspace's), its route
 * overrides (a node asking for `requested` gets `route`, an existing route; each name once, never
 * `default`) and its preferred providers (null: the workspace's). Every problem is reported at
 * once, by field path; a bot of another tenant is reported on `botId`.
 */
export async function saveBotRouting(
  admin: AdminContext,
  tenantId: string,
  botId: string,
  input: z.input<typeof saveBotRoutingSchema>,
): Promise<BotRouting> {
  const routing = saveBotRoutingSchema.parse(input);
  const issues = botRoutingIssues(routing, await routingNames(admin, tenantId));
  if (issues.length > 0)
    throw new ModelAdminError(`the bot's routing has problems: ${describe(issues)}`, { issues });
  const client = admin.options.db.forTenant(tenantId);
  if (!(await writeBotRouting(client, botId, routing)))
    throw new ModelAdminError(`bot ${botId} was not found`, { field: "botId" });
  admin.changed(tenantId);
  const saved = (await readBotRoutings(client, botId))[0];
  if (!saved) throw new ModelAdminError(`bot ${botId} vanished while saving`, { field: "botId" });
  return saved;
}

/** Issues as one line, for the error's message. */
function describe(issues: readonly RoutingIssue[]): string {
  return issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ");
}
