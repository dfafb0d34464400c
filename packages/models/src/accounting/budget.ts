import { budgetViewSchema } from "@parley/contract";
import type { z } from "zod";

/** A monthly spend cap of a tenant (no botId) or of one bot. */
export const budgetSchema = budgetViewSchema;
/** A monthly spend cap of a tenant or one bot. */
export type Budget = z.infer<typeof budgetSchema>;
/** A monthly spend cap as given (defaults optional). */
export type BudgetInput = z.input<typeof budgetSchema>;

/** The `YYYY-MM-01` period containing `now` (UTC). */
export function periodOf(now: Date): string {
  return `${now.toISOString().slice(0, 7)}-01`;
}

/** The budget as it stands in the period of `now`: spend and warning reset in a new month. */
export function currentPeriod(budget: Budget, now: Date): Budget {
  const period = periodOf(now);
  if (budget.periodStart === period) return budget;
  return { ...budget, periodStart: period, spentUsd: 0, warnedAt: undefined };
}

/**
 * Where budgets live. `addSpend` must be atomic per budget (concurrent calls add up) and reset the
 * spend when the period moved on; it returns the budgets after the addition.
 */
export interface BudgetStore {
  /** The tenant's budget and, when `botId` is given, that bot's. */
  applicable(tenantId: string, botId: string | undefined, now: Date): Promise<Budget[]>;
  addSpend(tenantId: string, botId: string | undefined, usd: number, now: Date): Promise<Budget[]>;
  /** Records that the warning was sent; resolves false when another process already did (send once). */
  markWarned(budget: Budget, now: Date): Promise<boolean>;
}

/** A {@link BudgetStore} in memory (embedded mode, tests). */
export class MemoryBudgetStore implements BudgetStore {
  private readonly budgets = new Map<string, Budget>();

  constructor(budgets: readonly BudgetInput[] = []) {
    for (const budget of budgets) this.put(budget);
  }

  /** Adds or replaces a budget. */
  put(input: BudgetInput): Budget {
    const budget = budgetSchema.parse(input);
    this.budgets.set(budget.id, budget);
    return budget;
  }

  /** All budgets of a tenant. */
  list(tenantId: string): Budget[] {
    return [...this.budgets.values()].filter((budget) => budget.tenantId === tenantId);
  }

  private matching(tenantId: string, botId: string | undefined): Budget[] {
    return this.list(tenantId).filter((budget) => budget.botId === undefined || budget.botId === botId);
  }

  async applicable(tenantId: string, botId: string | undefined, now: Date): Promise<Budget[]> {
    return this.matching(tenantId, botId).map((budget) => currentPeriod(budget, now));
  }

  async addSpend(tenantId: string, botId: string | undefined, usd: number, now: Date): Promise<Budget[]> {
    return this.matching(tenantId, botId).map((stored) => {
      const budget = currentPeriod(stored, now);
      const updated = { ...budget, spentUsd: budget.spentUsd + usd };
      this.budgets.set(updated.id, updated);
      return updated;
    });
  }

  async markWarned(budget: Budget, now: Date): Promise<boolean> {
    const stored = this.budgets.get(budget.id);
    if (!stored) return false;
    const current = currentPeriod(stored, now);
    if (current.warnedAt) return false;
    this.budgets.set(budget.id, { ...current, warnedAt: now.toISOString() });
    return true;
  }
}
