import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** One migration as committed under prisma/migrations/<name>/migration.sql. */
export interface MigrationFile {
  /** Folder name: `<14-digit UTC timestamp>_<snake_case_name>`; sorting by it gives the apply order. */
  readonly name: string;
  readonly sql: string;
  /** sha256 of the SQL with line endings normalised, so a checkout with CRLF does not look "changed". */
  readonly checksum: string;
}

/** The repository's prisma/migrations directory (resolved from this file, so it works from any cwd). */
export const defaultMigrationsDir = join(
  dirname(fileURLToPath(import.meta.url)),
  "../../../../prisma/migrations",
);

const MIGRATION_NAME = /^\d{14}_[a-z0-9_]+$/;

/** Reads and orders the migrations in `dir`; a malformed folder is an error naming it. */
export function loadMigrationFiles(dir: string = defaultMigrationsDir): MigrationFile[] {
  if (!existsSync(dir)) throw new Error(`Migrations directory not found: ${dir}`);
  return readdirSync(dir)
    .filter((entry) => statSync(join(dir, entry)).isDirectory())
    .sort()
    .map((name) => {
      if (!MIGRATION_NAME.test(name)) {
        throw new Error(
          `Migration folder ${join(dir, name)} is not named <YYYYMMDDHHMMSS>_<snake_case_name>`,
        );
      }
      const file = join(dir, name, "migration.sql");
      if (!existsSync(file)) throw new Error(`Migration ${name} has no migration.sql (${file})`);
      const sql = readFileSync(file, "utf8");
      return { name, sql, checksum: checksumOf(sql) };
    });
}

/** Checksum of migration SQL as stored in the migrations table. */
export function checksumOf(sql: string): string {
  return createHash("sha256").update(sql.replace(/\r\n/g, "\n")).digest("hex");
}
