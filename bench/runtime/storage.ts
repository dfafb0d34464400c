/**
 * Where a database's bytes go, per stored message: each table the turns write (heap, indexes,
 * TOAST; live and dead row versions) and each index of `messages`, so a growing figure can be
 * traced to its cause (dead conversation rows, JSON snapshots, an index that costs more than it
 * serves). Shared by bench/runtime and bench/growth.
 */
import { type Database, HOT_TABLES } from "@parley/db";

const round = (value: number) => Math.round(value * 100) / 100;

/** One table's share of the storage, in bytes per stored message. */
export interface TableStorage {
  heap: number;
  indexes: number;
  toast: number;
  total: number;
  liveRows: number;
  deadRows: number;
}

/** The storage breakdown of a database, per stored message. */
export interface StorageBreakdown {
  messages: number;
  /** Every hot table together (heap + indexes + TOAST), per message: the figure to keep under 1,500. */
  bytesPerMessage: number;
  /** The whole database (catalogs and every other table included), per message. */
  databaseBytesPerMessage: number;
  tables: Record<string, TableStorage>;
  /** Each index of `messages`, bytes per message. */
  messageIndexes: Record<string, number>;
}

/** Measures `db` now (statistics of dead rows are the server's; they lag a commit by up to a second). */
export async function storageBreakdown(db: Database): Promise<StorageBreakdown> {
  const [count] = await db.system.$queryRawUnsafe<{ n: bigint; database: bigint }[]>(
    "SELECT (SELECT count(*) FROM messages) AS n, pg_database_size(current_database()) AS database",
  );
  const messages = Math.max(1, Number(count?.n ?? 0));
  const per = (bytes: bigint | number) => round(Number(bytes) / messages);
  const rows = await db.system.$queryRawUnsafe<
    { name: string; heap: bigint; indexes: bigint; toast: bigint; live: bigint; dead: bigint }[]
  >(
    `SELECT c.relname AS name, pg_relation_size(c.oid) AS heap, pg_indexes_size(c.oid) AS indexes,
       coalesce(pg_total_relation_size(c.reltoastrelid), 0) AS toast,
       coalesce(s.n_live_tup, 0) AS live, coalesce(s.n_dead_tup, 0) AS dead
     FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
     WHERE c.relkind = 'r' AND c.relname IN (${HOT_TABLES.map((table) => `'${table}'`).join(", ")})`,
  );
  const tables: Record<string, TableStorage> = {};
  let hot = 0;
  for (const row of rows) {
    const total = Number(row.heap) + Number(row.indexes) + Number(row.toast);
    hot += total;
    tables[row.name] = {
      heap: per(row.heap),
      indexes: per(row.indexes),
      toast: per(row.toast),
      total: per(total),
      liveRows: Number(row.live),
      deadRows: Number(row.dead),
    };
  }
  const indexes = await db.system.$queryRawUnsafe<{ name: string; bytes: bigint }[]>(
    `SELECT i.relname AS name, pg_relation_size(i.oid) AS bytes
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
     WHERE t.relname = 'messages' ORDER BY 2 DESC`,
  );
  return {
    messages,
    bytesPerMessage: per(hot),
    databaseBytesPerMessage: per(count?.database ?? 0),
    tables,
    messageIndexes: Object.fromEntries(indexes.map((index) => [index.name, per(index.bytes)])),
  };
}
