import type { CoreDeps } from "../context";

type Tx = Parameters<Parameters<CoreDeps["db"]["system"]["$transaction"]>[0]>[0];

/** A rollup table as compaction sees it: keyed by (tenant_id, grain, bucket, ...keys), every other column a sum. */
export interface RollupTable {
  name: "analytics_rollups" | "analytics_cohort_rollups" | "analytics_cost_rollups";
  /** Key columns after tenant_id, grain and bucket, in the unique key's order. */
  keys: readonly string[];
  /** Summed columns: rows with equal keys merge by adding them. */
  sums: readonly string[];
}

/**
 * Moves `table`'s `fine` rows of `tenantId` older than `before` (truncated to a whole `coarse` bucket) into
 * `coarse` rows, in one statement (internal). Every column but the key is a sum, so the move is exact.
 *
 * @example
 * await compactRows(tx, { name: "analytics_rollups", keys: ["bot_id", "metric"], sums: ["value"] },
 *   tenantId, "minute", "hour", cutoff);
 */
export function compactRows(
  tx: Tx,
  table: RollupTable,
  tenantId: string,
  fine: "minute" | "hour",
  coarse: "hour" | "day",
  before: Date,
): Promise<number> {
  const key = ["tenant_id", "grain", "bucket", ...table.keys].join(", ");
  const groupBy = Array.from({ length: 3 + table.keys.length }, (_, i) => i + 1).join(", ");
  return tx.$executeRawUnsafe(
    `WITH gone AS (
       DELETE FROM ${table.name}
       WHERE tenant_id = $1 AND grain = $2 AND bucket < date_trunc($3::text, $4::timestamptz, 'UTC')
       RETURNING *
     )
     INSERT INTO ${table.name} (${key}, ${table.sums.join(", ")})
     SELECT tenant_id, $3::text, date_trunc($3::text, bucket, 'UTC'), ${table.keys.join(", ")},
            ${table.sums.map((column) => `sum(${column})`).join(", ")}
     FROM gone GROUP BY ${groupBy}
     ON CONFLICT (${key}) DO UPDATE SET ${table.sums
       .map((column) => `${column} = ${table.name}.${column} + excluded.${column}`)
       .join(", ")}`,
    tenantId,
    fine,
    coarse,
    before,
  );
}
