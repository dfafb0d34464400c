import cluster from "node:cluster";
import { parseArgs } from "node:util";
import { ConfigError } from "@parley/config";
import { logTraceFields } from "@parley/infra";
import {
  CrashHistory,
  DEFAULT_RESTART_POLICY,
  describeDecision,
  describeExit,
} from "@parley/infra/restart-policy";
import pino from "pino";
import { loadRuntimeEnv } from "./env";
import { awaitDatabaseReady, stopWhenOrphaned } from "./parent-signal";
import { StartupError, startRuntime } from "./runtime";

/**
 * The runtime process: `tsx apps/runtime/src/main.ts [--workers N]` (or RUNTIME_WORKERS).
 * Validates the environment, refuses a database with pending migrations, serves the API, and on
 * SIGTERM/SIGINT finishes in-flight turns before exiting. With several workers (cluster mode only)
 * the primary forks them with node:cluster and they share the port.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { workers: { type: "string" } }, allowPositionals: false });
  let env: ReturnType<typeof loadRuntimeEnv>;
  try {
    env = loadRuntimeEnv(values.workers ? { ...process.env, RUNTIME_WORKERS: values.workers } : process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`parley runtime: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = pino({
    level: env.LOG_LEVEL,
    // Lines written while serving a traced request name its trace (trace_id, span_id).
    mixin: logTraceFields,
    base: { service: "runtime", pid: process.pid },
    // Integration secrets never reach logs, even if a request or an error object is logged whole.
    redact: {
      paths: [
        "req.headers.authorization",
        "req.headers.cookie",
        "*.credentials",
        "*.clientSecret",
        "*.accessToken",
        "*.refreshToken",
        "*.access_token",
        "*.refresh_token",
      ],
      censor: "[redacted]",
    },
  });

  let workers = env.RUNTIME_WORKERS;
  if (workers > 1 && !(env.DATABASE_URL && env.REDIS_URL)) {
    logger.warn(
      { workers },
      "several workers need DATABASE_URL and REDIS_URL (shared locks and queue); running one process",
    );
    workers = 1;
  }
  await awaitDatabaseReady(env.PARLEY_AWAIT_DATABASE);
  if (workers > 1 && cluster.isPrimary) return runPrimary(workers, logger);

  try {
    const runtime = await startRuntime(env, logger);
    logger.info({ url: runtime.url, mode: runtime.deps.infra.mode }, "runtime listening");
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, "shutting down: finishing in-flight turns");
      void runtime.close().then(
        () => process.exit(0),
        (error) => {
          logger.error({ err: error }, "shutdown failed");
          process.exit(1);
        },
      );
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
    stopWhenOrphaned(() => stop("parent exited"));
  } catch (error) {
    if (error instanceof StartupError) logger.fatal(error.message);
    else logger.fatal({ err: error }, `runtime failed to start: ${(error as Error).message}`);
    process.exit(1);
  }
}

/**
 * The cluster primary keeps `workers` processes serving: each worker slot has its own crash history
 * (the same policy as `parley start`: exponential backoff, reset after a stable period, given up
 * after too many crashes in a window). The primary exits (so its own supervisor notices) when every
 * slot was given up.
 */
function runPrimary(workers: number, logger: pino.Logger): void {
  let stopping = false;
  const slots = new Map<number, { slot: number; startedAt: number }>();
  const histories = Array.from({ length: workers }, () => new CrashHistory(DEFAULT_RESTART_POLICY));
  const pending = new Set<NodeJS.Timeout>();
  let givenUp = 0;
  const fork = (slot: number) => {
    const worker = cluster.fork();
    slots.set(worker.id, { slot, startedAt: Date.now() });
  };
  for (let slot = 0; slot < workers; slot += 1) fork(slot);
  cluster.on("exit", (worker, code, signal) => {
    const entry = slots.get(worker.id);
    slots.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    if (!entry) return;
    const decision = histories[entry.slot]!.recordCrash(entry.startedAt);
    const report = `runtime worker ${entry.slot + 1} (pid ${worker.process.pid}) exited unexpectedly (${describeExit(code, signal)}); ${describeDecision(decision)}`;
    if (decision.action === "give-up") {
      logger.error({ worker: worker.process.pid, code, signal }, report);
      givenUp += 1;
      if (givenUp === workers) process.exit(1);
      return;
    }
    logger.warn({ worker: worker.process.pid, code, signal, attempt: decision.attempt }, report);
    const timer = setTimeout(() => {
      pending.delete(timer);
      if (!stopping) fork(entry.slot);
    }, decision.delayMs);
    pending.add(timer);
  });
  const stop = () => {
    stopping = true;
    for (const timer of pending) clearTimeout(timer);
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  stopWhenOrphaned(stop);
  logger.info({ workers }, "runtime primary started its workers");
}

void main();
