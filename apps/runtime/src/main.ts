import cluster from "node:cluster";
import { parseArgs } from "node:util";
import { ConfigError } from "@parley/config";
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
  const logger = pino({ level: env.LOG_LEVEL, base: { service: "runtime", pid: process.pid } });

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

function runPrimary(workers: number, logger: pino.Logger): void {
  let stopping = false;
  for (let index = 0; index < workers; index += 1) cluster.fork();
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    logger.warn({ worker: worker.process.pid, code, signal }, "worker exited; starting a new one");
    cluster.fork();
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  stopWhenOrphaned(stop);
  logger.info({ workers }, "runtime primary started its workers");
}

void main();
