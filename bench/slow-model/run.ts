/**
 * Slow-model benchmark: `npm run bench:slow-model -w @parley/bench` prints ONE JSON object.
 *
 * A local OpenAI-compatible server (model-server.ts) answers after a configurable delay; a flow with
 * one llm node (routed to it through a tenant model provider whose base URL is the loopback server;
 * the runtime runs with RUNTIME_ALLOW_LOOPBACK_HTTP) answers every user message. Closed-loop users
 * (no think time) each keep one conversation for 20 messages, then start another (so the default
 * per-conversation limit never refuses them); only message turns are timed. The runtime runs with
 * its DEFAULT admission and rate limits: the point is that a slow model throttles nothing.
 *
 * For each deployment (embedded, Postgres + Redis) and each delay x users it reports throughput,
 * p50/p95/p99, p50 over the model's delay, errors, and CPU per turn (runtime + database processes;
 * apart, the bench's own share of the machine: this load generator and the model server, which
 * run on the same cores and so bound the throughput a run can show).
 * Targets (issue 19): 50 users @ 500 ms >= 90 turns/s; 500 users @ 2 s >= 225 turns/s; p50 within
 * 15% of the model's delay.
 *
 * BENCH_DELAYS_MS (0,500,2000), BENCH_USERS (1,50,500), BENCH_BACKENDS (embedded,postgresRedis),
 * BENCH_DURATION_MS (10000), BENCH_WARMUP_MS (2000), BENCH_PROFILE_DIR (the runtime's V8 profile).
 */
import { cpus, loadavg } from "node:os";
import { generateKeyringEntry } from "@parley/infra";
import { type Backend, embeddedBackend, postgresRedisBackend, type Skipped } from "../runtime/backends";
import { JsonClient, type PacedResult, runLoad } from "../runtime/load";
import { processCpuMs, startRuntimeProcess, startScript, stop } from "../runtime/processes";
import { questionsScript } from "./questions-script";
import { seedSlowModel } from "./seed";

const list = (value: string | undefined, fallback: string) => (value ?? fallback).split(",").map(Number);
const DELAYS_MS = list(process.env.BENCH_DELAYS_MS, "0,500,2000");
const USERS = list(process.env.BENCH_USERS, "1,50,500");
const BACKENDS = (process.env.BENCH_BACKENDS ?? "embedded,postgresRedis").split(",");
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 10_000);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 2_000);
/** A directory: the runtime writes a V8 .cpuprofile there (see bench/runtime/cpu-profile-summary.ts). */
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

const round = (value: number) => Math.round(value * 100) / 100;

/** CPU ms the database processes used between two readings (pids seen in both). */
function databaseCpuMs(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, ms] of after) {
    const earlier = before.get(pid);
    if (earlier !== undefined) sum += ms - earlier;
  }
  return sum;
}

async function measure(
  runtime: { url: string; pid: number | undefined },
  backend: Backend,
  key: string,
  botId: string,
  users: number,
  modelServerPid: number | undefined,
): Promise<
  PacedResult & {
    cpuMsPerTurn?: { runtime: number; database: number; total: number };
    benchCpuMsPerTurn?: { loadGenerator: number; modelServer: number };
  }
> {
  const client = new JsonClient(runtime.url, key, users);
  // Per pid: a Postgres backend that exits inside the window must not subtract its whole life.
  const reading = async () => {
    const pids = await backend.databasePids();
    const own = process.cpuUsage();
    return {
      database: new Map(pids.map((pid) => [pid, processCpuMs(pid)])),
      runtime: processCpuMs(runtime.pid),
      loadGenerator: (own.user + own.system) / 1000,
      modelServer: processCpuMs(modelServerPid),
    };
  };
  let first: ReturnType<typeof reading> | undefined;
  let last: ReturnType<typeof reading> | undefined;
  const result = await runLoad(
    client,
    questionsScript(client, botId),
    { users, warmupMs: WARMUP_MS, durationMs: DURATION_MS, thinkMs: 0 },
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
  if (!first || !last || result.completedInWindow === 0) return result;
  const [before, after] = [await first, await last];
  const perTurn = (ms: number) => round(ms / result.completedInWindow);
  const cpu = {
    runtime: perTurn(after.runtime - before.runtime),
    database: perTurn(databaseCpuMs(before.database, after.database)),
    total: 0,
  };
  cpu.total = round(cpu.runtime + cpu.database);
  const bench = {
    loadGenerator: perTurn(after.loadGenerator - before.loadGenerator),
    modelServer: perTurn(after.modelServer - before.modelServer),
  };
  return { ...result, cpuMsPerTurn: cpu, benchCpuMsPerTurn: bench };
}

async function benchBackend(
  open: () => Promise<Backend | Skipped>,
  model: { url: string; pid: number | undefined },
) {
  const modelBaseUrl = model.url;
  const backend = await open();
  if ("skipped" in backend) return backend;
  let runtime: Awaited<ReturnType<typeof startRuntimeProcess>> | undefined;
  try {
    const secretKey = generateKeyringEntry("bench");
    const seeded = await seedSlowModel(backend.db, { modelBaseUrl, delaysMs: DELAYS_MS, secretKey });
    runtime = await startRuntimeProcess(
      { ...backend.runtimeEnv, PARLEY_SECRET_KEY: secretKey, RUNTIME_ALLOW_LOOPBACK_HTTP: "true" },
      {
        defaultRateLimits: true,
        ...(PROFILE_DIR ? { cpuProfileDir: `${PROFILE_DIR}/${backend.name}` } : {}),
      },
    );
    // Unmeasured load first (instant model when seeded, else the first delay): JIT-compiled runs only.
    const warmBot = seeded.botByDelayMs.get(DELAYS_MS.includes(0) ? 0 : DELAYS_MS[0]!)!;
    const warm = new JsonClient(runtime.url, seeded.key, 50);
    await runLoad(warm, questionsScript(warm, warmBot), {
      users: 50,
      warmupMs: 0,
      durationMs: 3_000,
      thinkMs: 0,
    });
    warm.close();
    const runs: Record<string, unknown>[] = [];
    for (const delayMs of DELAYS_MS) {
      for (const users of USERS) {
        const botId = seeded.botByDelayMs.get(delayMs)!;
        const result = await measure(
          { url: runtime.url, pid: runtime.child.pid },
          backend,
          seeded.key,
          botId,
          users,
          model.pid,
        );
        runs.push({
          modelDelayMs: delayMs,
          users,
          ...result,
          ...(delayMs > 0 ? { p50OverModelDelay: round(result.p50Ms / delayMs) } : {}),
        });
        console.error(`${backend.name}: ${delayMs} ms x ${users} users: ${result.turnsPerSecond} turns/s`);
      }
    }
    return { runs, targets: targetsOf(runs) };
  } finally {
    if (runtime) await stop(runtime.child);
    await backend.close();
  }
}

/** The targets, checked against the runs that measure them. */
function targetsOf(runs: Record<string, unknown>[]) {
  const find = (delayMs: number, users: number) =>
    runs.find((run) => run.modelDelayMs === delayMs && run.users === users) as
      | (PacedResult & { p50OverModelDelay?: number })
      | undefined;
  const throughput = (delayMs: number, users: number, atLeast: number) => {
    const run = find(delayMs, users);
    if (!run) return { measured: null };
    return {
      turnsPerSecond: run.turnsPerSecond,
      atLeast,
      p50OverModelDelay: run.p50OverModelDelay,
      met: run.turnsPerSecond >= atLeast && (run.p50OverModelDelay ?? 0) <= 1.15,
    };
  };
  return {
    "50 users @ 500 ms": throughput(500, 50, 90),
    "500 users @ 2000 ms": throughput(2000, 500, 225),
  };
}

const startedAt = Date.now();
const loadAtStart = loadavg().map(round);
const model = await startScript("bench/slow-model/model-server.ts");
const results: Record<string, unknown> = {};
try {
  if (BACKENDS.includes("embedded"))
    results.embedded = await benchBackend(() => embeddedBackend(), { url: model.url, pid: model.child.pid });
  if (BACKENDS.includes("postgresRedis")) {
    results.postgresRedis = await benchBackend(() => postgresRedisBackend(POSTGRES_ADMIN_URL, REDIS_URL), {
      url: model.url,
      pid: model.child.pid,
    });
  }
} finally {
  await stop(model.child);
}
process.stdout.write(
  `${JSON.stringify({
    benchmark: "slow-model",
    flow: "ask + one llm node (no streaming) per user message; closed loop",
    durationMs: DURATION_MS,
    warmupMs: WARMUP_MS,
    cpus: cpus().length,
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadavg().map(round),
    ...results,
    wallClockMs: Date.now() - startedAt,
  })}\n`,
);
process.exit(0);
