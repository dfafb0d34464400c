import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableTestDatabaseKinds, createTestDatabase, type TestDatabase } from "../testing/index";
import { isConnectionLost } from "./connection-lost";

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable("the query should have failed"),
    (error: unknown) => error,
  );

describe("isConnectionLost", () => {
  it("is false for errors of the statement itself", () => {
    expect(isConnectionLost(Object.assign(new Error("syntax error"), { code: "42601" }))).toBe(false);
    expect(isConnectionLost(Object.assign(new Error("duplicate key"), { code: "23505" }))).toBe(false);
    expect(isConnectionLost(new Error("boom"))).toBe(false);
    expect(isConnectionLost(undefined)).toBe(false);
  });

  it("follows the cause chain, and survives a cycle", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    expect(
      isConnectionLost(new Error("turn failed", { cause: new Error("query", { cause: refused }) })),
    ).toBe(true);
    const looping: { cause?: unknown } = new Error("a");
    looping.cause = looping;
    expect(isConnectionLost(looping)).toBe(false);
  });
});

// Terminating every backend of the database is what a Postgres restart or failover does to a pool.
describe.skipIf(!(await availableTestDatabaseKinds()).includes("postgres"))(
  "isConnectionLost on a Postgres that drops its sessions",
  () => {
    let testDb: TestDatabase;
    let admin: pg.Client;
    beforeAll(async () => {
      testDb = await createTestDatabase({ kind: "postgres" });
      admin = new pg.Client({ connectionString: testDb.url });
      await admin.connect();
    });
    afterAll(async () => {
      await admin?.end();
      await testDb?.cleanup();
    });

    const terminateOthers = () =>
      admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
      );

    it("recognises a node-postgres query on a terminated session", async () => {
      const client = new pg.Client({ connectionString: testDb.url });
      client.on("error", () => {});
      await client.connect();
      await terminateOthers();
      const error = await failureOf(client.query("SELECT 1"));
      expect(isConnectionLost(error)).toBe(true);
      await client.end().catch(() => {});
    });

    it("recognises the error Prisma raises when the pool's sessions were terminated mid-transaction", async () => {
      const pending = testDb.db.system.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT 1`;
        await terminateOthers();
        await tx.$queryRaw`SELECT 2`;
      });
      const error = await failureOf(pending);
      expect(isConnectionLost(error)).toBe(true);
      // The pool recovers: the next statement gets a fresh session.
      await expect(testDb.db.ping()).resolves.toBeUndefined();
    });
  },
);
