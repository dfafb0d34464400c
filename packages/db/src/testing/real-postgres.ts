import { randomBytes } from "node:crypto";
import pg from "pg";

/**
 * Admin URL of the shared Postgres the tests may create databases on (internal). CI provides
 * postgres@127.0.0.1:5432 with trust auth; PARLEY_TEST_POSTGRES_URL overrides it.
 */
export function adminUrl(): string {
  return process.env.PARLEY_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
}

let reachable: Promise<boolean> | undefined;

/** Whether the shared Postgres answers (checked once per process, 1.5 s timeout). */
export function isRealPostgresReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 1_500 });
    client.on("error", () => {});
    try {
      await client.connect();
      await client.query("SELECT 1");
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return reachable;
}

/** Creates a uniquely named database on the shared Postgres; returns its URL and a drop function. */
export async function createScratchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `parley_test_${process.pid}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // FORCE disconnects whatever a failed test left connected.
    drop: () =>
      withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
