import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadOrCreateEmbeddedKey } from "@parley/infra";
import { parseCommandArgs, positiveInteger } from "../args";
import { openConfiguredDatabase } from "../database/open-configured";
import { type CliEnv, loadCliEnv, publicUrls } from "../env";
import { type Command, ExitCode } from "../io";
import { appDirs, repoRoot } from "../paths";
import { ensureDemo } from "../seed/ensure-demo";
import { printBanner } from "../start/banner";
import {
  type ChildSpec,
  type SupervisedChild,
  spawnChild,
  stopChild,
  waitUntilHealthy,
} from "../start/child-process";
import { assertPortFree } from "../start/ports";
import { buildStudio, studioNeedsBuild } from "../start/studio-build";

const HEALTH_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 15_000;

/**
 * `parley start`: migrate, seed the demo when missing, start the runtime and the studio, print where
 * everything is, and on SIGINT/SIGTERM stop the children first (they finish in-flight work) and the
 * embedded database last (it flushes), so nothing acknowledged is lost.
 */
export const startCommand: Command = async (argv, io) => {
  const { values } = parseCommandArgs(argv, {
    studio: { type: "boolean", default: true },
    "no-studio": { type: "boolean", default: false },
    runtime: { type: "boolean", default: true },
    "no-runtime": { type: "boolean", default: false },
    workers: { type: "string" },
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
      host: "0.0.0.0",
      purpose: "studio",
      variable: "STUDIO_PORT",
    });
  }

  const secretKey = env.PARLEY_SECRET_KEY ?? (await loadOrCreateEmbeddedKey(dataDir)).secretKey;
  let stopSignalled = false;
  const stopRequested = onStopSignal().then((stop) => {
    stopSignalled = true;
    return stop;
  });
  const database = await openConfiguredDatabase(env);
  const children: SupervisedChild[] = [];
  let stopping: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    stopping ??= (async () => {
      io.stdout.write("\nStopping Parley ...\n");
      await Promise.all(children.map((child) => stopChild(child, STOP_GRACE_MS)));
      await database.close();
      io.stdout.write("Stopped.\n");
    })();
    return stopping;
  };

  try {
    const applied = await database.db.migrate();
    if (applied.length > 0) io.stdout.write(`Applied ${applied.length} database migration(s).\n`);
    const urls = publicUrls(env);
    const demo = await ensureDemo(database.db, { dataDir, ...urls });

    if (withStudio && studioNeedsBuild(appDirs.studio, studioSourceDirs())) {
      io.stdout.write("Building the studio (first start, or its sources changed) ...\n");
      await buildStudio(appDirs.studio, nextBin(), io.stdout);
    }

    const childEnv = {
      ...process.env,
      DATABASE_URL: database.url,
      PARLEY_SECRET_KEY: secretKey,
      PARLEY_DATA_DIR: dataDir,
      PARLEY_DEMO_FILE: demo.file,
      PARLEY_RUNTIME_URL: urls.runtimeUrl,
      PARLEY_STUDIO_URL: urls.studioUrl,
      RUNTIME_WORKERS: String(workers),
      NEXT_TELEMETRY_DISABLED: "1",
    };
    if (withRuntime) children.push(spawnChild(runtimeSpec(env, childEnv), io.stdout));
    if (withStudio) children.push(spawnChild(studioSpec(env, childEnv), io.stdout));
    const healthy = Promise.all(children.map((child) => waitUntilHealthy(child, HEALTH_TIMEOUT_MS)));
    if ((await Promise.race([healthy.then(() => "healthy" as const), stopRequested])) === "stop") {
      await shutdown();
      return ExitCode.ok;
    }

    printBanner(io.stdout, {
      demo: demo.credentials,
      demoFile: demo.file,
      embedded: database.embedded !== undefined,
    });
    const exitedEarly = Promise.race(children.map((child) => child.exited.then((code) => ({ child, code }))));
    const outcome = await Promise.race([stopRequested, exitedEarly]);
    if (outcome !== "stop") {
      io.stderr.write(
        `parley start: the ${outcome.child.spec.name} exited unexpectedly (${outcome.code}); stopping everything.\n`,
      );
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

function runtimeSpec(env: CliEnv, childEnv: NodeJS.ProcessEnv): ChildSpec {
  return {
    name: "runtime",
    command: process.execPath,
    args: ["--import", "tsx", join(appDirs.runtime, "src/main.ts")],
    cwd: appDirs.runtime,
    env: { ...childEnv, RUNTIME_PORT: String(env.RUNTIME_PORT), RUNTIME_HOST: env.RUNTIME_HOST },
    healthUrl: `http://127.0.0.1:${env.RUNTIME_PORT}/ready`,
  };
}

function studioSpec(env: CliEnv, childEnv: NodeJS.ProcessEnv): ChildSpec {
  return {
    name: "studio",
    command: process.execPath,
    args: [nextBin(), "start", "--port", String(env.STUDIO_PORT)],
    cwd: appDirs.studio,
    env: { ...childEnv, PORT: String(env.STUDIO_PORT) },
    healthUrl: `http://127.0.0.1:${env.STUDIO_PORT}/`,
  };
}

/** Next's CLI entry, wherever npm hoisted it. */
function nextBin(): string {
  const candidates = [
    join(appDirs.studio, "node_modules/next/dist/bin/next"),
    join(repoRoot, "node_modules/next/dist/bin/next"),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error("Next.js is not installed: run `npm install` first.");
  return found;
}

/** Sources the studio bundles: its own and the workspace packages it transpiles. */
function studioSourceDirs(): string[] {
  return [
    join(appDirs.studio, "src"),
    ...["flow-schema", "engine", "core", "contract", "config", "db", "infra"].map((name) =>
      join(repoRoot, "packages", name, "src"),
    ),
  ];
}
