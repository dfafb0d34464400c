import type { TenantClient } from "@parley/db";
import type { RoutePolicyInput } from "@parley/models";
import { type FieldIssue, ServiceError } from "../errors";

/** The provider name routes may always use: the platform's offline provider. */
export const OFFLINE_PROVIDER = "offline";

const invalid = (code: string, message: string, errors: FieldIssue[]) =>
  new ServiceError("invalid", code, message, { errors });

const notFound = (what: string, id: string) =>
  new ServiceError("not_found", `${what.replace(/ /g, "-")}-not-found`, `${what} ${id} was not found`);

/** The tenant's provider row `id`, or a not-found error (foreign and guessed ids alike). */
export async function existingProvider(db: TenantClient, id: string) {
  const row = await db.modelProvider.findFirst({ where: { id } });
  if (!row) throw notFound("model provider", id);
  return row;
}

/** The tenant's route row `id`, or a not-found error. */
export async function existingRoute(db: TenantClient, id: string) {
  const row = await db.modelRoute.findFirst({ where: { id } });
  if (!row) throw notFound("model route", id);
  return row;
}

/** The tenant's price row `id`, or a not-found error. */
export async function existingPrice(db: TenantClient, id: string) {
  const row = await db.modelPrice.findFirst({ where: { id } });
  if (!row) throw notFound("price", id);
  return row;
}

/** The tenant's budget row `id`, or a not-found error. */
export async function existingBudget(db: TenantClient, id: string) {
  const row = await db.budget.findFirst({ where: { id } });
  if (!row) throw notFound("budget", id);
  return row;
}

/** Refuses a provider name another provider of the tenant already has (a field error on `name`). */
export async function assertProviderNameFree(db: TenantClient, name: string, id: string | undefined) {
  const clash = await db.modelProvider.findFirst({
    where: { name, ...(id ? { NOT: { id } } : {}) },
    select: { id: true },
  });
  if (clash)
    throw new ServiceError("conflict", "model-provider-exists", `a provider named "${name}" already exists`, {
      errors: [{ path: "name", message: `a provider named "${name}" already exists` }],
    });
}

/** Refuses a route name another route of the tenant already has. */
export async function assertRouteNameFree(db: TenantClient, name: string, id: string | undefined) {
  const clash = await db.modelRoute.findFirst({
    where: { name, ...(id ? { NOT: { id } } : {}) },
    select: { id: true },
  });
  if (clash)
    throw new ServiceError("conflict", "model-route-exists", `a route named "${name}" already exists`, {
      errors: [{ path: "name", message: `a route named "${name}" already exists` }],
    });
}

/** Names of the tenant's routes whose targets use provider `name`. */
export async function routesUsingProvider(db: TenantClient, name: string): Promise<string[]> {
  const routes = await db.modelRoute.findMany({ select: { name: true, policy: true } });
  return routes
    .filter((route) =>
      ((route.policy as RoutePolicyInput | null)?.targets ?? []).some((target) => target.provider === name),
    )
    .map((route) => route.name)
    .sort();
}

/**
 * Every target of a route must name one of the tenant's providers (or the offline provider); the
 * problems point at the targets' `provider` fields so the route editor shows them on the right row.
 */
export async function assertTargetsKnown(db: TenantClient, policy: RoutePolicyInput) {
  const known = new Set(
    (await db.modelProvider.findMany({ select: { name: true } })).map((provider) => provider.name),
  );
  known.add(OFFLINE_PROVIDER);
  const errors = policy.targets.flatMap((target, index) =>
    known.has(target.provider)
      ? []
      : [
          {
            path: `policy.targets.${index}.provider`,
            message: `no provider named "${target.provider}" is configured`,
          },
        ],
  );
  if (errors.length > 0)
    throw invalid(
      "route-provider-unknown",
      `the route names providers that are not configured: ${errors.map((e) => e.message).join("; ")}`,
      errors,
    );
}

/** A budget that downgrades needs an existing route to downgrade to (a field error on `downgradeRoute`). */
export async function assertDowngradeRoute(
  db: TenantClient,
  budget: { action?: "block" | "downgrade" | undefined; downgradeRoute?: string | undefined },
) {
  if (budget.action !== "downgrade") return;
  const message = !budget.downgradeRoute
    ? "choose the route to downgrade to"
    : (await db.modelRoute.findFirst({ where: { name: budget.downgradeRoute }, select: { id: true } }))
      ? undefined
      : `no route named "${budget.downgradeRoute}" exists`;
  if (message)
    throw invalid("budget-downgrade-route", `a budget that downgrades needs a route: ${message}`, [
      { path: "downgradeRoute", message },
    ]);
}
