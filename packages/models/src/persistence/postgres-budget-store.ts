import type { Database } from "@parley/db";
import { type Budget, type BudgetStore, periodOf } from "../accounting/budget";

interface BudgetRow {
  id: string;
  tenant_id: string;
  bot_id: string | null;
  monthly_limit_usd: string;
  action: "block" | "downgrade";
  downgrade_route: string | null;
  warn_at_percent: number;
  period_start: string;
  spent_usd: string;
  warned_at: Date | null;
}

const COLUMNS = `b.id, b.tenant_id, b.bot_id, b.monthly_limit_usd::text, b.action::text AS action,
  r.name AS downgrade_route, b.warn_at_percent, to_char(b.period_start, 'YYYY-MM-DD') AS period_start,
  b.spent_usd::text, b.warned_at`;

function toBudget(row: BudgetRow, period: string): Budget {
  const current = row.period_start === period;
  return {
    id: row.id,
    tenantId: row.tenant_id,
    ...(row.bot_id ? { botId: row.bot_id } : {}),
    monthlyLimitUsd: Number(row.monthly_limit_usd),
    action: row.action,
    ...(row.downgrade_route ? { downgradeRoute: row.downgrade_route } : {}),
    warnAtPercent: row.warn_at_percent,
    periodStart: period,
    spentUsd: current ? Number(row.spent_usd) : 0,
    ...(current && row.warned_at ? { warnedAt: row.warned_at.toISOString() } : {}),
  };
}

/**
 * Budgets in the `budgets` table. Spend is added with one UPDATE per call (atomic, so concurrent
 * calls from any process add up) that also rolls the period over at a new month; the warning is
 * claimed with a conditional UPDATE so exactly one process sends it.
 */
export class PostgresBudgetStore implements BudgetStore {
  /** `tenant:bot` scopes known to have no budget, until when (ms): most tenants have none. */
  private readonly noBudgetUntil = new Map<string, number>();
  /** Scopes whose "no budget" belief is being asked again in the background. */
  private readonly refreshing = new Set<string>();
  /** Bumped by {@link invalidate}: a query that started before it records no belief. */
  private generation = 0;

  /**
   * @param noBudgetTtlMs How long "this tenant and bot have no budget" is believed without asking the
   *   database again (default 0: always asked; the model layer uses 5 s, like its configuration
   *   cache); {@link invalidate} forgets it at once.
   */
  constructor(
    private readonly db: Pick<Database, "forTenant">,
    private readonly noBudgetTtlMs = 0,
  ) {}

  /** Forgets what is cached about `tenantId` (after a budget was created or changed). */
  invalidate(tenantId: string): void {
    this.generation += 1;
    for (const scope of this.noBudgetUntil.keys()) {
      if (scope.startsWith(`${tenantId}:`)) this.noBudgetUntil.delete(scope);
    }
  }

  async applicable(tenantId: string, botId: string | undefined, now: Date): Promise<Budget[]> {
    const scope = `${tenantId}:${botId ?? ""}`;
    const until = this.noBudgetUntil.get(scope);
    if (until !== undefined && until > Date.now()) {
      // Asked again in the background from half the belief's life, once: a scope in use keeps its
      // belief without its calls waiting on the query when it would have run out.
      if (until - Date.now() < this.noBudgetTtlMs / 2 && !this.refreshing.has(scope)) {
        this.refreshing.add(scope);
        this.query(scope, tenantId, botId, now)
          .catch(() => {
            // The belief runs out as it would have; the call that then asks reports the error.
          })
          .finally(() => this.refreshing.delete(scope));
      }
      return [];
    }
    return this.query(scope, tenantId, botId, now);
  }

  /** Reads the budgets of a scope and records (or forgets) that it has none. */
  private async query(
    scope: string,
    tenantId: string,
    botId: string | undefined,
    now: Date,
  ): Promise<Budget[]> {
    const generation = this.generation;
    const rows = (await this.db.forTenant(tenantId).$queryRawUnsafe(
      `SELECT ${COLUMNS} FROM budgets b LEFT JOIN model_routes r ON r.id = b.downgrade_route_id
       WHERE b.tenant_id = $1 AND (b.bot_id IS NULL OR b.bot_id = $2)`,
      tenantId,
      botId ?? null,
    )) as BudgetRow[];
    if (rows.length === 0 && this.noBudgetTtlMs > 0 && generation === this.generation) {
      if (this.noBudgetUntil.size > 10_000) this.noBudgetUntil.clear(); // bounded: a cache, not a registry
      this.noBudgetUntil.set(scope, Date.now() + this.noBudgetTtlMs);
    } else this.noBudgetUntil.delete(scope);
    return rows.map((row) => toBudget(row, periodOf(now)));
  }

  async addSpend(tenantId: string, botId: string | undefined, usd: number, now: Date): Promise<Budget[]> {
    // A scope believed to have no budget has nothing to charge: no UPDATE after every priced call
    // (a round trip the turn waits on) for the many tenants without budgets.
    const until = this.noBudgetUntil.get(`${tenantId}:${botId ?? ""}`);
    if (until !== undefined && until > Date.now()) return [];
    const period = periodOf(now);
    const rows = (await this.db.forTenant(tenantId).$queryRawUnsafe(
      `WITH updated AS (
         UPDATE budgets SET
           spent_usd = CASE WHEN period_start = $3::date THEN spent_usd + $4::numeric ELSE $4::numeric END,
           warned_at = CASE WHEN period_start = $3::date THEN warned_at ELSE NULL END,
           period_start = $3::date,
           updated_at = now()
         WHERE tenant_id = $1 AND (bot_id IS NULL OR bot_id = $2)
         RETURNING *)
       SELECT ${COLUMNS} FROM updated b LEFT JOIN model_routes r ON r.id = b.downgrade_route_id`,
      tenantId,
      botId ?? null,
      period,
      usd.toFixed(9),
    )) as BudgetRow[];
    return rows.map((row) => toBudget(row, period));
  }

  async markWarned(budget: Budget, now: Date): Promise<boolean> {
    const claimed = (await this.db.forTenant(budget.tenantId).$queryRawUnsafe(
      `UPDATE budgets SET warned_at = $3, updated_at = now()
       WHERE id = $1 AND tenant_id = $2 AND warned_at IS NULL AND period_start = $4::date RETURNING id`,
      budget.id,
      budget.tenantId,
      now,
      periodOf(now),
    )) as Array<{ id: string }>;
    return claimed.length === 1;
  }
}
