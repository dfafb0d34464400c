import { saveRouteSchema } from "@parley/contract";
import type { z } from "zod";
import { type RoutePolicy, routePolicySchema } from "../routing/route-policy";
import type { AdminContext } from "./admin-context";
import { ModelAdminError } from "./model-admin-error";
import { listProviders } from "./provider-admin";

/** Model routes of a tenant: ordered policies naming configured providers (internal to ModelAdmin). */

export async function listRoutes(
  admin: AdminContext,
  tenantId: string,
): Promise<
  Array<{ id: string; name: string; description: string; policy: RoutePolicy; isDefault: boolean }>
> {
  const rows = await admin.options.db.forTenant(tenantId).modelRoute.findMany({ orderBy: { name: "asc" } });
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    description: row.description,
    policy: routePolicySchema.parse(row.policy),
    isDefault: row.isDefault,
  }));
}

/** Creates or updates a route. Every target must name a configured provider. */
export async function saveRoute(
  admin: AdminContext,
  tenantId: string,
  input: z.input<typeof saveRouteSchema>,
) {
  const data = saveRouteSchema.parse(input);
  const providers = new Set((await listProviders(admin, tenantId)).map((provider) => provider.name));
  const unknown = data.policy.targets.filter(
    (target) => !providers.has(target.provider) && target.provider !== "offline",
  );
  if (unknown.length > 0) {
    throw new ModelAdminError(
      `route "${data.name}" names provider(s) that are not configured: ${[...new Set(unknown.map((t) => t.provider))].join(", ")}`,
    );
  }
  const client = admin.options.db.forTenant(tenantId);
  const id = await client.$transaction(async (tx) => {
    if (data.isDefault)
      await tx.modelRoute.updateMany({ where: { isDefault: true }, data: { isDefault: false } });
    const fields = {
      name: data.name,
      description: data.description,
      policy: data.policy,
      isDefault: data.isDefault,
    };
    const row = data.id
      ? await tx.modelRoute.update({ where: { id: data.id }, data: fields })
      : await tx.modelRoute.create({ data: { tenantId, ...fields } });
    return row.id;
  });
  admin.changed(tenantId);
  return (await listRoutes(admin, tenantId)).find((route) => route.id === id);
}

export async function deleteRoute(admin: AdminContext, tenantId: string, routeId: string): Promise<boolean> {
  const { count } = await admin.options.db
    .forTenant(tenantId)
    .modelRoute.deleteMany({ where: { id: routeId } });
  admin.changed(tenantId);
  return count > 0;
}
