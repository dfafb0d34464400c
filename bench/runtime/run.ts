/**
 * Runtime benchmark: `npx tsx bench/runtime/run.ts` prints ONE JSON object.
 *
 * For each deployment (embedded PGlite + in-process infrastructure, then Postgres + Redis when
 * reachable) it starts a runtime process on a fresh database seeded with the pizza flow and runs
 * BENCH_USERS (200) virtual users, each starting a conversation and answering name, size and phone
 * (4 turns), then starting again. Turn latency is the HTTP round trip of each turn. Two runs:
 *
 * - `concurrent` (the target figure): every user pauses BENCH_THINK_MS (mean 1 s, uniform 0.5-1.5 s)
 *   before each turn. A person reads the reply and types for several seconds, so 1 s is a
 *   conservative stand-in for "200 concurrent conversations": it offers ~4x the turn rate 200 real
 *   people would. The offered rate is reported.
 * - `saturation`: no pause (closed loop): the throughput ceiling and its latency, compared with a
 *   bare Fastify route that does no work (same load generator, same machine).
 *
 * On Postgres the saturation run is followed by its floor (bench/runtime/floor.ts): the same
 * conversations' SQL replayed by pgbench at the same concurrency (capped at the connections the server
 * has free; `clients` says how many were used), turns per second and database CPU per turn, and the
 * saturation's ratio to it.
 *
 * CPU time of the runtime process and of the database side (embedded server process, or this
 * database's Postgres backends; Redis is the whole instance) over the measured window is reported
 * per turn: unlike latency it hardly depends on what else the shared machine is doing.
 * Also: Postgres bytes per message (each hot table's heap, indexes, TOAST and dead rows, and each
 * index of messages: bench/runtime/storage.ts; dead rows again after the maintenance's VACUUM) and
 * Redis bytes per idle conversation.
 * BENCH_BACKENDS (embedded,postgresRedis) and BENCH_LOADS (concurrent,saturation) pick what runs.
 * Each runtime first gets BENCH_PREWARM_MS (3 s) of unmeasured load, like a server that has been up.
 * BENCH_PROFILE_DIR=dir makes the runtime write a V8 .cpuprofile there (see cpu-profile-summary.ts).
 */
import { mkdirSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { vacuumHotTables } from "@parley/db";
import { type Backend, embeddedBackend, postgresRedisBackend, type Skipped } from "./backends";
import { sqlFloor } from "./floor";
import { bareScript, JsonClient, type PacedResult, pizzaScript, runLoad, type Script } from "./load";
import { processCpuMs, startRuntimeProcess, startScript, stop } from "./processes";
import { seed } from "./seed";
import { databaseWindow } from "./statements";
import { storageBreakdown } from "./storage";

const USERS = Number(process.env.BENCH_USERS ?? process.env.BENCH_CONCURRENCY ?? 200);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 15_000);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 3_000);
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 1_000);
/** Unmeasured closed-loop load first, so both measured runs see a warmed-up (JIT-compiled) process. */
const PREWARM_MS = Number(process.env.BENCH_PREWARM_MS ?? 3_000);
const BACKENDS = (process.env.BENCH_BACKENDS ?? "embedded,postgresRedis").split(",");
const LOADS = (process.env.BENCH_LOADS ?? "concurrent,saturation").split(",");
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;
const IDLE_CONVERSATIONS = 500;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

const round = (value: number) => Math.round(value * 100) / 100;

/** CPU milliseconds per completed turn over the measured window. */
interface CpuPerTurn {
  runtime: number;
  database: number;
  /** The whole Redis instance (shared with anything else using it). */
  redis?: number;
  total: number;
}

/** Runs one load and reads the CPU counters at the edges of its measured window. */
async function measured(
  url: string,
  key: string | undefined,
  script: Script,
  thinkMs: number,
  sides: { runtimePid?: number; backend?: Backend },
): Promise<PacedResult & { cpuMsPerTurn?: CpuPerTurn; database?: ReturnType<typeof databaseWindow> }> {
  const client = new JsonClient(url, key, USERS);
  const reading = async () => {
    const pids = (await sides.backend?.databasePids()) ?? [];
    return {
      pids,
      perPid: new Map(pids.map((pid) => [pid, processCpuMs(pid)])),
      runtime: processCpuMs(sides.runtimePid),
      redis: (await sides.backend?.redisCpuMs?.()) ?? 0,
      counters: await sides.backend?.readDatabase?.(),
    };
  };
  let first: Promise<Awaited<ReturnType<typeof reading>>> | undefined;
  let last: Promise<Awaited<ReturnType<typeof reading>>> | undefined;
  const result = await runLoad(
    client,
    script,
    { users: USERS, warmupMs: WARMUP_MS, durationMs: DURATION_MS, thinkMs },
    {
      onMeasureStart: () => {
        first = reading();
      },
      onMeasureEnd: () => {
        last = reading();
      },
    },
  );
  client.close();
  if (!sides.runtimePid || !first || !last || result.completedInWindow === 0) return result;
  const [before, after] = [await first, await last];
  const turns = result.completedInWindow;
  let database = 0;
  for (const pid of after.pids) database += after.perPid.get(pid)! - (before.perPid.get(pid) ?? 0);
  const perTurn = (ms: number) => round(ms / turns);
  const cpu: CpuPerTurn = {
    runtime: perTurn(after.runtime - before.runtime),
    database: perTurn(database),
    ...(sides.backend?.redisCpuMs ? { redis: perTurn(after.redis - before.redis) } : {}),
    total: 0,
  };
  cpu.total = round(cpu.runtime + cpu.database + (cpu.redis ?? 0));
  const counters =
    before.counters && after.counters ? databaseWindow(before.counters, after.counters, turns) : undefined;
  return { ...result, cpuMsPerTurn: cpu, ...(counters ? { database: counters } : {}) };
}

async function storageFigures(backend: Backend, runtimeUrl: string, botId: string, key: string) {
  const before = backend.redisMemory ? await backend.redisMemory() : 0;
  if (backend.redisMemory) {
    const client = new JsonClient(runtimeUrl, key, 50);
    for (let batch = 0; batch < IDLE_CONVERSATIONS; batch += 50) {
      await Promise.all(
        Array.from({ length: 50 }, () => client.post(`/api/v1/bots/${botId}/conversations`, {})),
      );
    }
    client.close();
  }
  const after = backend.redisMemory ? await backend.redisMemory() : 0;
  const [row] = await backend.db.system.$queryRaw<{ bytes: bigint; messages: bigint }[]>`
    SELECT pg_total_relation_size('messages') AS bytes, (SELECT count(*) FROM messages) AS messages`;
  // Dead row versions reach the statistics within a second of their commit.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const storage = await storageBreakdown(backend.db);
  // What the runtime's maintenance (VACUUM (ANALYZE) of the hot tables, when nothing else vacuums)
  // makes reusable: dead rows gone, their space kept for the next rows (files do not shrink).
  await vacuumHotTables(backend.db);
  const afterVacuum = await storageBreakdown(backend.db);
  return {
    postgresBytesPerMessage:
      row && row.messages > 0n ? round(Number(row.bytes) / Number(row.messages)) : null,
    messagesStored: Number(row?.messages ?? 0),
    storage,
    deadRowsAfterVacuum: Object.fromEntries(
      Object.entries(afterVacuum.tables).map(([name, table]) => [name, table.deadRows]),
    ),
    ...(backend.redisMemory
      ? { redisBytesPerIdleConversation: round((after - before) / IDLE_CONVERSATIONS) }
      : {}),
  };
}

async function benchBackend(open: () => Promise<Backend | Skipped>) {
  const backend = await open();
  if ("skipped" in backend) return backend;
  let runtime: Awaited<ReturnType<typeof startRuntimeProcess>> | undefined;
  try {
    const { botId, key, tenantId } = await seed(backend.db);
    const profileDir = PROFILE_DIR ? `${PROFILE_DIR}/${backend.name}` : undefined;
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    runtime = await startRuntimeProcess(backend.runtimeEnv, profileDir ? { cpuProfileDir: profileDir } : {});
    const sides = { runtimePid: runtime.child.pid, backend };
    const warm = new JsonClient(runtime.url, key, 50);
    await runLoad(warm, pizzaScript(botId), { users: 50, warmupMs: 0, durationMs: PREWARM_MS, thinkMs: 0 });
    warm.close();
    const loads: Record<string, unknown> = {};
    if (LOADS.includes("concurrent")) {
      loads.concurrent = await measured(runtime.url, key, pizzaScript(botId), THINK_MS, sides);
    }
    if (LOADS.includes("saturation")) {
      loads.saturation = await measured(runtime.url, key, pizzaScript(botId), 0, sides);
    }
    // The floor: the same turns' SQL straight from pgbench (Postgres only), before the storage
    // figures (which vacuum).
    const databaseUrl = backend.runtimeEnv.DATABASE_URL;
    let floor: Record<string, unknown> | undefined;
    if (backend.name === "postgresRedis" && databaseUrl && LOADS.includes("saturation")) {
      const replay = await sqlFloor(backend, databaseUrl, tenantId, USERS, DURATION_MS);
      const saturation = loads.saturation as { turnsPerSecond: number } | undefined;
      floor = {
        ...replay,
        ...("turnsPerSecond" in replay && saturation
          ? { saturationRatioToFloor: round(saturation.turnsPerSecond / replay.turnsPerSecond) }
          : {}),
      };
    }
    const storage = await storageFigures(backend, runtime.url, botId, key);
    return { ...loads, ...(floor ? { sqlFloor: floor } : {}), ...storage };
  } finally {
    if (runtime) await stop(runtime.child);
    await backend.close();
  }
}

async function benchBare() {
  const bare = await startScript("bench/runtime/bare-server.ts");
  try {
    const sides = bare.child.pid ? { runtimePid: bare.child.pid } : {};
    return await measured(bare.url, undefined, bareScript, 0, sides);
  } finally {
    await stop(bare.child);
  }
}

const startedAt = Date.now();
const loadAtStart = loadavg().map(round);
const ceiling = await benchBare();
const results: Record<string, unknown> = {};
if (BACKENDS.includes("embedded")) {
  const databaseProfileDir = PROFILE_DIR ? `${PROFILE_DIR}/embedded-database` : undefined;
  if (databaseProfileDir) mkdirSync(databaseProfileDir, { recursive: true });
  results.embedded = await benchBackend(() =>
    embeddedBackend(databaseProfileDir ? { cpuProfileDir: databaseProfileDir } : {}),
  );
}
if (BACKENDS.includes("postgresRedis"))
  results.postgresRedis = await benchBackend(() => postgresRedisBackend(POSTGRES_ADMIN_URL, REDIS_URL));
const ratio = (result: unknown) => {
  const saturation = (result as { saturation?: { turnsPerSecond: number } } | undefined)?.saturation;
  return saturation ? round(saturation.turnsPerSecond / ceiling.turnsPerSecond) : null;
};
process.stdout.write(
  `${JSON.stringify({
    benchmark: "runtime",
    flow: "pizza-order (start + 3 answers per conversation)",
    users: USERS,
    thinkTimeMs: { mean: THINK_MS, distribution: "uniform 0.5x-1.5x, before every turn" },
    durationMs: DURATION_MS,
    warmupMs: WARMUP_MS,
    cpus: cpus().length,
    loadAverageAtStart: loadAtStart,
    ...results,
    bareFastify: ceiling,
    saturationRatioToBareFastify: Object.fromEntries(
      Object.entries(results).map(([name, r]) => [name, ratio(r)]),
    ),
    targetP95Ms: { concurrent: 50, productEndToEnd: 300 },
    wallClockMs: Date.now() - startedAt,
  })}\n`,
);
process.exit(0);
