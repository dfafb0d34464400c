/**
 * `@parley/db/embedded`: what a process that hosts the embedded database (or only migrates a
 * database) needs, without the Prisma client and its query engine: the PGlite server and the
 * migrations. `parley start` keeps this process alive next to PGlite for the product's whole life,
 * so it stays small; everything else uses the main entry `@parley/db`.
 */
export {
  DatabaseUnreachableError,
  DataDirCorruptError,
  DataDirForeignError,
  DataDirInUseError,
  MigrationChecksumError,
  MigrationFailedError,
  ParleyDbError,
  PortInUseError,
  SchemaAheadError,
  SchemaOutdatedError,
} from "../errors";
export { migrateAt } from "../migrations/migrate-at";
export { defaultMigrationsDir, loadMigrationFiles, type MigrationFile } from "../migrations/migration-files";
export { type ApplyMigrationsOptions, applyMigrations } from "../migrations/migration-runner";
export { DB_PASSWORD_FILE, loadOrCreateDbPassword } from "./db-password";
export {
  EMBEDDED_POOL_SIZE,
  type EmbeddedPostgres,
  type EmbeddedPostgresOptions,
  embeddedDatabaseUrl,
  embeddedPostgresOptionsSchema,
  startEmbeddedPostgres,
} from "./embedded-postgres";
