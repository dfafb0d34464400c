/**
 * The two deployments the runtime benchmark measures, each on a fresh database:
 * - embedded: PGlite in its own process (as `parley start` hosts it) and in-process infrastructure;
 * - postgres-redis: a new database on the local Postgres and a key prefix on the local Redis.
 * Each exposes what the runtime process needs (env), the database for seeding and storage figures,
 * and the pids of the database server side so its CPU time can be counted.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Database, EMBEDDED_POOL_SIZE, openDatabase } from "@parley/db";
import type { Redis } from "ioredis";
import pg from "pg";
import { startScript, stop } from "./processes";
import { type DatabaseReading, readDatabase } from "./statements";

/** A prepared deployment. */
export interface Backend {
  readonly name: "embedded" | "postgresRedis";
  readonly db: Database;
  /** Environment of the runtime process. */
  readonly runtimeEnv: Record<string, string>;
  /** Pids whose CPU is the database's (embedded server process, or this database's Postgres backends). */
  databasePids(): Promise<number[]>;
  /** The database's statement and table counters (Postgres only; see statements.ts). */
  readDatabase?(): Promise<DatabaseReading>;
  /** Redis `used_memory` (cluster only). */
  redisMemory?(): Promise<number>;
  /** Redis server CPU ms so far (whole instance; cluster only). */
  redisCpuMs?(): Promise<number>;
  close(): Promise<void>;
}

/** Why a backend could not be set up. */
export interface Skipped {
  skipped: string;
}

/** PGlite in a child process, migrated (`cpuProfileDir`: its V8 profile goes there). */
export async function embeddedBackend(options: { cpuProfileDir?: string } = {}): Promise<Backend> {
  const dir = mkdtempSync(join(tmpdir(), "parley-bench-embedded-"));
  let server: { url: string; child: ChildProcess } | undefined;
  try {
    server = await startScript("bench/runtime/embedded-db-server.ts", [join(dir, "pgdata")], options);
    const db = await openDatabase({
      url: server.url,
      poolSize: EMBEDDED_POOL_SIZE,
      idleInTransactionTimeoutMs: 0,
    });
    await db.migrate();
    const child = server.child;
    return {
      name: "embedded",
      db,
      runtimeEnv: { DATABASE_URL: server.url, PARLEY_DATA_DIR: dir },
      databasePids: async () => (child.pid ? [child.pid] : []),
      close: async () => {
        await db.close();
        await stop(child);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (server) await stop(server.child);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A fresh database on the local Postgres plus the local Redis, or why not. */
export async function postgresRedisBackend(adminUrl: string, redisUrl: string): Promise<Backend | Skipped> {
  const admin = new pg.Client({ connectionString: adminUrl });
  // bench/faults restarts its private Postgres under this connection.
  admin.on("error", () => {});
  try {
    await admin.connect();
  } catch (error) {
    return { skipped: `Postgres at ${adminUrl} is unreachable: ${(error as Error).message}` };
  }
  const { Redis } = await import("ioredis");
  const redis: Redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on("error", () => {});
  try {
    await redis.connect();
  } catch (error) {
    await admin.end();
    return { skipped: `Redis at ${redisUrl} is unreachable: ${(error as Error).message}` };
  }
  const name = `parley_bench_${process.pid}_${Date.now()}`;
  const prefix = `parley-bench-${process.pid}:`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dir = mkdtempSync(join(tmpdir(), "parley-bench-cluster-"));
  const db = await openDatabase({ url: url.toString() });
  await db.migrate();
  // Statement counts need the extension in the database the admin connection reads them from.
  const { rows: preload } = await admin.query<{ on: boolean }>(
    "SELECT current_setting('shared_preload_libraries') LIKE '%pg_stat_statements%' AS on",
  );
  if (preload[0]?.on) await admin.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
  const info = async (section: string) => redis.info(section);
  return {
    name: "postgresRedis",
    db,
    runtimeEnv: {
      DATABASE_URL: url.toString(),
      REDIS_URL: redisUrl,
      PARLEY_REDIS_PREFIX: prefix,
      PARLEY_DATA_DIR: dir,
    },
    databasePids: async () =>
      (
        await admin.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = $1", [name])
      ).rows.map((row) => row.pid),
    readDatabase: () => readDatabase(admin, name, db),
    redisMemory: async () => Number(/used_memory:(\d+)/.exec(await info("memory"))?.[1] ?? 0),
    redisCpuMs: async () => {
      const text = await info("cpu");
      const seconds = (field: string) => Number(new RegExp(`${field}:([\\d.]+)`).exec(text)?.[1] ?? 0);
      return (seconds("used_cpu_sys") + seconds("used_cpu_user")) * 1000;
    },
    close: async () => {
      await db.close();
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== "0");
      redis.disconnect();
      // BENCH_KEEP_DATABASE=1 keeps it for a look afterwards (its name is printed on stderr).
      if (process.env.BENCH_KEEP_DATABASE === "1") console.error(`kept database ${name}`);
      else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
