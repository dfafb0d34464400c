import type pg from "pg";
import { z } from "zod";
import { TenantScopeError } from "../errors";
import { joinSql, type SqlText, sql } from "./sql-text";

/** Rows of one statement of a batch, as pg parsed them (json/jsonb parsed, timestamptz as Date). */
export type BatchRows = Record<string, unknown>[];

const tenantIdSchema = z
  .string({ error: "a tenant id is required (got a non-string)" })
  .refine((id) => id.trim().length > 0, "a tenant id must not be empty");

/**
 * Runs `statements` in ONE transaction and ONE round trip, as `parley_app` with `app.tenant_id` set
 * (so row-level security guards every statement, as it does for the tenant-scoped Prisma client):
 * `BEGIN; set tenant context; ...statements; COMMIT` in one simple-protocol message. A failing
 * statement rolls everything back (nothing half written) and rejects with the server's error.
 * Returns the rows of each statement, in order. The statements must also filter by `tenant_id`
 * themselves: row-level security is the second wall, not the first.
 * @throws TenantScopeError for a missing or blank tenant id
 */
export async function runTenantBatch(
  pool: pg.Pool,
  tenantId: string,
  statements: readonly SqlText[],
): Promise<BatchRows[]> {
  const parsed = tenantIdSchema.safeParse(tenantId);
  if (!parsed.success) {
    throw new TenantScopeError(`tenant batch: ${parsed.error.issues[0]?.message ?? "invalid tenant id"}`);
  }
  if (statements.length === 0) return [];
  const context = sql`SELECT set_config('role', 'parley_app', true), set_config('app.tenant_id', ${parsed.data}, true)`;
  const text = `BEGIN;${context.text};${joinSql(statements, ";").text};COMMIT`;
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const results = (await client.query(text)) as unknown as pg.QueryResult[];
    return results.slice(2, 2 + statements.length).map((result) => result.rows as BatchRows);
  } catch (error) {
    // The transaction is aborted (or was never started): end it before the connection is reused.
    try {
      await client.query("ROLLBACK");
    } catch (rollbackError) {
      broken = rollbackError as Error;
    }
    throw error;
  } finally {
    // A connection that could not roll back is discarded instead of returned to the pool.
    client.release(broken);
  }
}
