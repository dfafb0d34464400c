import { saveBudgetSchema } from "@parley/contract";
import type { z } from "zod";
import { budgetSchema, periodOf } from "../accounting/budget";
import { modelPriceSchema } from "../accounting/price-table";
import type { AdminContext } from "./admin-context";
import { ModelAdminError } from "./model-admin-error";

/** What a tenant pays: its price table and its monthly budgets (internal to ModelAdmin). */

export async function listPrices(admin: AdminContext, tenantId: string) {
  const rows = await admin.options.db
    .forTenant(tenantId)
    .modelPrice.findMany({ orderBy: [{ provider: "asc" }, { model: "asc" }] });
  return rows.map((row) => ({
    id: row.id,
    provider: row.provider,
    model: row.model,
    inputPerMillion: Number(row.inputPerMillion),
    outputPerMillion: Number(row.outputPerMillion),
  }));
}

/** Sets the tenant's price of one provider/model (USD per million tokens). */
export async function savePrice(
  admin: AdminContext,
  tenantId: string,
  input: z.input<typeof modelPriceSchema>,
) {
  const price = modelPriceSchema.parse(input);
  const client = admin.options.db.forTenant(tenantId);
  const existing = await client.modelPrice.findFirst({
    where: { provider: price.provider, model: price.model },
  });
  const fields = {
    inputPerMillion: String(price.inputPerMillion),
    outputPerMillion: String(price.outputPerMillion),
  };
  if (existing) await client.modelPrice.update({ where: { id: existing.id }, data: fields });
  else
    await client.modelPrice.create({
      data: { tenantId, provider: price.provider, model: price.model, ...fields },
    });
  admin.changed(tenantId);
  return (await listPrices(admin, tenantId)).find(
    (row) => row.provider === price.provider && row.model === price.model,
  );
}

export async function deletePrice(admin: AdminContext, tenantId: string, priceId: string): Promise<boolean> {
  const { count } = await admin.options.db
    .forTenant(tenantId)
    .modelPrice.deleteMany({ where: { id: priceId } });
  admin.changed(tenantId);
  return count > 0;
}

export async function listBudgets(admin: AdminContext, tenantId: string, now: Date = new Date()) {
  const client = admin.options.db.forTenant(tenantId);
  const [rows, routes] = await Promise.all([
    client.budget.findMany(),
    client.modelRoute.findMany({ select: { id: true, name: true } }),
  ]);
  const routeNames = new Map(routes.map((route) => [route.id, route.name]));
  const period = periodOf(now);
  return rows.map((row) => {
    const current = row.periodStart.toISOString().slice(0, 10) === period;
    return budgetSchema.parse({
      id: row.id,
      tenantId: row.tenantId,
      ...(row.botId ? { botId: row.botId } : {}),
      monthlyLimitUsd: Number(row.monthlyLimitUsd),
      action: row.action,
      ...(row.downgradeRouteId && routeNames.get(row.downgradeRouteId)
        ? { downgradeRoute: routeNames.get(row.downgradeRouteId) }
        : {}),
      warnAtPercent: row.warnAtPercent,
      periodStart: period,
      spentUsd: current ? Number(row.spentUsd) : 0,
      ...(current && row.warnedAt ? { warnedAt: row.warnedAt.toISOString() } : {}),
    });
  });
}

/** Creates or updates the tenant's budget (no botId) or a bot's budget; spend so far is kept. */
export async function saveBudget(
  admin: AdminContext,
  tenantId: string,
  input: z.input<typeof saveBudgetSchema>,
  now: Date = new Date(),
) {
  const data = saveBudgetSchema.parse(input);
  const client = admin.options.db.forTenant(tenantId);
  let downgradeRouteId: string | null = null;
  if (data.action === "downgrade") {
    if (!data.downgradeRoute) throw new ModelAdminError("a budget that downgrades needs a downgradeRoute");
    const route = await client.modelRoute.findFirst({ where: { name: data.downgradeRoute } });
    if (!route) throw new ModelAdminError(`downgrade route "${data.downgradeRoute}" does not exist`);
    downgradeRouteId = route.id;
  }
  const fields = {
    monthlyLimitUsd: String(data.monthlyLimitUsd),
    action: data.action,
    downgradeRouteId,
    warnAtPercent: data.warnAtPercent,
  };
  const existing = await client.budget.findFirst({ where: { botId: data.botId ?? null } });
  if (existing) await client.budget.update({ where: { id: existing.id }, data: fields });
  else {
    await client.budget.create({
      data: {
        tenantId,
        botId: data.botId ?? null,
        periodStart: new Date(`${periodOf(now)}T00:00:00Z`),
        ...fields,
      },
    });
  }
  admin.changed(tenantId);
  return (await listBudgets(admin, tenantId, now)).find((budget) => budget.botId === data.botId);
}

export async function deleteBudget(
  admin: AdminContext,
  tenantId: string,
  budgetId: string,
): Promise<boolean> {
  const { count } = await admin.options.db.forTenant(tenantId).budget.deleteMany({ where: { id: budgetId } });
  admin.changed(tenantId);
  return count > 0;
}
