import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  MigrationChecksumError,
  MigrationFailedError,
  SchemaAheadError,
  SchemaOutdatedError,
} from "../errors";
import { availableTestDatabaseKinds, createTestDatabase, type TestDatabase } from "../testing/index";
import { applyMigrations, assertSchemaCurrent, readMigrationStatus } from "./migration-runner";

const kinds = await availableTestDatabaseKinds();

/** Writes migration folders into a fresh directory. */
function migrationsDir(migrations: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "parley-migrations-"));
  for (const [name, sql] of Object.entries(migrations)) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

describe.each(kinds)("migration runner on %s", (kind) => {
  let testDb: TestDatabase;
  let pool: pg.Pool;
  const dirs: string[] = [];
  const dir = (migrations: Record<string, string>) => {
    const created = migrationsDir(migrations);
    dirs.push(created);
    return created;
  };
  const tables = async () =>
    (
      await pool.query<{ name: string }>(
        "SELECT relname::text AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY 1",
      )
    ).rows.map((row) => row.name);

  beforeAll(async () => {
    testDb = await createTestDatabase({ kind, migrate: false });
    pool = new pg.Pool({ connectionString: testDb.url, max: 2 });
  });
  afterEach(async () => {
    await pool.query("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
  });
  afterAll(async () => {
    await pool?.end();
    await testDb?.cleanup();
    for (const created of dirs) rmSync(created, { recursive: true, force: true });
  });

  it("applies pending migrations in name order and records them", async () => {
    const source = {
      migrationsDir: dir({
        "20260101000001_b": "ALTER TABLE a ADD COLUMN note text;",
        "20260101000000_a": "CREATE TABLE a (id int PRIMARY KEY);\nCREATE INDEX a_id ON a (id);",
      }),
    };
    expect((await readMigrationStatus(pool, source)).pending).toEqual([
      "20260101000000_a",
      "20260101000001_b",
    ]);
    const seen: string[] = [];
    const applied = await applyMigrations(pool, { ...source, onApplied: (m) => seen.push(m.name) });
    expect(applied).toEqual(["20260101000000_a", "20260101000001_b"]);
    expect(seen).toEqual(applied);
    const status = await readMigrationStatus(pool, source);
    expect(status).toMatchObject({ applied, pending: [], upToDate: true });
    await expect(assertSchemaCurrent(pool, source)).resolves.toBeUndefined();
    expect(await applyMigrations(pool, source)).toEqual([]);
    const columns = await pool.query("SELECT note FROM a");
    expect(columns.fields.map((f) => f.name)).toEqual(["note"]);
  });

  it("rolls back a failing migration, keeps the earlier ones, and names the file and line", async () => {
    const source = {
      migrationsDir: dir({
        "20260101000000_ok": "CREATE TABLE ok (id int);",
        "20260101000001_bad": "CREATE TABLE half (id int);\nSELECT 1;\nSELECT no_such_column FROM ok;",
      }),
    };
    const failure = await applyMigrations(pool, source).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MigrationFailedError);
    expect((failure as MigrationFailedError).migration).toBe("20260101000001_bad");
    expect((failure as Error).message).toMatch(/no_such_column.*line 3/);
    expect(await tables()).toEqual(["ok", "parley_migrations"]);
    expect((await readMigrationStatus(pool, source)).pending).toEqual(["20260101000001_bad"]);
    await expect(assertSchemaCurrent(pool, source)).rejects.toBeInstanceOf(SchemaOutdatedError);
  });

  it("refuses to run when an applied migration's file changed", async () => {
    const original = dir({ "20260101000000_a": "CREATE TABLE a (id int);" });
    await applyMigrations(pool, { migrationsDir: original });
    const edited = dir({
      "20260101000000_a": "CREATE TABLE a (id bigint);",
      "20260101000001_b": "CREATE TABLE b (id int);",
    });
    const failure = await applyMigrations(pool, { migrationsDir: edited }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MigrationChecksumError);
    expect((failure as Error).message).toContain("20260101000000_a");
    expect(await tables()).toEqual(["a", "parley_migrations"]);
    expect((await readMigrationStatus(pool, { migrationsDir: edited })).changed).toEqual([
      "20260101000000_a",
    ]);
  });

  it("treats CRLF line endings as the same file", async () => {
    await applyMigrations(pool, {
      migrationsDir: dir({ "20260101000000_a": "CREATE TABLE a (id int);\nSELECT 1;\n" }),
    });
    const crlf = dir({ "20260101000000_a": "CREATE TABLE a (id int);\r\nSELECT 1;\r\n" });
    expect((await readMigrationStatus(pool, { migrationsDir: crlf })).upToDate).toBe(true);
  });

  it("refuses a database migrated by a newer version", async () => {
    await applyMigrations(pool, {
      migrationsDir: dir({ "20260101000000_a": "SELECT 1;", "20260101000001_newer": "SELECT 1;" }),
    });
    const older = { migrationsDir: dir({ "20260101000000_a": "SELECT 1;" }) };
    await expect(applyMigrations(pool, older)).rejects.toBeInstanceOf(SchemaAheadError);
    await expect(assertSchemaCurrent(pool, older)).rejects.toThrow(/newer version/);
  });

  it("applies each migration exactly once when two processes start at the same moment", async () => {
    const source = {
      migrationsDir: dir({
        "20260101000000_a": "CREATE TABLE a (id int); SELECT pg_sleep(0.2);",
        "20260101000001_b": "CREATE TABLE b (id int); SELECT pg_sleep(0.1);",
        "20260101000002_c": "CREATE TABLE c (id int);",
      }),
    };
    const other = new pg.Pool({ connectionString: testDb.url, max: 1 });
    try {
      const [first, second] = await Promise.all([
        applyMigrations(pool, source),
        applyMigrations(other, source),
      ]);
      expect([...first, ...second].sort()).toEqual([
        "20260101000000_a",
        "20260101000001_b",
        "20260101000002_c",
      ]);
      expect(await tables()).toEqual(["a", "b", "c", "parley_migrations"]);
    } finally {
      await other.end();
    }
  });
});
