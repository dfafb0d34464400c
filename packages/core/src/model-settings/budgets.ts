import {
  createBudgetInputSchema,
  saveBudgetSchema,
  type UpdateBudgetInput,
  updateBudgetInputSchema,
} from "@parley/contract";
import type { Budget } from "@parley/models";
import type { z } from "zod";
import { recordAudit } from "../audit";
import { loadBot } from "../bots/bots";
import { authorize, nowOf, type ServiceContext, tenantDb } from "../context";
import { parseInput, ServiceError } from "../errors";
import { assertDowngradeRoute, existingBudget } from "./model-checks";
import { withModelErrors } from "./model-errors";
import { modelParts } from "./model-services";

/** The workspace's budget and the bots' budgets, with this month's spend. Needs `bots:read`. */
export async function listModelBudgets(ctx: ServiceContext): Promise<Budget[]> {
  authorize(ctx, "bots:read");
  return modelParts(ctx.deps).admin.listBudgets(ctx.tenantId, nowOf(ctx.deps));
}

/**
 * Creates or updates the workspace's budget (no `botId`) or a bot's; spend so far is kept. A budget
 * that downgrades names an existing route (a field error on `downgradeRoute`). Needs
 * `models:manage`; audited.
 */
export async function saveModelBudget(
  ctx: ServiceContext,
  input: z.input<typeof saveBudgetSchema>,
): Promise<Budget> {
  authorize(ctx, "models:manage");
  const data = parseInput(saveBudgetSchema, input, "budget");
  const db = tenantDb(ctx);
  const { admin } = modelParts(ctx.deps);
  if (data.botId) await loadBot(ctx, data.botId);
  await assertDowngradeRoute(db, data);
  const now = nowOf(ctx.deps);
  const before = (await admin.listBudgets(ctx.tenantId, now)).find((b) => b.botId === data.botId);
  const saved = await withModelErrors("budget", () => admin.saveBudget(ctx.tenantId, data, now));
  if (!saved) throw new ServiceError("conflict", "budget-vanished", "the budget was deleted while saving");
  await recordAudit(db, ctx, {
    action: before ? "budget.update" : "budget.create",
    targetType: "budget",
    targetId: saved.id,
    ...(before ? { before } : {}),
    after: saved,
  });
  return saved;
}

/** Creates a budget (REST `POST /api/v1/model-budgets`); see {@link saveModelBudget}. */
export function createModelBudget(ctx: ServiceContext, input: unknown): Promise<Budget> {
  authorize(ctx, "models:manage");
  return saveModelBudget(ctx, parseInput(createBudgetInputSchema, input, "budget"));
}

/** Changes some fields of a budget (REST `PATCH`); see {@link saveModelBudget}. */
export async function updateModelBudget(
  ctx: ServiceContext,
  budgetId: string,
  changes: UpdateBudgetInput,
): Promise<Budget> {
  authorize(ctx, "models:manage");
  const patch = parseInput(updateBudgetInputSchema, changes, "budget changes");
  await existingBudget(tenantDb(ctx), budgetId);
  const current = (await modelParts(ctx.deps).admin.listBudgets(ctx.tenantId, nowOf(ctx.deps))).find(
    (budget) => budget.id === budgetId,
  );
  if (!current) throw new ServiceError("not_found", "budget-not-found", `budget ${budgetId} was not found`);
  const downgradeRoute =
    patch.downgradeRoute === undefined ? current.downgradeRoute : (patch.downgradeRoute ?? undefined);
  return saveModelBudget(ctx, {
    ...(current.botId ? { botId: current.botId } : {}),
    monthlyLimitUsd: patch.monthlyLimitUsd ?? current.monthlyLimitUsd,
    action: patch.action ?? current.action,
    ...(downgradeRoute ? { downgradeRoute } : {}),
    warnAtPercent: patch.warnAtPercent ?? current.warnAtPercent,
  });
}

/** Deletes a budget. Needs `models:manage`; audited. */
export async function deleteModelBudget(ctx: ServiceContext, budgetId: string): Promise<void> {
  authorize(ctx, "models:manage");
  const db = tenantDb(ctx);
  const { admin } = modelParts(ctx.deps);
  const row = await existingBudget(db, budgetId);
  const before = (await admin.listBudgets(ctx.tenantId, nowOf(ctx.deps))).find((b) => b.id === row.id);
  await admin.deleteBudget(ctx.tenantId, row.id);
  await recordAudit(db, ctx, { action: "budget.delete", targetType: "budget", targetId: row.id, before });
}
