import type { BudgetStore } from "../accounting/budget";
import type { TenantModelConfig } from "../config/tenant-model-config";
import { BudgetExceededError } from "../errors";
import { type ResolvedRoute, resolveRoute } from "../routing/resolve-route";
import type { CallAccount } from "./call-account";
import type { CallContext } from "./orchestrator";

/**
 * Budgets before a call: a spent cap blocks (the call is finished as `blocked` and
 * BudgetExceededError thrown) or downgrades to its cheaper route. Returns the route to use (internal).
 */
export async function applyBudgets(
  store: BudgetStore | undefined,
  config: TenantModelConfig,
  route: ResolvedRoute,
  context: CallContext,
  account: CallAccount,
): Promise<ResolvedRoute> {
  if (!store) return route;
  const budgets = await store.applicable(context.tenantId, context.botId, account.now);
  const exhausted = budgets.find((budget) => budget.spentUsd >= budget.monthlyLimitUsd);
  if (!exhausted) return route;
  const downgrade = exhausted.action === "downgrade" ? exhausted.downgradeRoute : undefined;
  if (downgrade && downgrade !== route.name) {
    const cheaper = resolveRoute(config, downgrade, undefined);
    account.record.route = cheaper.name;
    account.record.budgetDowngraded = true;
    return cheaper;
  }
  if (downgrade) return route;
  const error = new BudgetExceededError(
    exhausted.botId ? "bot" : "tenant",
    exhausted.monthlyLimitUsd,
    exhausted.spentUsd,
  );
  await account.finish("blocked", error);
  throw error;
}
