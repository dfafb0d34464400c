import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import { loadOrCreateDbPassword } from "@parley/db/embedded";
import { loadOrCreateEmbeddedKey } from "@parley/infra/embedded-key";
import { parseCommandArgs, positiveInteger } from "../args";
import { databaseUrlFor, type HostedDatabase, hostDatabase } from "../database/host-database";
import { loadCliEnv, publicUrls } from "../env";
import { type Command, ExitCode } from "../io";
import { demoFilePath } from "../seed/demo-file";
import { printBanner } from "../start/banner";
import { type ChildSpec, type SupervisedChild, waitUntilHealthy } from "../start/child-process";
import { childMemoryEnv } from "../start/node-flags";
import { assertPortFree } from "../start/ports";
import { answerDatabaseReady, prepareRuntime, runtimeSpec } from "../start/runtime-launch";
import { type SeedChild, seedInChild } from "../start/seed-child";
import { StartupTimings } from "../start/startup-timings";
import { ensureStudioBuilt, studioSpec } from "../start/studio-launch";
import { type SupervisedService, superviseChild } from "../start/supervisor";

const HEALTH_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 15_000;

/**
 * `parley start`: migrate, start the runtime and the studio, seed the demo when missing, print where
 * everything is, and on SIGINT/SIGTERM stop the children first (they finish in-flight work) and the
 * embedded database last (it flushes), so nothing acknowledged is lost.
 *
 * Start-up overlaps what does not depend on each other: the studio and the runtime are spawned while
 * the database opens (the runtime loads its code, then waits for a signal to check the schema and
 * serve); once the database is migrated, the runtime is signalled and a short-lived child seeds the
 * demo. The parent itself only hosts the database and supervises: it loads no Prisma client.
 *
 * Supervision: a runtime or studio process that dies without being asked to is restarted with
 * exponential backoff while the rest (and the database this process hosts) keeps serving; after too
 * many crashes in a window it is given up (see supervisor.ts and @parley/infra/restart-policy).
 */
export const startCommand: Command = async (argv, io) => {
  const timings = new StartupTimings();
  timings.record("cli-load", 0);
  const { values } = parseCommandArgs(argv, {
    studio: { type: "boolean", default: true },
    "no-studio": { type: "boolean", default: false },
    runtime: { type: "boolean", default: true },
    "no-runtime": { type: "boolean", default: false },
    workers: { type: "string" },
    verbose: { type: "boolean", default: false },
  });
  const withStudio = values.studio && !values["no-studio"];
  const withRuntime = values.runtime && !values["no-runtime"];
  const workers = positiveInteger("workers", values.workers, 1);
  const env = loadCliEnv();
  const dataDir = resolve(env.PARLEY_DATA_DIR);

  if (withRuntime) {
    await assertPortFree({
      port: env.RUNTIME_PORT,
      host: env.RUNTIME_HOST,
      purpose: "runtime",
      variable: "RUNTIME_PORT",
    });
  }
  if (withStudio) {
    await assertPortFree({
      port: env.STUDIO_PORT,
      host: env.STUDIO_HOST,
      purpose: "studio",
      variable: "STUDIO_PORT",
    });
  }
  if (!env.DATABASE_URL) {
    // Checked here too (the server checks again), before the runtime and the studio are spawned.
    await assertPortFree({
      port: env.PARLEY_EMBEDDED_DB_PORT,
      host: "127.0.0.1",
      purpose: "embedded database",
      variable: "PARLEY_EMBEDDED_DB_PORT",
    });
  }

  const secretKey = env.PARLEY_SECRET_KEY ?? (await loadOrCreateEmbeddedKey(dataDir)).secretKey;
  // The embedded database's password (data directory, 0600): the children get it in DATABASE_URL.
  const dbPassword = env.DATABASE_URL ? "" : await loadOrCreateDbPassword(dataDir);
  let stopSignalled = false;
  const stopRequested = onStopSignal().then((stop) => {
    stopSignalled = true;
    return stop;
  });
  const startup = new AbortController();
  const children: SupervisedService[] = [];
  const ready: Promise<unknown>[] = [];
  let seeding: SeedChild | undefined;
  let database: HostedDatabase | undefined;
  let stopping: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    // Quiet when start-up failed before the database was up: the error message is all there is to say.
    const announce = stopSignalled || database !== undefined;
    stopping ??= (async () => {
      if (announce) io.stdout.write("\nStopping Parley ...\n");
      startup.abort();
      seeding?.stop();
      await Promise.all([
        ...children.map((child) => child.stop(STOP_GRACE_MS)),
        seeding?.done.catch(() => {}),
      ]);
      await database?.close();
      if (announce) io.stdout.write("Stopped.\n");
    })();
    return stopping;
  };
  // Resolves when the supervisor gave up on every child: nothing is left to serve.
  let markAllGivenUp!: () => void;
  const allGivenUp = new Promise<"gave-up">((resolve) => {
    markAllGivenUp = () => resolve("gave-up");
  });
  // Spawns nothing once a stop began (a child would outlive the shutdown that missed it). Each child
  // is supervised from the start: a crash restarts it with backoff (see supervisor.ts); start-up
  // still fails when the first process never becomes healthy.
  const launch = (
    spec: ChildSpec,
    onSpawn?: (child: SupervisedChild) => void,
  ): SupervisedService | undefined => {
    if (startup.signal.aborted) return undefined;
    const service = superviseChild(spec, {
      out: io.stdout,
      healthTimeoutMs: HEALTH_TIMEOUT_MS,
      ...(onSpawn ? { onSpawn } : {}),
      onGiveUp: () => {
        if (children.every((child) => child.givenUp())) markAllGivenUp();
      },
    });
    children.push(service);
    const first = service.current();
    ready.push(
      handled(timings.measure(`${spec.name}-ready`, () => waitUntilHealthy(first, HEALTH_TIMEOUT_MS))),
    );
    return service;
  };

  const urls = publicUrls(env);
  const childEnv = {
    ...process.env,
    ...childMemoryEnv(process.env),
    DATABASE_URL: databaseUrlFor(env, dbPassword),
    PARLEY_SECRET_KEY: secretKey,
    PARLEY_DATA_DIR: dataDir,
    PARLEY_DEMO_FILE: demoFilePath(dataDir),
    PARLEY_RUNTIME_URL: urls.runtimeUrl,
    PARLEY_STUDIO_URL: urls.studioUrl,
    RUNTIME_WORKERS: String(workers),
    // Request logs (info) stay out of the terminal unless asked for; an explicit LOG_LEVEL wins.
    LOG_LEVEL: process.env.LOG_LEVEL ?? (values.verbose ? "info" : "warn"),
    PARLEY_INSTANCE_ID: randomUUID(),
    NEXT_TELEMETRY_DISABLED: "1",
  };

  try {
    // The studio and the runtime load their code while the database opens: the studio needs the
    // database only for requests, the runtime waits for a signal before it checks the schema.
    let markDatabaseReady!: () => void;
    const databaseReady = new Promise<void>((resolve) => {
      markDatabaseReady = resolve;
    });
    const runtime = withRuntime
      ? timings.measure("runtime-bundle", prepareRuntime).then((entry) => {
          // Every runtime process (the first and each restart) asks whether the database is ready.
          return launch(runtimeSpec(env, childEnv, entry), (child) =>
            answerDatabaseReady(child, databaseReady),
          );
        })
      : undefined;
    const studio = withStudio
      ? timings
          .measure("studio-build-check", () => ensureStudioBuilt(io.stdout, startup.signal))
          .then(() => launch(studioSpec(env, childEnv)))
      : undefined;
    if (runtime) handled(runtime);
    if (studio) handled(studio);

    const db = await timings.measure("database-open", () => hostDatabase(env, timings));
    database = db;
    const applied = await timings.measure("migrate", () => db.migrate());
    if (applied.length > 0) io.stdout.write(`Applied ${applied.length} database migration(s).\n`);
    markDatabaseReady();
    seeding = seedInChild(dataDir, childEnv);
    const seeded = handled(timings.measure("seed", () => (seeding as SeedChild).done));

    // Once both are launched (the studio may still be building), everything must become healthy.
    const healthy = Promise.all([runtime, studio]).then(() => Promise.all([seeded, ...ready]));
    if ((await Promise.race([healthy.then(() => "healthy" as const), stopRequested])) === "stop") {
      await shutdown();
      return ExitCode.ok;
    }

    const demo = await seeded;
    timings.writeTo(env.PARLEY_STARTUP_TIMINGS);
    printBanner(io.stdout, {
      demo: demo.credentials,
      demoFile: demo.file,
      embedded: db.embedded !== undefined,
    });
    // Crashed children are restarted by their supervisors; only a stop, or every child given up, ends this.
    const outcome = await Promise.race([stopRequested, allGivenUp]);
    if (outcome === "gave-up") {
      io.stderr.write("parley start: every process crashed repeatedly and was given up; stopping.\n");
    }
    await shutdown();
    return outcome === "stop" ? ExitCode.ok : ExitCode.failure;
  } catch (error) {
    await shutdown();
    // Ctrl-C during start-up also interrupts a build or a child: that is a stop, not a failure.
    if (stopSignalled) return ExitCode.ok;
    throw error;
  }
};

/** Marks a promise as handled (it is awaited later, maybe after it rejected) and returns it. */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

/**
 * Resolves with "stop" on the first SIGINT or SIGTERM. A second Ctrl-C (SIGINT) forces an immediate
 * exit; repeated SIGTERMs do not, since supervisors often signal a whole process group at once.
 */
function onStopSignal(): Promise<"stop"> {
  return new Promise((resolveStop) => {
    let interrupts = 0;
    process.on("SIGINT", () => {
      interrupts += 1;
      if (interrupts > 1) process.exit(ExitCode.failure);
      resolveStop("stop");
    });
    process.on("SIGTERM", () => resolveStop("stop"));
  });
}
