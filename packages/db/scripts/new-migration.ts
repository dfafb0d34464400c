/**
 * Creates prisma/migrations/<UTC timestamp>_<name>/migration.sql.
 *
 *   npm run migration:new -w @parley/db -- <name>                 SQL for schema.prisma changes since git HEAD
 *   npm run migration:new -w @parley/db -- <name> --from <rev>    ... since another git revision
 *   npm run migration:new -w @parley/db -- <name> --empty         an empty file for hand-written SQL
 *
 * Uses `prisma migrate diff` between two datamodels (offline; see prisma.config.ts). Afterwards run
 * `npm run generate -w @parley/db` and the package tests: the schema parity test fails until the
 * migrations produce exactly what schema.prisma describes. A migration that adds a tenant-owned table
 * must end with `SELECT parley_secure_tenant_tables();` (the row-level security test checks it).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { diffSchemas, migrationsDir, repoRoot, schemaPath } from "../src/tooling/prisma-cli";

const usage =
  "usage: npm run migration:new -w @parley/db -- <snake_case_name> [--from <git revision>] [--empty]";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { from: { type: "string", default: "HEAD" }, empty: { type: "boolean", default: false } },
});
const name = positionals[0];
if (positionals.length !== 1 || name === undefined || !/^[a-z0-9_]+$/.test(name)) {
  console.error(`migration name: expected one snake_case name, got ${JSON.stringify(positionals)}\n${usage}`);
  process.exit(2);
}

const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = join(migrationsDir, `${stamp}_${name}`);

let sql: string;
if (values.empty) {
  sql =
    "-- Hand-written migration. Runs in one transaction: no BEGIN/COMMIT, no CREATE INDEX CONCURRENTLY.\n";
} else {
  const scratch = mkdtempSync(join(tmpdir(), "parley-migration-"));
  try {
    const previous = join(scratch, "previous.prisma");
    const gitPath = relative(repoRoot, schemaPath);
    writeFileSync(previous, execFileSync("git", ["show", `${values.from}:${gitPath}`], { cwd: repoRoot }));
    sql = await diffSchemas(previous, schemaPath);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (sql.trim() === "" || /^-- This is an empty migration\.?\s*$/.test(sql.trim())) {
    console.error(
      `schema.prisma has no changes since ${values.from}; nothing to migrate (use --empty for SQL)`,
    );
    process.exit(1);
  }
}

mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, "migration.sql"), sql);
console.log(`Created ${relative(process.cwd(), join(dir, "migration.sql"))}`);
