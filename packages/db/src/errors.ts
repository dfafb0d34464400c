/**
 * Typed errors of @parley/db. Each message says what is wrong and what to do, so the CLI can print it as
 * is and exit non-zero; `code` is stable for programmatic handling.
 */

/** Base class of every error this package throws on purpose. */
export class ParleyDbError extends Error {
  /** Stable machine-readable code. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The database server could not be reached or refused the connection. */
export class DatabaseUnreachableError extends ParleyDbError {
  /** The connection URL with any password removed. */
  readonly url: string;

  constructor(url: string, reason: string, options?: { cause?: unknown }) {
    super(
      "DATABASE_UNREACHABLE",
      `Cannot connect to the database at ${url}: ${reason}. Check that Postgres is running and DATABASE_URL is ` +
        "right, or unset DATABASE_URL to use the embedded database.",
      options,
    );
    this.url = url;
  }
}

/** The embedded data directory exists but is not a database PGlite can open. */
export class DataDirCorruptError extends ParleyDbError {
  /** The directory in question. */
  readonly dataDir: string;

  constructor(dataDir: string, reason: string, options?: { cause?: unknown }) {
    super(
      "DATA_DIR_CORRUPT",
      `The embedded database in ${dataDir} cannot be opened (${reason}). Restore it from a backup, or move ` +
        "the directory away to start with an empty database.",
      options,
    );
    this.dataDir = dataDir;
  }
}

/** The embedded data directory holds files that are not a Postgres data directory. */
export class DataDirForeignError extends ParleyDbError {
  /** The directory in question. */
  readonly dataDir: string;

  constructor(dataDir: string, reason: string) {
    super(
      "DATA_DIR_FOREIGN",
      `${dataDir} is not an embedded Parley database (${reason}). Point the data directory at an empty or ` +
        "missing directory, or remove what is there.",
    );
    this.dataDir = dataDir;
  }
}

/** Another live process already serves the embedded data directory. */
export class DataDirInUseError extends ParleyDbError {
  /** The directory in question. */
  readonly dataDir: string;
  /** Process id recorded in the lock file. */
  readonly pid: number;

  constructor(dataDir: string, pid: number) {
    super(
      "DATA_DIR_IN_USE",
      `The embedded database in ${dataDir} is already in use by process ${pid}. Stop that process first ` +
        "(two processes on one data directory would corrupt it).",
    );
    this.dataDir = dataDir;
    this.pid = pid;
  }
}

/** The TCP port for the embedded database server is taken. */
export class PortInUseError extends ParleyDbError {
  /** Host the server tried to bind. */
  readonly host: string;
  /** Port the server tried to bind. */
  readonly port: number;

  constructor(host: string, port: number, options?: { cause?: unknown }) {
    super(
      "PORT_IN_USE",
      `Port ${port} on ${host} is already in use, so the embedded database cannot listen there. Stop the ` +
        "other process or choose another port.",
      options,
    );
    this.host = host;
    this.port = port;
  }
}

/** An applied migration's file changed after it was applied. */
export class MigrationChecksumError extends ParleyDbError {
  /** Names of the migrations whose files no longer match what was applied. */
  readonly migrations: readonly string[];

  constructor(migrations: readonly string[]) {
    super(
      "MIGRATION_CHECKSUM_MISMATCH",
      `Applied migration file(s) changed since they were applied: ${migrations.join(", ")}. Migrations are ` +
        "immutable once applied: restore the original file(s) and put the change in a new migration.",
    );
    this.migrations = migrations;
  }
}

/** A migration's SQL failed; its transaction was rolled back. */
export class MigrationFailedError extends ParleyDbError {
  /** Name of the failing migration. */
  readonly migration: string;

  constructor(migration: string, reason: string, options?: { cause?: unknown }) {
    super(
      "MIGRATION_FAILED",
      `Migration ${migration} failed and was rolled back: ${reason}. Fix the database or the migration and run ` +
        "`parley migrate` again.",
      options,
    );
    this.migration = migration;
  }
}

/** The database lacks migrations this code needs (it is on an older schema). */
export class SchemaOutdatedError extends ParleyDbError {
  /** Migrations not yet applied, oldest first. */
  readonly pending: readonly string[];

  constructor(pending: readonly string[]) {
    super(
      "SCHEMA_OUTDATED",
      `The database is on an older schema: ${pending.length} migration(s) not applied (${pending.join(", ")}). ` +
        "Run `parley migrate` (or `npm start`, which migrates) first.",
    );
    this.pending = pending;
  }
}

/** The database has migrations this code does not know (it was migrated by a newer version). */
export class SchemaAheadError extends ParleyDbError {
  /** Applied migrations missing from this code base. */
  readonly unknown: readonly string[];

  constructor(unknown: readonly string[]) {
    super(
      "SCHEMA_AHEAD",
      `The database was migrated by a newer version of Parley (unknown migration(s): ${unknown.join(", ")}). ` +
        "Run the newer version, or restore a backup taken before it.",
    );
    this.unknown = unknown;
  }
}

/** A tenant-scoped operation was attempted without a usable tenant id, or outside its tenant. */
export class TenantScopeError extends ParleyDbError {
  constructor(message: string) {
    super("TENANT_SCOPE", message);
  }
}
