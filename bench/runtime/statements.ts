/**
 * What the database did per turn over a measured window, from the server's own counters:
 * - statements (pg_stat_statements, when the server preloads it and the admin database has the
 *   extension): top-level statements per turn (what the runtime and the relay send; the statements
 *   inside parley_commit_step are counted apart as nested), and the statements that took most of
 *   the database's execution time;
 * - row updates of `conversations` (pg_stat_user_tables): how many were HOT (no index entry written),
 *   the figure the turn's conversation UPDATE is tuned for.
 * Counters are cumulative, so a window is the difference of two readings.
 */
import type { Database } from "@parley/db";
import type pg from "pg";

const round = (value: number) => Math.round(value * 100) / 100;

/** One statement's counters (pg_stat_statements row of the bench's database). */
interface StatementCounter {
  query: string;
  toplevel: boolean;
  calls: number;
  ms: number;
}

/** A reading of the counters. */
export interface DatabaseReading {
  statements?: Map<string, StatementCounter>;
  conversations: { updates: number; hotUpdates: number };
}

/** The window's figures per turn. */
export interface DatabaseWindow {
  statementsPerTurn?: {
    /** Statements clients sent (BEGIN and COMMIT included). */
    topLevel: number;
    /** Statements run inside functions (parley_commit_step's INSERTs and UPDATE). */
    nested: number;
    /** Execution time of the top-level statements per turn, in ms (nested time is inside it). */
    executionMs: number;
    /** The statements with the most execution time: share of it, calls per turn, text (cut). */
    top: { share: number; callsPerTurn: number; query: string }[];
  };
  conversationUpdates: { perTurn: number; hotShare: number | null };
}

/** Reads the counters: statements through `admin` (null when pg_stat_statements is not there). */
export async function readDatabase(
  admin: pg.Client,
  databaseName: string,
  db: Database,
): Promise<DatabaseReading> {
  let statements: Map<string, StatementCounter> | undefined;
  try {
    const { rows } = await admin.query<{
      key: string;
      query: string;
      toplevel: boolean;
      calls: string;
      ms: number;
    }>(
      `SELECT queryid::text || ':' || toplevel::text AS key, query, toplevel, calls, total_exec_time AS ms
       FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = $1)`,
      [databaseName],
    );
    statements = new Map(
      rows.map((row) => [
        row.key,
        { query: row.query, toplevel: row.toplevel, calls: Number(row.calls), ms: row.ms },
      ]),
    );
  } catch {
    // No pg_stat_statements here: only the table counters.
  }
  const [table] = await db.system.$queryRawUnsafe<{ updates: bigint; hot: bigint }[]>(
    `SELECT n_tup_upd AS updates, n_tup_hot_upd AS hot FROM pg_stat_user_tables WHERE relname = 'conversations'`,
  );
  return {
    ...(statements ? { statements } : {}),
    conversations: { updates: Number(table?.updates ?? 0), hotUpdates: Number(table?.hot ?? 0) },
  };
}

/** The figures per turn between two readings, `turns` turns apart. */
export function databaseWindow(
  before: DatabaseReading,
  after: DatabaseReading,
  turns: number,
): DatabaseWindow {
  const updates = after.conversations.updates - before.conversations.updates;
  const hot = after.conversations.hotUpdates - before.conversations.hotUpdates;
  const window: DatabaseWindow = {
    conversationUpdates: {
      perTurn: round(updates / turns),
      hotShare: updates > 0 ? round(hot / updates) : null,
    },
  };
  if (!before.statements || !after.statements) return window;
  let topLevel = 0;
  let nested = 0;
  let executionMs = 0;
  const deltas: { calls: number; ms: number; query: string; toplevel: boolean }[] = [];
  for (const [key, counter] of after.statements) {
    const previous = before.statements.get(key);
    const calls = counter.calls - (previous?.calls ?? 0);
    const ms = counter.ms - (previous?.ms ?? 0);
    if (calls <= 0) continue;
    if (counter.toplevel) {
      topLevel += calls;
      executionMs += ms;
    } else nested += calls;
    deltas.push({ calls, ms, query: counter.query, toplevel: counter.toplevel });
  }
  // Shares of the top-level time, with nested statements shown beside their caller.
  deltas.sort((a, b) => b.ms - a.ms);
  window.statementsPerTurn = {
    topLevel: round(topLevel / turns),
    nested: round(nested / turns),
    executionMs: Math.round((executionMs / turns) * 1000) / 1000,
    top: deltas.slice(0, 12).map((delta) => ({
      share: executionMs > 0 ? round(delta.ms / executionMs) : 0,
      callsPerTurn: Math.round((delta.calls / turns) * 1000) / 1000,
      query: `${delta.toplevel ? "" : "(nested) "}${delta.query.replace(/\s+/g, " ").slice(0, 140)}`,
    })),
  };
  return window;
}
