import {
  createRouteInputSchema,
  type RouteView,
  saveRouteSchema,
  type UpdateRouteInput,
  updateRouteInputSchema,
} from "@parley/contract";
import type { z } from "zod";
import { recordAudit } from "../audit";
import { authorize, type ServiceContext, tenantDb } from "../context";
import { parseInput, ServiceError } from "../errors";
import { assertRouteNameFree, assertTargetsKnown, existingRoute } from "./model-checks";
import { withModelErrors } from "./model-errors";
import { modelParts } from "./model-services";
import { botsUsingRoute, inUse } from "./routing-checks";

/** The tenant's model routes (ordered policies). Needs `bots:read`. */
export async function listModelRoutes(ctx: ServiceContext): Promise<RouteView[]> {
  authorize(ctx, "bots:read");
  return modelParts(ctx.deps).admin.listRoutes(ctx.tenantId);
}

/** What calls may choose from: every route name, the default route, and the providers in effect. */
export interface ModelChoices {
  routes: string[];
  defaultRoute: string | null;
  providers: Array<{ name: string; kind: string; origin: "workspace" | "environment" }>;
}

/**
 * What "try it" and the route editor can choose from: every route calls may name (the workspace's
 * and the environment's `default`), the default, and the providers in effect. Needs `bots:read`.
 */
export async function modelChoices(ctx: ServiceContext): Promise<ModelChoices> {
  authorize(ctx, "bots:read");
  const { admin, orchestrator } = modelParts(ctx.deps);
  const own = new Set((await admin.listProviders(ctx.tenantId)).map((p) => p.name));
  const config = await withModelErrors("model-route", () => orchestrator.configFor(ctx.tenantId));
  return {
    routes: Object.keys(config.routes).sort(),
    defaultRoute: config.defaultRoute ?? null,
    providers: config.providers
      .filter((provider) => provider.enabled)
      .map((provider) => ({
        name: provider.name,
        kind: provider.kind,
        origin: own.has(provider.name) ? ("workspace" as const) : ("environment" as const),
      })),
  };
}

/**
 * Creates (no `id`) or updates a route. Names are unique; every target names a configured provider
 * (field errors on `policy.targets.N.provider`); a route bots use by name is not renamed. Needs
 * `models:manage`; audited.
 */
export async function saveModelRoute(
  ctx: ServiceContext,
  input: z.input<typeof saveRouteSchema>,
): Promise<RouteView> {
  authorize(ctx, "models:manage");
  const data = parseInput(saveRouteSchema, input, "route");
  const db = tenantDb(ctx);
  const { admin } = modelParts(ctx.deps);
  const before = data.id ? await existingRoute(db, data.id) : undefined;
  await assertRouteNameFree(db, data.name, data.id);
  if (before && before.name !== data.name) {
    const bots = await botsUsingRoute(db, admin, ctx.tenantId, before.name);
    if (bots.length > 0)
      throw inUse(
        "model-route-in-use",
        `bot(s) ${bots.join(", ")} use this route by name; change their routing before renaming it`,
        true,
      );
  }
  await assertTargetsKnown(db, data.policy);
  const saved = await withModelErrors("model-route", () => admin.saveRoute(ctx.tenantId, data));
  if (!saved)
    throw new ServiceError("conflict", "model-route-vanished", "the route was deleted while saving");
  await recordAudit(db, ctx, {
    action: before ? "model_route.update" : "model_route.create",
    targetType: "model_route",
    targetId: saved.id,
    ...(before
      ? {
          before: {
            name: before.name,
            description: before.description,
            policy: before.policy,
            isDefault: before.isDefault,
          },
        }
      : {}),
    after: saved,
  });
  return saved;
}

/** Creates a route (REST `POST /api/v1/model-routes`); see {@link saveModelRoute}. */
export function createModelRoute(ctx: ServiceContext, input: unknown): Promise<RouteView> {
  authorize(ctx, "models:manage");
  return saveModelRoute(ctx, parseInput(createRouteInputSchema, input, "route"));
}

/** Changes some fields of a route (REST `PATCH`); see {@link saveModelRoute}. */
export async function updateModelRoute(
  ctx: ServiceContext,
  routeId: string,
  changes: UpdateRouteInput,
): Promise<RouteView> {
  authorize(ctx, "models:manage");
  const patch = parseInput(updateRouteInputSchema, changes, "route changes");
  const current = await existingRoute(tenantDb(ctx), routeId);
  return saveModelRoute(ctx, {
    id: routeId,
    name: patch.name ?? current.name,
    description: patch.description ?? current.description,
    policy: patch.policy ?? (current.policy as z.input<typeof saveRouteSchema>["policy"]),
    isDefault: patch.isDefault ?? current.isDefault,
  });
}

/** Deletes a route no budget downgrades to and no bot's routing names. Needs `models:manage`; audited. */
export async function deleteModelRoute(ctx: ServiceContext, routeId: string): Promise<void> {
  authorize(ctx, "models:manage");
  const db = tenantDb(ctx);
  const { admin } = modelParts(ctx.deps);
  const row = await existingRoute(db, routeId);
  const budgets = await db.budget.count({ where: { downgradeRouteId: row.id } });
  if (budgets > 0)
    throw new ServiceError(
      "conflict",
      "model-route-in-use",
      `route "${row.name}" is the downgrade route of ${budgets} budget(s); change them first`,
    );
  const bots = await botsUsingRoute(db, admin, ctx.tenantId, row.name);
  if (bots.length > 0)
    throw inUse(
      "model-route-in-use",
      `route "${row.name}" is used by the routing of bot(s) ${bots.join(", ")}; change it first`,
      false,
    );
  await admin.deleteRoute(ctx.tenantId, row.id);
  await recordAudit(db, ctx, {
    action: "model_route.delete",
    targetType: "model_route",
    targetId: row.id,
    before: { name: row.name, policy: row.policy, isDefault: row.isDefault },
  });
}
