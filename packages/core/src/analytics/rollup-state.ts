import { type ServiceContext, tenantDb } from "../context";

/** How far a tenant's analytics are rolled up (see rollUpTenant), as the queries need it. */
export interface RollupState {
  /** Events created before this are in the rollups; later ones are the event tail. */
  rolledUntil: Date;
  /** Conversations up to (updated_at, id) = (factsUntil, factsAfterId) are in the cohort rollups. */
  factsUntil: Date;
  factsAfterId: string;
  /** When rollup rows were last compacted (null: never). */
  compactedAt: Date | null;
}

/**
 * Reads the tenant's rollup state in its own small query, so the queries that follow get the watermarks
 * as parameters: a bound known at planning time lets the planner narrow the tail with an index range
 * (a bound from a subquery is planned as unknown, which chose a full scan of the events).
 */
export async function readRollupState(ctx: ServiceContext): Promise<RollupState> {
  const [state] = await tenantDb(ctx).$queryRawUnsafe<
    { rolled_until: Date; facts_until: Date | null; facts_after_id: string; compacted_at: Date | null }[]
  >(
    `SELECT rolled_until, facts_until, facts_after_id, compacted_at
     FROM analytics_rollup_state WHERE tenant_id = $1`,
    ctx.tenantId,
  );
  return {
    rolledUntil: state ? new Date(state.rolled_until) : new Date(0),
    factsUntil: state?.facts_until ? new Date(state.facts_until) : new Date(0),
    factsAfterId: state?.facts_after_id ?? "",
    compactedAt: state?.compacted_at ? new Date(state.compacted_at) : null,
  };
}

/**
 * Runs `read` in one REPEATABLE READ transaction of the tenant (every tenant query inside joins it), so
 * the rollup state and the rows read after it come from one snapshot: a rollup run committing meanwhile
 * is seen either wholly or not at all, and no event or conversation is counted twice or missed.
 */
export function inAnalyticsSnapshot<T>(ctx: ServiceContext, read: () => Promise<T>): Promise<T> {
  return tenantDb(ctx).$transaction(() => read(), { isolationLevel: "RepeatableRead" });
}
