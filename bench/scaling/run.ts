/**
 * Linear scaling: `npm run bench:scaling -w @parley/bench` prints ONE JSON object.
 *
 * Closed-loop saturation throughput of the pizza flow with 1 and then 2 runtime processes, the
 * database and Redis inside the same CPU budget: for each run a private Postgres (initdb into /tmp),
 * a private Redis and the runtime (`main.ts --workers N`, the cluster `parley start --workers N`
 * runs) are started pinned with `taskset` to N cores (CPU 0 for one process, CPUs 0-1 for two).
 * The load generator pins itself to the core left over in the 1-process run (CPU 1); on a 2-core
 * machine the 2-process run has no core left, so it shares CPUs 0-1 and its own CPU time is
 * reported apart (BENCH_SCALING_CPUS_1 / BENCH_SCALING_CPUS_2 / BENCH_SCALING_LOAD_CPUS override the
 * sets on a bigger machine: e.g. 0 / 0,1 / 2,3).
 *
 * Reported per run: turns/s, latency, CPU ms per turn of the runtime (primary and workers), Postgres
 * (postmaster and every backend, finished ones included) and Redis, read from /proc over the
 * measured window, and the load generator's own CPU per turn. The runs alternate (1 process, 2
 * processes) for BENCH_SCALING_ROUNDS rounds (3): the ratio is the median 2-process throughput over
 * the median 1-process throughput (target >= 1.7), each round's ratio beside it. In the first round,
 * the floor: the turn's own database transaction (`parley_commit_step`, as the runtime sends it)
 * replayed by pgbench against the 1-core Postgres, its database CPU per turn beside the runtime's.
 *
 * BENCH_SCALING_USERS (closed-loop users, default 64: enough to keep one core busy through the
 * commits' WAL flushes), BENCH_SCALING_WARMUP_MS (12000: the runtime's first ANALYZE of the grown
 * tables falls in it, as on a server that has been up), BENCH_SCALING_DURATION_MS (20000),
 * BENCH_SCALING_PG_PORT (5571), BENCH_SCALING_REDIS_PORT (6371), BENCH_SCALING_STATEMENTS (1 or all:
 * pg_stat_statements per turn).
 * Other engineers' processes are not pinned away: on a shared machine the cores are not ours, so
 * quote CPU per turn and the load average with any throughput.
 */
import { execFileSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import {
  servicesAvailable,
  startPrivatePostgres,
  startPrivateRedis,
  startRuntimeCluster,
  treeCpuMs,
} from "../cluster/services";
import { postgresRedisBackend } from "../runtime/backends";
import { sqlFloor } from "../runtime/floor";
import { JsonClient, pizzaScript, runLoad } from "../runtime/load";
import { seed } from "../runtime/seed";
import { type DatabaseReading, databaseWindow } from "../runtime/statements";

const USERS = Number(process.env.BENCH_SCALING_USERS ?? 64);
const WARMUP_MS = Number(process.env.BENCH_SCALING_WARMUP_MS ?? 12_000);
const DURATION_MS = Number(process.env.BENCH_SCALING_DURATION_MS ?? 20_000);
const PG_PORT = Number(process.env.BENCH_SCALING_PG_PORT ?? 5571);
const REDIS_PORT = Number(process.env.BENCH_SCALING_REDIS_PORT ?? 6371);
const ROUNDS = Math.max(1, Number(process.env.BENCH_SCALING_ROUNDS ?? 3));
const CPU_SETS: Record<number, string> = {
  1: process.env.BENCH_SCALING_CPUS_1 ?? "0",
  2: process.env.BENCH_SCALING_CPUS_2 ?? "0,1",
};
const LOAD_CPUS = process.env.BENCH_SCALING_LOAD_CPUS;
/** BENCH_SCALING_STATEMENTS=1: preload pg_stat_statements and report statements per turn (costs a few % of CPU). */
const STATEMENTS = ["1", "all"].includes(process.env.BENCH_SCALING_STATEMENTS ?? "");
/** BENCH_SCALING_STATEMENTS=all: also the statements run inside functions (parley_commit_step's). */
const STATEMENT_SETTINGS: Record<string, string> = {
  shared_preload_libraries: "pg_stat_statements",
  ...(process.env.BENCH_SCALING_STATEMENTS === "all" ? { "pg_stat_statements.track": "all" } : {}),
};

const round = (value: number) => Math.round(value * 100) / 100;

/** Pins this process (every thread) to `cpus`. */
function pinSelf(set: string) {
  execFileSync("taskset", ["-a", "-p", "-c", set, String(process.pid)], { stdio: "ignore" });
}

/** The CPU ms this process (the load generator) has used. */
function selfCpuMs() {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

async function oneRun(processes: 1 | 2, withFloor: boolean) {
  const set = CPU_SETS[processes]!;
  const all = cpus().map((_, index) => index);
  const serverCpus = set.split(",").map(Number);
  const spare = all.filter((cpu) => !serverCpus.includes(cpu));
  const loadCpus = LOAD_CPUS ?? (spare.length > 0 ? spare.join(",") : set);
  pinSelf(loadCpus);
  const postgres = await startPrivatePostgres({
    port: PG_PORT,
    cpus: set,
    ...(STATEMENTS ? { settings: STATEMENT_SETTINGS } : {}),
  });
  const redis = await startPrivateRedis({ port: REDIS_PORT, cpus: set });
  try {
    const backend = await postgresRedisBackend(postgres.adminUrl, redis.url);
    if ("skipped" in backend) throw new Error(backend.skipped);
    const pizza = await seed(backend.db);
    const runtime = await startRuntimeCluster(
      { ...backend.runtimeEnv, RUNTIME_MAX_CONCURRENT_REQUESTS: String(USERS) },
      { workers: processes, cpus: set },
    );
    const client = new JsonClient(runtime.url, pizza.key, USERS);
    const redisPid = redis.pid();
    let before = { runtime: 0, postgres: 0, redis: 0, load: 0 };
    let after = before;
    let countersBefore: Promise<DatabaseReading | undefined> | undefined;
    let countersAfter: Promise<DatabaseReading | undefined> | undefined;
    const read = () => ({
      runtime: treeCpuMs(runtime.child.pid),
      postgres: treeCpuMs(postgres.pid()),
      redis: treeCpuMs(redisPid),
      load: selfCpuMs(),
    });
    const result = await runLoad(
      client,
      pizzaScript(pizza.botId),
      { users: USERS, warmupMs: WARMUP_MS, durationMs: DURATION_MS, thinkMs: 0 },
      {
        onMeasureStart: () => {
          before = read();
          if (STATEMENTS) countersBefore = backend.readDatabase?.();
        },
        onMeasureEnd: () => {
          after = read();
          if (STATEMENTS) countersAfter = backend.readDatabase?.();
        },
      },
    );
    client.close();
    const turns = Math.max(1, result.completedInWindow);
    const perTurn = (key: keyof typeof before) => round((after[key] - before[key]) / turns);
    const cpuMsPerTurn = {
      runtime: perTurn("runtime"),
      postgres: perTurn("postgres"),
      redis: perTurn("redis"),
      total: round(perTurn("runtime") + perTurn("postgres") + perTurn("redis")),
      loadGenerator: perTurn("load"),
    };
    const [statementsBefore, statementsAfter] = [await countersBefore, await countersAfter];
    const floorBefore = STATEMENTS && withFloor ? await backend.readDatabase?.() : undefined;
    const floor = withFloor
      ? await sqlFloor(backend, backend.runtimeEnv.DATABASE_URL!, pizza.tenantId, USERS, 10_000)
      : undefined;
    const floorAfter = floorBefore ? await backend.readDatabase?.() : undefined;
    // Statements per replayed step: the counters cover the whole pgbench run (10 s), not only its window.
    if (floorBefore && floorAfter && floor && "turnsPerSecond" in floor)
      Object.assign(floor, {
        database: databaseWindow(floorBefore, floorAfter, Math.max(1, floor.turnsPerSecond * 10)),
      });
    await runtime.close();
    await backend.close().catch(() => {});
    return {
      processes,
      serverCpus: set,
      loadGeneratorCpus: loadCpus,
      turnsPerSecond: result.turnsPerSecond,
      p50Ms: result.p50Ms,
      p95Ms: result.p95Ms,
      errors: result.errors,
      errorSamples: result.errorSamples,
      cpuMsPerTurn,
      // Busy share of the pinned cores during the window (server side only).
      serverCpuUtilisation: round(
        (after.runtime - before.runtime + after.postgres - before.postgres + after.redis - before.redis) /
          (DURATION_MS * serverCpus.length),
      ),
      ...(statementsBefore && statementsAfter
        ? { database: databaseWindow(statementsBefore, statementsAfter, turns) }
        : {}),
      ...(floor ? { floor } : {}),
    };
  } finally {
    await redis.close();
    await postgres.close();
  }
}

const missing = servicesAvailable();
if (missing) {
  process.stdout.write(`${JSON.stringify({ benchmark: "scaling", skipped: missing })}\n`);
  process.exit(0);
}
const startedAt = Date.now();
const loadAtStart = loadavg().map(round);
// BENCH_SCALING_ONLY=2 runs the 2-process run alone (to look at it; no ratio then).
const only = process.env.BENCH_SCALING_ONLY;
if (only) {
  const run = await oneRun(only === "2" ? 2 : 1, false);
  process.stdout.write(`${JSON.stringify({ benchmark: "scaling", runs: [run], loadAverage: loadavg() })}\n`);
  process.exit(0);
}
// Alternating rounds (1 process, then 2, ROUNDS times): a shared machine's speed drifts by tens of
// percent between minutes, so one pair of runs can flatter or wrong the ratio; the medians do not.
const ones: Awaited<ReturnType<typeof oneRun>>[] = [];
const twos: Awaited<ReturnType<typeof oneRun>>[] = [];
for (let round_ = 0; round_ < ROUNDS; round_ += 1) {
  const one = await oneRun(1, round_ === 0);
  console.error(`scaling: 1 process ${one.turnsPerSecond} turns/s, ${one.cpuMsPerTurn.total} ms CPU/turn`);
  ones.push(one);
  const two = await oneRun(2, false);
  console.error(`scaling: 2 processes ${two.turnsPerSecond} turns/s, ${two.cpuMsPerTurn.total} ms CPU/turn`);
  twos.push(two);
}
const one = ones[0]!;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
/** Turns/s per busy server core of a run (its throughput if the cores had been its alone). */
const perBusyCore = (run: (typeof ones)[number], cores: number) =>
  run.turnsPerSecond / Math.max(0.01, run.serverCpuUtilisation * cores);
const floor = one.floor && "cpuMsPerTurn" in one.floor ? one.floor : undefined;
process.stdout.write(
  `${JSON.stringify({
    benchmark: "scaling",
    flow: "pizza-order, closed loop (4 turns per conversation)",
    users: USERS,
    warmupMs: WARMUP_MS,
    durationMs: DURATION_MS,
    rounds: ROUNDS,
    cpus: cpus().length,
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadavg().map(round),
    runs: ones.flatMap((run, index) => [run, twos[index]!]),
    medianTurnsPerSecond: {
      oneProcess: round(median(ones.map((run) => run.turnsPerSecond))),
      twoProcesses: round(median(twos.map((run) => run.turnsPerSecond))),
    },
    ratio: {
      // Median 2-process throughput over median 1-process throughput.
      throughput: round(
        median(twos.map((run) => run.turnsPerSecond)) / median(ones.map((run) => run.turnsPerSecond)),
      ),
      target: 1.7,
      perRound: ones.map((run, index) => round(twos[index]!.turnsPerSecond / run.turnsPerSecond)),
      // Throughput per busy server core: what the ratio would be if both runs had their cores alone.
      perServerCpu: round(
        median(twos.map((run) => perBusyCore(run, 2))) / median(ones.map((run) => perBusyCore(run, 1))),
      ),
    },
    floor: floor
      ? {
          pgbenchTurnsPerSecond: floor.turnsPerSecond,
          databaseCpuMsPerTurn: floor.cpuMsPerTurn.database,
          runtimeRunDatabaseCpuMsPerTurn: one.cpuMsPerTurn.postgres,
          runtimeRunTotalCpuMsPerTurn: one.cpuMsPerTurn.total,
          shareOfTurnCpuThatIsTheFloor: round(floor.cpuMsPerTurn.database / one.cpuMsPerTurn.total),
        }
      : (one.floor ?? { skipped: "no floor" }),
    wallClockMs: Date.now() - startedAt,
  })}\n`,
);
process.exit(0);
