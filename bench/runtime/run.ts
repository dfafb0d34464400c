/**
 * Runtime benchmark: `npx tsx bench/runtime/run.ts` prints ONE JSON object.
 *
 * For each backend (embedded PGlite + in-process infra, then Postgres + Redis when reachable) it
 * starts a runtime process on a fresh database seeded with the pizza flow, then drives
 * CONCURRENCY conversations at once for DURATION_MS: each virtual user starts a conversation and
 * answers name, size and phone (4 turns), then starts again. Turn latency is the HTTP round trip
 * of each turn. The same loop against a bare Fastify route (no work) gives the ceiling.
 * Loopback only; bounded in time (about 2 minutes).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type CoreDeps,
  createApiKey,
  createBot,
  createFlow,
  createTenant,
  createUser,
  publishFlow,
  type ServiceContext,
} from "@parley/core";
import { type Database, EMBEDDED_POOL_SIZE, openDatabase, startEmbeddedPostgres } from "@parley/db";
import { createInfrastructure, generateKeyringEntry } from "@parley/infra";
import pg from "pg";

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 200);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 15_000);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 3_000);
const IDLE_CONVERSATIONS = 500;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const root = new URL("../../", import.meta.url).pathname;
const pizza = JSON.parse(readFileSync(join(root, "examples/flows/pizza-order.json"), "utf8"));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not start`);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);
}
const round = (value: number) => Math.round(value * 100) / 100;

interface LoadResult {
  turnsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  turns: number;
  errors: number;
  errorSamples: string[];
}

/** Runs `step` in CONCURRENCY loops; only calls that start after the warm-up are measured. */
async function drive(
  step: (user: number, measure: (ms: number) => void) => Promise<void>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const errorSamples = new Set<string>();
  const start = performance.now();
  const measureFrom = start + WARMUP_MS;
  const end = measureFrom + DURATION_MS;
  const users = Array.from({ length: CONCURRENCY }, async (_, user) => {
    while (performance.now() < end) {
      try {
        await step(user, (ms) => {
          if (performance.now() - ms >= measureFrom) latencies.push(ms);
        });
      } catch (error) {
        if (performance.now() >= measureFrom) errors += 1;
        if (errorSamples.size < 3) errorSamples.add(String((error as Error).message).slice(0, 200));
      }
    }
  });
  await Promise.all(users);
  latencies.sort((a, b) => a - b);
  return {
    turnsPerSecond: round(latencies.length / (DURATION_MS / 1000)),
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    turns: latencies.length,
    errors,
    errorSamples: [...errorSamples],
  };
}

/** What the runtime answers to a turn (only the fields the load loop reads). */
interface TurnReply {
  conversationId?: string;
  status?: string;
}

async function timedPost(
  url: string,
  body: unknown,
  key: string | undefined,
  measure: (ms: number) => void,
): Promise<TurnReply> {
  const started = performance.now();
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as TurnReply;
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${JSON.stringify(json)}`);
  measure(performance.now() - started);
  return json;
}

async function seed(db: Database): Promise<{ botId: string; key: string; tenantId: string }> {
  const infra = await createInfrastructure({
    dataDir: mkdtempSync(join(tmpdir(), "parley-bench-seed-")),
    withQueue: false,
  });
  const deps = { db, infra } as CoreDeps;
  const owner = await createUser(deps, { email: `bench-${Date.now()}@example.com`, name: "Bench" });
  const tenant = await createTenant(deps, { name: "Bench", ownerUserId: owner.id });
  const ctx: ServiceContext = {
    deps,
    tenantId: tenant.id,
    actor: { type: "user", userId: owner.id, role: "owner", label: "bench" },
  };
  const bot = await createBot(ctx, { name: "Pizza" });
  const flow = await createFlow(ctx, { botId: bot.id, document: pizza });
  await publishFlow(ctx, flow.id, {});
  const { key } = await createApiKey(ctx, { name: "bench", scopes: ["*"] });
  await infra.close();
  return { botId: bot.id, key, tenantId: tenant.id };
}

async function startRuntimeProcess(
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: join(root, "apps/runtime"),
    env: {
      ...process.env,
      ...env,
      RUNTIME_PORT: String(port),
      RUNTIME_RATE_LIMIT_TENANT: "10000000",
      RUNTIME_RATE_LIMIT_KEY: "10000000",
      RUNTIME_RATE_LIMIT_CONVERSATION: "100000",
      LOG_LEVEL: "error",
      PARLEY_SECRET_KEY: generateKeyringEntry("bench"),
    },
    // BENCH_RUNTIME_LOGS=1 shows the runtime's (error-level) logs.
    stdio: ["ignore", process.env.BENCH_RUNTIME_LOGS ? "inherit" : "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url, child);
  return { url, child };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 15_000).unref();
  });
}

async function pizzaLoad(url: string, botId: string, key: string): Promise<LoadResult> {
  return drive(async (user, measure) => {
    const started = await timedPost(
      `${url}/api/v1/bots/${botId}/conversations`,
      { user: { id: `u${user}` } },
      key,
      measure,
    );
    const path = `${url}/api/v1/conversations/${started.conversationId}/messages`;
    await timedPost(path, { text: `User ${user}` }, key, measure);
    await timedPost(path, { choice: user % 2 === 0 ? "large" : "small" }, key, measure);
    const last = await timedPost(path, { text: "+1 555 123 4567" }, key, measure);
    if (last.status !== "ended") throw new Error(`expected the order to end, got ${last.status}`);
  });
}

async function storageFigures(
  db: Database,
  redisMemory?: () => Promise<number>,
  start?: () => Promise<void>,
) {
  const before = redisMemory ? await redisMemory() : 0;
  if (start) await start();
  const after = redisMemory ? await redisMemory() : 0;
  const [row] = await db.system.$queryRaw<{ bytes: bigint; messages: bigint }[]>`
    SELECT pg_total_relation_size('messages') AS bytes, (SELECT count(*) FROM messages) AS messages`;
  return {
    postgresBytesPerMessage:
      row && row.messages > 0n ? round(Number(row.bytes) / Number(row.messages)) : null,
    messagesStored: Number(row?.messages ?? 0),
    ...(redisMemory ? { redisBytesPerIdleConversation: round((after - before) / IDLE_CONVERSATIONS) } : {}),
  };
}

async function startIdle(url: string, botId: string, key: string): Promise<void> {
  for (let batch = 0; batch < IDLE_CONVERSATIONS; batch += 50) {
    await Promise.all(
      Array.from({ length: 50 }, () =>
        timedPost(`${url}/api/v1/bots/${botId}/conversations`, {}, key, () => {}),
      ),
    );
  }
}

async function benchEmbedded() {
  const dir = mkdtempSync(join(tmpdir(), "parley-bench-embedded-"));
  const embedded = await startEmbeddedPostgres({ dataDir: join(dir, "pgdata") });
  const db = await openDatabase({ url: embedded.url, poolSize: EMBEDDED_POOL_SIZE });
  let runtime: { url: string; child: ChildProcess } | undefined;
  try {
    await db.migrate();
    const { botId, key } = await seed(db);
    // The embedded server runs one statement at a time: admit few requests at once (as `parley start` does).
    runtime = await startRuntimeProcess({
      DATABASE_URL: embedded.url,
      PARLEY_DATA_DIR: dir,
      RUNTIME_MAX_CONCURRENT_REQUESTS: "8",
    });
    const load = await pizzaLoad(runtime.url, botId, key);
    const storage = await storageFigures(db);
    return { ...load, ...storage };
  } finally {
    if (runtime) await stop(runtime.child);
    await db.close();
    await embedded.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchPostgresRedis() {
  const name = `parley_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  try {
    await admin.connect();
  } catch (error) {
    return { skipped: `Postgres at ${POSTGRES_ADMIN_URL} is unreachable: ${(error as Error).message}` };
  }
  const { Redis } = await import("ioredis");
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
  } catch (error) {
    await admin.end();
    return { skipped: `Redis at ${REDIS_URL} is unreachable: ${(error as Error).message}` };
  }
  const prefix = `parley-bench-${process.pid}:`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString() });
  const dir = mkdtempSync(join(tmpdir(), "parley-bench-cluster-"));
  let runtime: { url: string; child: ChildProcess } | undefined;
  try {
    await db.migrate();
    const { botId, key } = await seed(db);
    runtime = await startRuntimeProcess({
      DATABASE_URL: url.toString(),
      REDIS_URL,
      PARLEY_REDIS_PREFIX: prefix,
      PARLEY_DATA_DIR: dir,
    });
    const load = await pizzaLoad(runtime.url, botId, key);
    const memory = async () => Number(/used_memory:(\d+)/.exec(await redis.info("memory"))?.[1] ?? 0);
    const live = runtime;
    const storage = await storageFigures(db, memory, () => startIdle(live.url, botId, key));
    return { ...load, ...storage };
  } finally {
    if (runtime) await stop(runtime.child);
    await db.close();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
    redis.disconnect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchBare() {
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "bench/runtime/bare-server.ts")], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once("exit", (code) => reject(new Error(`bare server exited with ${code}`)));
  });
  try {
    return await drive(async (_user, measure) => {
      await timedPost(`${url}/turn`, { text: "hello" }, undefined, measure);
    });
  } finally {
    await stop(child);
  }
}

const startedAt = Date.now();
const ceiling = await benchBare();
const embedded = await benchEmbedded();
const cluster = await benchPostgresRedis();
const ratio = (result: { turnsPerSecond?: number }) =>
  result.turnsPerSecond ? round(result.turnsPerSecond / ceiling.turnsPerSecond) : null;
process.stdout.write(
  `${JSON.stringify({
    benchmark: "runtime",
    flow: "pizza-order (start + 3 answers per conversation)",
    concurrency: CONCURRENCY,
    durationMs: DURATION_MS,
    cpus: (await import("node:os")).cpus().length,
    embedded: { ...embedded, ratioToBareFastify: ratio(embedded) },
    postgresRedis: { ...cluster, ratioToBareFastify: ratio(cluster as { turnsPerSecond?: number }) },
    bareFastify: ceiling,
    targetP95Ms: 50,
    wallClockMs: Date.now() - startedAt,
  })}\n`,
);
process.exit(0);
