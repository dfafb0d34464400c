import pg from "pg";

/**
 * Built-in Postgres types that @prisma/adapter-pg 6.19.3 refuses to read ("Failed to deserialize column of
 * type 'name'"), mapped to a type it reads. Their text form is the natural value, so raw queries like
 * `SELECT current_user`, `SELECT pg_advisory_lock(1)` or `SELECT 'bots'::regclass` simply return strings
 * instead of failing. (interval is not in the list: pg parses it into an object; cast it in SQL.)
 */
const READ_AS: ReadonlyMap<number, number> = new Map([
  [18, 25], // "char"
  [19, 25], // name
  [24, 25], // regproc
  [28, 25], // xid
  [29, 25], // cid
  [194, 25], // pg_node_tree
  [2205, 25], // regclass
  [2206, 25], // regtype
  [2278, 25], // void
  [3614, 25], // tsvector
  [3615, 25], // tsquery
  [3734, 25], // regconfig
  [4089, 25], // regnamespace
  [4096, 25], // regrole
  [1003, 1009], // name[] -> text[]
]);

type QueryResultLike = { fields?: Array<{ dataTypeID: number }> };

/**
 * `pg.Client` whose `query` (promise or callback form) reports the types above as text (internal; the pool
 * of `openDatabase` uses it). Values are untouched: pg already returns these types as strings.
 */
export class TolerantPgClient extends pg.Client {}

const originalQuery = pg.Client.prototype.query;
TolerantPgClient.prototype.query = function query(this: pg.Client, ...args: unknown[]) {
  // pg-pool's own pool.query() passes a callback; transactions use the promise form.
  const last = args.length - 1;
  const callback = args[last];
  if (typeof callback === "function") {
    args[last] = (error: unknown, result: unknown) => callback(error, error ? result : relabel(result));
  }
  const result = (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
  if (result instanceof Promise) return result.then(relabel);
  return result;
} as typeof originalQuery;

function relabel<T>(result: T): T {
  for (const field of (result as QueryResultLike)?.fields ?? []) {
    const replacement = READ_AS.get(field.dataTypeID);
    if (replacement !== undefined) field.dataTypeID = replacement;
  }
  return result;
}
