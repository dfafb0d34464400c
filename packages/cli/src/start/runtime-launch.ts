import { join } from "node:path";
import { ensureBundlesInChild } from "../../bin/bundles.js";
import type { CliEnv } from "../env";
import { appDirs } from "../paths";
import { type ChildSpec, type SupervisedChild, signalChild } from "./child-process";
import { CHILD_NODE_FLAGS } from "./node-flags";

/** How to run the runtime: its bundle (plain Node), or its sources through tsx when none can be built. */
export interface RuntimeEntry {
  readonly args: readonly string[];
  readonly bundled: boolean;
}

/**
 * Makes sure the runtime's bundle is current (esbuild in a short-lived child, about a second when a
 * source changed) and says how to start it. Falls back to tsx, which needs no build, when bundling fails.
 */
export async function prepareRuntime(): Promise<RuntimeEntry> {
  if (!process.env.PARLEY_FROM_SOURCE) {
    try {
      const { runtime } = await ensureBundlesInChild(["runtime"]);
      return { args: [runtime], bundled: true };
    } catch {
      // tsx will report a real problem in the sources with a clearer message than the bundler
    }
  }
  return { args: ["--import", "tsx", join(appDirs.runtime, "src/main.ts")], bundled: false };
}

/**
 * The runtime's start-up handshake (apps/runtime/src/parent-signal.ts; the start tests fail if the
 * two drift apart): it asks once it listens for the answer, and is answered once the database is
 * migrated, so an answer can never arrive before the runtime listens for it.
 */
const AWAIT_DATABASE = "parley:await-database";
const DATABASE_READY = { type: "parley:database-ready" } as const;

/** Answers the runtime's "is the database ready?" once `databaseReady` resolves. */
export function answerDatabaseReady(runtime: SupervisedChild, databaseReady: Promise<unknown>): void {
  runtime.process.on("message", (message: { type?: unknown } | null) => {
    if (message?.type !== AWAIT_DATABASE) return;
    databaseReady.then(
      () => signalChild(runtime, DATABASE_READY),
      () => {}, // start-up failed: the runtime is stopped with everything else
    );
  });
}

/**
 * The runtime child: one process (or a node:cluster primary with `RUNTIME_WORKERS` workers). It is
 * spawned before the database is ready and loads its modules meanwhile; see {@link answerDatabaseReady}.
 */
export function runtimeSpec(env: CliEnv, childEnv: NodeJS.ProcessEnv, entry: RuntimeEntry): ChildSpec {
  const debugFlags = process.env.PARLEY_DEBUG && entry.bundled ? ["--enable-source-maps"] : [];
  return {
    name: "runtime",
    command: process.execPath,
    args: [...CHILD_NODE_FLAGS, ...debugFlags, ...entry.args],
    cwd: appDirs.runtime,
    env: {
      ...childEnv,
      RUNTIME_PORT: String(env.RUNTIME_PORT),
      RUNTIME_HOST: env.RUNTIME_HOST,
      PARLEY_AWAIT_DATABASE: "1",
    },
    healthUrl: `http://127.0.0.1:${env.RUNTIME_PORT}/ready`,
    ...(childEnv.PARLEY_INSTANCE_ID ? { instanceId: childEnv.PARLEY_INSTANCE_ID } : {}),
    ipc: true,
  };
}
