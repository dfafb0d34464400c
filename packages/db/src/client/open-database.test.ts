import { createServer } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatabaseUnreachableError } from "../errors";
import { availableTestDatabaseKinds, createTestDatabase, type TestDatabase } from "../testing/index";
import { redactUrl } from "./connection-url";
import { openDatabase } from "./open-database";

/** A local port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("openDatabase", () => {
  it("fails with one clear error when nothing listens at the URL", async () => {
    const port = await closedPort();
    const failure = await openDatabase({ url: `postgresql://app:s3cret@127.0.0.1:${port}/parley` }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(DatabaseUnreachableError);
    const message = (failure as Error).message;
    expect(message).toContain(`127.0.0.1:${port}`);
    expect(message).toContain("connection refused");
    expect(message).toContain("unset DATABASE_URL to use the embedded database");
    expect(message).not.toContain("s3cret");
  });

  it("rejects a URL that is not a Postgres URL, naming the field", async () => {
    await expect(openDatabase({ url: "mysql://localhost/x" })).rejects.toThrow(/url[\s\S]*postgres:\/\//);
  });

  it("redacts passwords in URLs it reports", () => {
    expect(redactUrl("postgresql://u:pw@h:5432/d")).toBe("postgresql://u:***@h:5432/d");
    expect(redactUrl("not a url")).toBe("(unparseable database URL)");
  });
});

const kinds = await availableTestDatabaseKinds();

describe.each(kinds)("an open database on %s", (kind) => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase({ kind });
  });
  afterAll(() => testDb?.cleanup());

  it("answers ping and reports its schema as current", async () => {
    await expect(testDb.db.ping()).resolves.toBeUndefined();
    expect(await testDb.db.migrationStatus()).toMatchObject({ pending: [], upToDate: true });
    await expect(testDb.db.assertSchemaCurrent()).resolves.toBeUndefined();
    expect(await testDb.db.migrate()).toEqual([]);
  });

  // PGlite has no JIT (and its one session ignores startup options).
  it.skipIf(kind === "embedded")("runs its sessions without JIT compilation", async () => {
    const [row] = await testDb.db.system.$queryRaw<{ jit: string }[]>`SELECT current_setting('jit') AS jit`;
    expect(row?.jit).toBe("off");
  });

  it("reads Postgres types the Prisma adapter would refuse (name, regclass, tsvector, void) as text", async () => {
    const [row] = await testDb.db.system.$queryRaw<Record<string, string>[]>`
      SELECT current_user AS who, 'bots'::regclass AS tbl, to_tsvector('simple', 'a b') AS vector,
             pg_advisory_unlock_all() AS nothing`;
    expect(row).toEqual({ who: expect.any(String), tbl: "bots", vector: "'a':1 'b':2", nothing: "" });
    // Inside tenant transactions too (a different code path in pg).
    const [inTenant] = await testDb.db.forTenant("any-tenant").$queryRaw<
      { who: string }[]
    >`SELECT current_user AS who`;
    expect(inTenant?.who).toBe("parley_app");
  });

  it.runIf(kind === "postgres")(
    "survives the server dropping a connection in the middle of a transaction (a Postgres restart)",
    async () => {
      // One connection only: a slot the broken transaction kept would leave nothing for the next query.
      const single = await openDatabase({ url: testDb.url, poolSize: 1 });
      // A second session holds a lock the transaction waits for, so the transaction's connection is
      // checked out (not idle in the pool) when the server terminates it.
      const holder = new pg.Client({ connectionString: testDb.url });
      holder.on("error", () => {});
      await holder.connect();
      try {
        await holder.query("SELECT pg_advisory_lock(4242)");
        const outcome = single.system
          .$transaction(async (tx) => {
            await tx.$queryRaw`SELECT pg_advisory_xact_lock(4242)`;
          })
          .then(
            () => "committed",
            () => "failed",
          );
        let waiting: number | undefined;
        while (waiting === undefined) {
          const { rows } = await holder.query<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
          );
          waiting = rows[0]?.pid;
        }
        await holder.query("SELECT pg_terminate_backend($1)", [waiting]);
        // The transaction fails; the process does not crash (an unhandled 'error' event would fail
        // the run) and the pool's one slot is free again for the next query.
        expect(await outcome).toBe("failed");
        await expect(single.system.tenant.count()).resolves.toBeTypeOf("number");
        await expect(single.ping()).resolves.toBeUndefined();
      } finally {
        await holder.end();
        await single.close();
      }
    },
  );

  it("keeps serving after close() is called twice", async () => {
    const extra = await openDatabase({ url: testDb.url, poolSize: 2 });
    await extra.system.tenant.count();
    await Promise.all([extra.close(), extra.close()]);
    await expect(testDb.db.system.tenant.count()).resolves.toBeTypeOf("number");
  });
});

describe.skipIf(!kinds.includes("postgres"))("a connection whose caller hangs (real Postgres)", () => {
  it("is ended by Postgres when idle in a transaction, and does not hold close() up", async () => {
    const testDb = await createTestDatabase({ kind: "postgres" });
    try {
      const db = await openDatabase({ url: testDb.url, poolSize: 2, closeGraceMs: 200 });
      const [setting] = await db.system.$queryRaw<{ timeout: string }[]>`
        SELECT current_setting('idle_in_transaction_session_timeout') AS timeout`;
      expect(setting?.timeout).toBe("1min");
      // A transaction whose callback never settles keeps its connection checked out.
      let inside!: () => void;
      const entered = new Promise<void>((resolve) => {
        inside = resolve;
      });
      void db.system
        .$transaction(
          async (tx) => {
            await tx.$executeRaw`SELECT set_config('application_name', 'parley-stuck', true)`;
            inside();
            await new Promise(() => {});
          },
          { timeout: 600_000 },
        )
        .catch(() => {});
      await entered;
      await db.close();
      // Its backend goes away (the socket was closed, which rolls the transaction back).
      const stuck = async () =>
        Number(
          (
            await testDb.db.system.$queryRaw<{ n: bigint }[]>`
              SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'parley-stuck'`
          )[0]?.n,
        );
      await expect.poll(stuck, { timeout: 10_000 }).toBe(0);
    } finally {
      await testDb.cleanup();
    }
  });
});
