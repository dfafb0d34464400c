import type pg from "pg";
import {
  MigrationChecksumError,
  MigrationFailedError,
  SchemaAheadError,
  SchemaOutdatedError,
} from "../errors";
import { loadMigrationFiles, type MigrationFile } from "./migration-files";

/** Where the migrations come from; defaults to the repository's prisma/migrations. */
export interface MigrationSource {
  migrationsDir?: string;
}

/** Options of {@link applyMigrations}. */
export interface ApplyMigrationsOptions extends MigrationSource {
  /** Called after each migration commits. */
  onApplied?: (migration: { name: string; durationMs: number }) => void;
}

/** How the database's migrations compare with the code's. */
export interface MigrationStatus {
  /** Applied and unchanged, in order. */
  readonly applied: readonly string[];
  /** In the code base, not applied yet, in apply order. */
  readonly pending: readonly string[];
  /** Applied, but unknown to this code base (a newer version migrated the database). */
  readonly unknown: readonly string[];
  /** Applied, but the file changed since. */
  readonly changed: readonly string[];
  /** True when nothing is pending, unknown or changed. */
  readonly upToDate: boolean;
}

/** The table recording applied migrations. Not part of the Prisma schema. */
export const MIGRATIONS_TABLE = "parley_migrations";

/** Arbitrary constant key of the advisory lock that serialises migration runs across processes. */
const MIGRATION_LOCK_KEY = 7_362_814_402;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
  name text PRIMARY KEY,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  execution_ms integer NOT NULL
)`;

/**
 * Applies pending migrations, each in its own transaction, under a session advisory lock so two processes
 * starting at once do not both apply them. Each transaction re-checks that its migration is still
 * unapplied, which also covers the embedded server (where all connections share one session and the
 * advisory lock cannot exclude anyone).
 *
 * Refuses to run when an applied migration's file changed ({@link MigrationChecksumError}) or the database
 * has migrations this code does not know ({@link SchemaAheadError}). Returns the names it applied.
 */
export async function applyMigrations(
  pool: pg.Pool,
  options: ApplyMigrationsOptions = {},
): Promise<string[]> {
  const files = loadMigrationFiles(options.migrationsDir);
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      await client.query(CREATE_TABLE);
      const status = compare(files, await readApplied(client));
      if (status.changed.length > 0) throw new MigrationChecksumError(status.changed);
      if (status.unknown.length > 0) throw new SchemaAheadError(status.unknown);
      const appliedNow: string[] = [];
      for (const file of files.filter((f) => status.pending.includes(f.name))) {
        if (await applyOne(client, file, options)) appliedNow.push(file.name);
      }
      return appliedNow;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

/** Compares the database's applied migrations with the code's (read-only). */
export async function readMigrationStatus(
  pool: pg.Pool,
  source: MigrationSource = {},
): Promise<MigrationStatus> {
  const files = loadMigrationFiles(source.migrationsDir);
  const exists = await pool.query<{ exists: boolean }>("SELECT to_regclass($1) IS NOT NULL AS exists", [
    MIGRATIONS_TABLE,
  ]);
  const applied = exists.rows[0]?.exists ? await readApplied(pool) : new Map<string, string>();
  return compare(files, applied);
}

/**
 * Throws unless the database is exactly on this code's schema: {@link SchemaOutdatedError} when migrations
 * are pending, {@link SchemaAheadError} when it is newer, {@link MigrationChecksumError} when a file changed.
 */
export async function assertSchemaCurrent(pool: pg.Pool, source: MigrationSource = {}): Promise<void> {
  const status = await readMigrationStatus(pool, source);
  if (status.changed.length > 0) throw new MigrationChecksumError(status.changed);
  if (status.unknown.length > 0) throw new SchemaAheadError(status.unknown);
  if (status.pending.length > 0) throw new SchemaOutdatedError(status.pending);
}

async function readApplied(queryable: pg.Pool | pg.PoolClient): Promise<Map<string, string>> {
  const result = await queryable.query<{ name: string; checksum: string }>(
    `SELECT name, checksum FROM ${MIGRATIONS_TABLE} ORDER BY name`,
  );
  return new Map(result.rows.map((row) => [row.name, row.checksum]));
}

function compare(files: readonly MigrationFile[], applied: ReadonlyMap<string, string>): MigrationStatus {
  const known = new Set(files.map((f) => f.name));
  const status = {
    applied: files.filter((f) => applied.get(f.name) === f.checksum).map((f) => f.name),
    pending: files.filter((f) => !applied.has(f.name)).map((f) => f.name),
    changed: files
      .filter((f) => applied.has(f.name) && applied.get(f.name) !== f.checksum)
      .map((f) => f.name),
    unknown: [...applied.keys()].filter((name) => !known.has(name)),
  };
  return {
    ...status,
    upToDate: status.pending.length === 0 && status.changed.length === 0 && status.unknown.length === 0,
  };
}

/** Applies one migration in a transaction; false when another process applied it meanwhile. */
async function applyOne(client: pg.PoolClient, file: MigrationFile, options: ApplyMigrationsOptions) {
  const started = Date.now();
  await client.query("BEGIN");
  try {
    const already = await client.query(`SELECT 1 FROM ${MIGRATIONS_TABLE} WHERE name = $1`, [file.name]);
    if (already.rowCount) {
      await client.query("COMMIT");
      return false;
    }
    try {
      // No parameters: the simple query protocol, which accepts a whole multi-statement script.
      await client.query(file.sql);
    } catch (error) {
      throw new MigrationFailedError(file.name, describeSqlError(error, file.sql), { cause: error });
    }
    const durationMs = Date.now() - started;
    await client.query(`INSERT INTO ${MIGRATIONS_TABLE} (name, checksum, execution_ms) VALUES ($1, $2, $3)`, [
      file.name,
      file.checksum,
      durationMs,
    ]);
    await client.query("COMMIT");
    options.onApplied?.({ name: file.name, durationMs });
    return true;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

/** The server's message plus the line of migration.sql it points at, when it says. */
function describeSqlError(error: unknown, sql: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = Number((error as { position?: string }).position);
  if (!Number.isInteger(position) || position <= 0) return message;
  const line = sql.slice(0, position).split("\n").length;
  return `${message} (migration.sql line ${line})`;
}
