/**
 * `@parley/db/testing`: fresh, migrated databases for tests of any package.
 *
 * ```ts
 * const testDb = await createTestDatabase();          // real Postgres when reachable, else embedded
 * afterAll(() => testDb.cleanup());
 * const bots = await testDb.db.forTenant(tenantId).bot.findMany();
 * ```
 */
import { type Database, openDatabase } from "../client/open-database";
import { EMBEDDED_POOL_SIZE } from "../embedded/embedded-postgres";
import { startEmbeddedFromTemplate } from "./embedded-template";
import { createScratchDatabase, isRealPostgresReachable } from "./real-postgres";

/** Which server a test database lives on. */
export type TestDatabaseKind = "postgres" | "embedded";

/** Options of {@link createTestDatabase}. */
export interface CreateTestDatabaseOptions {
  /**
   * "postgres": a new database on the shared Postgres (127.0.0.1:5432, or PARLEY_TEST_POSTGRES_URL), failing
   * if it is unreachable; "embedded": an in-memory PGlite server; "auto" (default): postgres when
   * reachable, else embedded. PARLEY_TEST_DATABASE=embedded|postgres overrides "auto".
   */
  kind?: TestDatabaseKind | "auto";
  /** Apply the migrations (default true). Without, the database is empty. */
  migrate?: boolean;
}

/** A database for one test suite. */
export interface TestDatabase {
  /** Open and (unless disabled) migrated. */
  readonly db: Database;
  /** Connection URL, e.g. for a child process or `pg`. */
  readonly url: string;
  readonly kind: TestDatabaseKind;
  /** Closes the connection and drops the database (or stops the embedded server). Safe to call twice. */
  cleanup(): Promise<void>;
}

/** Creates a fresh database for a test suite; see {@link CreateTestDatabaseOptions}. */
export async function createTestDatabase(options: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  const kind = await resolveKind(options.kind ?? "auto");
  const migrate = options.migrate ?? true;
  if (kind === "postgres") {
    const scratch = await createScratchDatabase();
    try {
      const db = await openDatabase({ url: scratch.url, poolSize: 5 });
      if (migrate) await db.migrate();
      return handle(db, scratch.url, kind, scratch.drop);
    } catch (error) {
      await scratch.drop();
      throw error;
    }
  }
  const server = await startEmbeddedFromTemplate(migrate ? "migrated" : "blank");
  try {
    const db = await openDatabase({
      url: server.url,
      poolSize: EMBEDDED_POOL_SIZE,
      idleInTransactionTimeoutMs: 0,
    });
    return handle(db, server.url, kind, server.stop);
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** The kinds of test database available here: always "embedded", plus "postgres" when reachable. */
export async function availableTestDatabaseKinds(): Promise<TestDatabaseKind[]> {
  return (await isRealPostgresReachable()) ? ["embedded", "postgres"] : ["embedded"];
}

export { isRealPostgresReachable };

async function resolveKind(kind: TestDatabaseKind | "auto"): Promise<TestDatabaseKind> {
  const requested = kind === "auto" ? parseEnvKind() : kind;
  if (requested === "embedded") return "embedded";
  const reachable = await isRealPostgresReachable();
  if (requested === "postgres" && !reachable) {
    throw new Error("createTestDatabase({ kind: 'postgres' }): Postgres at 127.0.0.1:5432 is not reachable");
  }
  return reachable ? "postgres" : "embedded";
}

function parseEnvKind(): TestDatabaseKind | "auto" {
  const value = process.env.PARLEY_TEST_DATABASE;
  if (value === undefined || value === "" || value === "auto") return "auto";
  if (value === "embedded" || value === "postgres") return value;
  throw new Error(
    `PARLEY_TEST_DATABASE must be "embedded", "postgres" or "auto" (got ${JSON.stringify(value)})`,
  );
}

function handle(
  db: Database,
  url: string,
  kind: TestDatabaseKind,
  dispose: () => Promise<void>,
): TestDatabase {
  let cleaning: Promise<void> | undefined;
  return {
    db,
    url,
    kind,
    cleanup: () => {
      cleaning ??= (async () => {
        await db.close().catch(() => {});
        await dispose();
      })();
      return cleaning;
    },
  };
}
