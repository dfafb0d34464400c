import type { ExperimentGoal } from "@parley/contract";
import type { TenantClient } from "@parley/db";

/** Conversations and conversions of each variant of an experiment (internal). */
export type VariantCounts = Map<string, { conversations: number; conversions: number }>;

type Row = { variant: string | null; conversations: number; conversions: number };

/**
 * Counts, per variant, the experiment's conversations and those that converted (internal):
 * - node goal: a `turn` analytics event of the conversation lists the node in `properties.nodes`
 *   (written in the turn's own transaction, so a conversion is counted once and never lost);
 * - variable goal: the conversation's variable is set and not null, false, 0 or "";
 * - event goal: the conversation has an analytics event of that type.
 */
export async function countGoal(
  db: TenantClient,
  tenantId: string,
  experimentId: string,
  goal: ExperimentGoal,
): Promise<VariantCounts> {
  let rows: Row[];
  switch (goal.type) {
    case "node":
      rows = await db.$queryRaw<Row[]>`
        SELECT c.experiment_variant AS variant, count(*)::int AS conversations,
          (count(*) FILTER (WHERE EXISTS (
            SELECT 1 FROM analytics_events e
            WHERE e.tenant_id = c.tenant_id AND e.conversation_id = c.id AND e.type = 'turn'
              AND e.properties -> 'nodes' @> jsonb_build_array(${goal.nodeId}::text))))::int AS conversions
        FROM conversations c WHERE c.tenant_id = ${tenantId} AND c.experiment_id = ${experimentId}
        GROUP BY c.experiment_variant`;
      break;
    case "variable":
      rows = await db.$queryRaw<Row[]>`
        SELECT c.experiment_variant AS variant, count(*)::int AS conversations,
          (count(*) FILTER (WHERE c.variables -> ${goal.name}::text IS NOT NULL
            AND c.variables -> ${goal.name}::text NOT IN ('null'::jsonb, 'false'::jsonb, '0'::jsonb, '""'::jsonb)))::int
            AS conversions
        FROM conversations c WHERE c.tenant_id = ${tenantId} AND c.experiment_id = ${experimentId}
        GROUP BY c.experiment_variant`;
      break;
    case "event":
      rows = await db.$queryRaw<Row[]>`
        SELECT c.experiment_variant AS variant, count(*)::int AS conversations,
          (count(*) FILTER (WHERE EXISTS (
            SELECT 1 FROM analytics_events e
            WHERE e.tenant_id = c.tenant_id AND e.conversation_id = c.id AND e.type = ${goal.event}::text)))::int
            AS conversions
        FROM conversations c WHERE c.tenant_id = ${tenantId} AND c.experiment_id = ${experimentId}
        GROUP BY c.experiment_variant`;
      break;
  }
  const counts: VariantCounts = new Map();
  for (const row of rows) {
    if (row.variant !== null) {
      counts.set(row.variant, {
        conversations: Number(row.conversations),
        conversions: Number(row.conversions),
      });
    }
  }
  return counts;
}
