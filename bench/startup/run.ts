/**
 * Startup benchmark: `parley start` (embedded mode) until the studio and the runtime both answer, then
 * the idle memory of the whole process tree. Prints one JSON object.
 *
 * `parley build` runs first (untimed), so the studio build, the bundles and the embedded database
 * template exist, as they do after a first start. Each run then starts cold on a fresh data directory,
 * stops, and starts warm on the same directory (the everyday restart). Both report the time to
 * healthy, the CLI's own phase timings (database open, migrate, seed, children ready) and the idle RSS
 * per process, so a regression points at its cause. Ports are away from the defaults, so a running
 * product is neither touched nor collided with.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 3);
const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 10);
const ports = { studio: 3310, runtime: 4310, database: 5310 };
const MB = 1_048_576;

/** Parent pid of every process, read from /proc. */
function parentsByPid(): Map<number, number[]> {
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
  return children;
}

/** Pids of `root` and all of its descendants. */
function processTree(root: number): number[] {
  const children = parentsByPid();
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

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return "";
  }
}

/** What a process of the tree is, from its command line. */
function roleOf(pid: number, root: number): string {
  if (pid === root) return "cli (parent, embedded database)";
  const cmd = commandLine(pid);
  if (cmd.includes("esbuild")) return "esbuild service (tsx)";
  if (cmd.includes("apps/runtime") || cmd.includes("parley/runtime/")) return "runtime";
  if (cmd.includes("next")) return "studio (next start)";
  if (cmd.includes("seed")) return "seed";
  return cmd.slice(0, 80) || "unknown";
}

interface ProcessMemory {
  readonly pid: number;
  readonly role: string;
  readonly rssMb: number;
}

interface Phase {
  readonly phase: string;
  readonly startMs: number;
  readonly endMs: number;
}

interface RunResult {
  /** Something was rebuilt during the run (another change to the sources landed meanwhile). */
  readonly rebuilt: boolean;
  readonly startMs: number;
  readonly rssBytes: number;
  readonly processes: ProcessMemory[];
  readonly phases: Phase[];
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

/**
 * Identity of the prepared artefacts (bundle builds, studio build): when it differs after a run,
 * the run rebuilt something because sources changed while the benchmark ran (a shared machine).
 */
function artefacts(): string {
  const cache = join(repoRoot, "node_modules/.cache/parley");
  const bundle = (name: string) => {
    try {
      return (JSON.parse(readFileSync(join(cache, `${name}.json`), "utf8")) as { build: string }).build;
    } catch {
      return "none";
    }
  };
  const studioBuild = join(repoRoot, "apps/studio/.next/BUILD_ID");
  const studio = existsSync(studioBuild) ? String(statSync(studioBuild).mtimeMs) : "none";
  return `${bundle("cli")}/${bundle("runtime")}/${studio}`;
}

/** One `parley start` on `dataDir` until healthy, then idle, measured and stopped. */
async function oneStart(dataDir: string): Promise<RunResult> {
  const before = artefacts();
  const timingsFile = join(dataDir, "..", `${dataDir.split("/").pop()}-timings.json`);
  rmSync(timingsFile, { force: true });
  const started = performance.now();
  const child = spawn(process.execPath, [join(repoRoot, "packages/cli/bin/parley.js"), "start"], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: "",
      REDIS_URL: "",
      PARLEY_DATA_DIR: dataDir,
      PARLEY_STARTUP_TIMINGS: timingsFile,
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
    const processes = processTree(child.pid!)
      .map((pid) => ({ pid, role: roleOf(pid, child.pid!), rssMb: Math.round(rssBytes(pid) / MB) }))
      .filter((p) => p.rssMb > 0);
    const rss = processTree(child.pid!).reduce((sum, pid) => sum + rssBytes(pid), 0);
    const phases = existsSync(timingsFile)
      ? (JSON.parse(readFileSync(timingsFile, "utf8")) as { phases: Phase[] }).phases
      : [];
    return { rebuilt: artefacts() !== before, startMs, rssBytes: rss, processes, phases };
  } finally {
    await stop(child);
    rmSync(timingsFile, { force: true });
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Medians over runs: total start time, total RSS, RSS per process role and duration per phase.
 * Runs that rebuilt something are left out when there are others (see {@link artefacts}).
 */
function summarize(all: RunResult[]) {
  const clean = all.filter((run) => !run.rebuilt);
  const results = clean.length > 0 ? clean : all;
  const byRole = new Map<string, number[]>();
  for (const result of results) {
    const sums = new Map<string, number>();
    for (const p of result.processes) sums.set(p.role, (sums.get(p.role) ?? 0) + p.rssMb);
    for (const [role, mb] of sums) byRole.set(role, [...(byRole.get(role) ?? []), mb]);
  }
  const byPhase = new Map<string, { durations: number[]; ends: number[] }>();
  for (const result of results) {
    for (const phase of result.phases) {
      const entry = byPhase.get(phase.phase) ?? { durations: [], ends: [] };
      entry.durations.push(phase.endMs - phase.startMs);
      entry.ends.push(phase.endMs);
      byPhase.set(phase.phase, entry);
    }
  }
  return {
    startMs: {
      median: Math.round(median(results.map((r) => r.startMs))),
      all: all.map((r) => Math.round(r.startMs)),
      runsWithRebuildLeftOut: clean.length > 0 ? all.length - clean.length : 0,
    },
    idleRssMb: {
      median: Math.round(median(results.map((r) => r.rssBytes)) / MB),
      all: all.map((r) => Math.round(r.rssBytes / MB)),
      afterIdleSeconds: idleSeconds,
      byProcessMedianMb: Object.fromEntries([...byRole].map(([role, mbs]) => [role, median(mbs)])),
      processesOfLastRun: results.at(-1)?.processes ?? [],
    },
    /** Median duration of each phase and when it ended, ms since the CLI process started. */
    phasesMedianMs: Object.fromEntries(
      [...byPhase].map(([phase, { durations, ends }]) => [
        phase,
        { durationMs: median(durations), endedAtMs: median(ends) },
      ]),
    ),
  };
}

/**
 * `parley build`: the studio build, bundles and database template are made before the clock starts
 * (the targets are for a start after the first build). Run before every start, since other work on
 * the machine may change sources in between.
 */
function prepare(): void {
  const result = spawnSync(process.execPath, [join(repoRoot, "packages/cli/bin/parley.js"), "build"], {
    cwd: repoRoot,
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (result.status !== 0) throw new Error(`parley build exited ${result.status}`);
}

const cold: RunResult[] = [];
const warm: RunResult[] = [];
for (let i = 0; i < runs; i++) {
  const dataDir = mkdtempSync(join(tmpdir(), "parley-bench-"));
  try {
    prepare();
    cold.push(await oneStart(dataDir));
    prepare();
    warm.push(await oneStart(dataDir));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
const coldSummary = summarize(cold);
const warmSummary = summarize(warm);
console.log(
  JSON.stringify(
    {
      benchmark: "startup",
      runs,
      coldStartMs: coldSummary.startMs,
      coldStartTargetMs: 20_000,
      idleRssMb: coldSummary.idleRssMb,
      idleRssTargetMb: 600,
      coldPhasesMedianMs: coldSummary.phasesMedianMs,
      warmStartMs: warmSummary.startMs,
      warmIdleRssMb: warmSummary.idleRssMb,
      warmPhasesMedianMs: warmSummary.phasesMedianMs,
    },
    null,
    2,
  ),
);
