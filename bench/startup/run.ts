/**
 * Startup benchmark: cold `parley start` (embedded mode, studio already built) until the studio and the
 * runtime both answer, then the idle memory of the whole process tree. Prints one JSON object.
 *
 * Each run uses a fresh data directory and ports away from the defaults, so it neither touches nor
 * collides with a running product.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 3);
const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 10);
const ports = { studio: 3310, runtime: 4310, database: 5310 };

/** Pids of `root` and all of its descendants, read from /proc. */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** Resident set size in bytes of one process (0 when it is gone). */
function rssBytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

async function waitFor(url: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1_000) })).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} did not answer in time`);
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

async function oneRun(): Promise<{ startMs: number; rssBytes: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), "parley-bench-"));
  const started = performance.now();
  const child = spawn(process.execPath, [join(repoRoot, "packages/cli/bin/parley.js"), "start"], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: "",
      REDIS_URL: "",
      PARLEY_DATA_DIR: dataDir,
      STUDIO_PORT: String(ports.studio),
      RUNTIME_PORT: String(ports.runtime),
      PARLEY_EMBEDDED_DB_PORT: String(ports.database),
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    const deadline = Date.now() + 120_000;
    await Promise.all([
      waitFor(`http://127.0.0.1:${ports.runtime}/ready`, deadline),
      waitFor(`http://127.0.0.1:${ports.studio}/`, deadline),
    ]);
    const startMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
    const rss = processTree(child.pid!).reduce((sum, pid) => sum + rssBytes(pid), 0);
    return { startMs, rssBytes: rss };
  } finally {
    await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const results = [];
for (let i = 0; i < runs; i++) results.push(await oneRun());
console.log(
  JSON.stringify(
    {
      benchmark: "startup",
      runs,
      coldStartMs: {
        median: Math.round(median(results.map((r) => r.startMs))),
        all: results.map((r) => Math.round(r.startMs)),
      },
      coldStartTargetMs: 20_000,
      idleRssMb: {
        median: Math.round(median(results.map((r) => r.rssBytes)) / 1_048_576),
        afterIdleSeconds: idleSeconds,
      },
      idleRssTargetMb: 600,
    },
    null,
    2,
  ),
);
