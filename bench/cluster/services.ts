/**
 * Private services for the cluster benchmarks (bench/faults, bench/scaling): a Postgres cluster of
 * our own (initdb into a temporary directory, started with pg_ctl on its own port) and a Redis
 * server of our own, so a bench may restart or pin them without touching the shared instances the
 * tests use. Also the runtime in cluster mode (the node:cluster primary `parley start --workers N`
 * runs, with its restart policy) and CPU time of whole process trees read from /proc.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKeyringEntry } from "@parley/infra";
import { Redis } from "ioredis";
import { freePort, root, stop } from "../runtime/processes";

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Synchronous clean-ups run however this process ends (a crashed bench leaves no server behind). */
const onExit = new Set<() => void>();
let exitHooked = false;
function cleanUpOnExit(cleanUp: () => void): () => void {
  if (!exitHooked) {
    exitHooked = true;
    process.once("exit", () => {
      for (const fn of onExit) {
        try {
          fn();
        } catch {
          // best effort
        }
      }
    });
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));
    process.once("uncaughtException", (error) => {
      console.error(error);
      process.exit(1);
    });
  }
  onExit.add(cleanUp);
  return () => onExit.delete(cleanUp);
}

/** `taskset -c <cpus>` prefix when `cpus` is given (e.g. "0" or "0,1"), else nothing. */
function pinned(cpus: string | undefined, command: string, args: string[]): [string, string[]] {
  return cpus ? ["taskset", ["-c", cpus, command, ...args]] : [command, args];
}

/** Runs as the `postgres` OS user when we are root (initdb and postgres refuse root). */
function asPostgres(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
}

/** A Postgres cluster this process owns. */
export interface PrivatePostgres {
  readonly port: number;
  readonly dataDir: string;
  /** `postgresql://postgres@127.0.0.1:<port>/postgres` */
  readonly adminUrl: string;
  /** The postmaster's pid (its children are the backends). */
  pid(): number;
  /** Crash-like restart (`pg_ctl stop -m immediate`, then start): un-checkpointed work is recovered from WAL. */
  restart(options?: { mode?: "immediate" | "fast" }): Promise<void>;
  close(): Promise<void>;
}

/**
 * initdb + pg_ctl start on `port` (default 5544), pinned to `cpus` when given. `settings` are extra
 * `-c name=value` server settings (e.g. `log_statement=all`).
 */
export async function startPrivatePostgres(
  options: { port?: number; cpus?: string; settings?: Record<string, string> } = {},
): Promise<PrivatePostgres> {
  const port = options.port ?? 5544;
  const base = mkdtempSync(join(tmpdir(), "parley-bench-pg-"));
  const dataDir = join(base, "data");
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(base, uid, gid);
  }
  const run = (command: string, args: string[]) => {
    const [file, argv] = asPostgres(command, args);
    execFileSync(file, argv, { stdio: ["ignore", "ignore", "pipe"] });
  };
  run("initdb", ["-D", dataDir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
  const settings: Record<string, string> = {
    listen_addresses: "127.0.0.1",
    unix_socket_directories: base,
    max_connections: "300",
    shared_buffers: "256MB",
    ...options.settings,
  };
  const serverOptions = [
    `-p ${port}`,
    ...Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`),
  ].join(" ");
  const start = () => {
    // pg_ctl forks the postmaster; taskset on pg_ctl pins it and everything it forks.
    const [file, argv] = pinned(options.cpus, "pg_ctl", [
      "-D",
      dataDir,
      "-l",
      join(base, "log"),
      "-o",
      serverOptions,
      "-w",
      "-t",
      "60",
      "start",
    ]);
    const [asFile, asArgv] = asPostgres(file, argv);
    execFileSync(asFile, asArgv, { stdio: ["ignore", "ignore", "pipe"] });
  };
  start();
  const forget = cleanUpOnExit(() => {
    run("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
    rmSync(base, { recursive: true, force: true });
  });
  const pid = () => Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  return {
    port,
    dataDir,
    adminUrl: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    pid,
    restart: async ({ mode = "immediate" } = {}) => {
      run("pg_ctl", ["-D", dataDir, "-m", mode, "-w", "stop"]);
      start();
    },
    close: async () => {
      forget();
      try {
        run("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
      } catch {
        // already stopped
      }
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/** A Redis server this process owns (no persistence: a restart loses everything, the worst case). */
export interface PrivateRedis {
  readonly port: number;
  readonly url: string;
  pid(): number | undefined;
  /** Stops the server (SIGTERM, nothing saved) and starts a new, empty one on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** `redis-server --port <port>` (default 6390), pinned to `cpus` when given. */
export async function startPrivateRedis(
  options: { port?: number; cpus?: string } = {},
): Promise<PrivateRedis> {
  const port = options.port ?? 6390;
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    const [file, argv] = pinned(options.cpus, "redis-server", [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      // BullMQ needs noeviction; the hot cache is bounded by its TTL (see docs/deploy.md).
      "--maxmemory-policy",
      "noeviction",
      "--logfile",
      join(tmpdir(), `parley-bench-redis-${port}.log`),
    ]);
    child = spawn(file, argv, { stdio: "ignore" });
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on("error", () => {});
      try {
        await probe.connect();
        await probe.ping();
        probe.disconnect();
        return;
      } catch {
        probe.disconnect();
        await wait(50);
      }
    }
    throw new Error(`redis-server on ${port} did not start`);
  };
  await start();
  const forget = cleanUpOnExit(() => child?.kill("SIGKILL"));
  const kill = async () => {
    const current = child;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      current.once("exit", () => resolve());
      current.kill("SIGTERM");
    });
  };
  return {
    port,
    url,
    // With taskset the child is taskset, which execs redis-server: the same pid.
    pid: () => child?.pid,
    restart: async () => {
      await kill();
      await start();
    },
    close: async () => {
      forget();
      await kill();
    },
  };
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime (own) and cutime + cstime (reaped children), in ticks. */
  own: number;
  reaped: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return {
      pid,
      ppid: Number(fields[1]),
      own: Number(fields[11]) + Number(fields[12]),
      reaped: Number(fields[13]) + Number(fields[14]),
    };
  } catch {
    return undefined;
  }
}

/**
 * CPU ms of a whole process tree so far: the root's own time and that of the children it reaped
 * (a postmaster's finished backends, a cluster primary's dead workers), plus every live descendant's.
 */
export function treeCpuMs(rootPid: number | undefined): number {
  if (rootPid === undefined) return 0;
  const stats = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((stat): stat is ProcStat => stat !== undefined);
  const children = new Map<number, ProcStat[]>();
  for (const stat of stats) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
  const rootStat = stats.find((stat) => stat.pid === rootPid);
  if (!rootStat) return 0;
  let ticks = 0;
  const visit = (stat: ProcStat) => {
    ticks += stat.own + stat.reaped;
    for (const child of children.get(stat.pid) ?? []) visit(child);
  };
  visit(rootStat);
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** Live child pids of `pid`. */
export function childPids(pid: number): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((stat): stat is ProcStat => stat?.ppid === pid)
    .map((stat) => stat.pid);
}

/** The runtime in cluster mode: a node:cluster primary and its workers sharing one port. */
export interface RuntimeCluster {
  readonly url: string;
  readonly child: ChildProcess;
  /** The workers' pids now. */
  workers(): number[];
  close(): Promise<void>;
}

async function waitFor(url: string, child: ChildProcess, until: () => boolean = () => true) {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`runtime exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/ready`)).ok && until()) return;
    } catch {
      // not listening yet
    }
    await wait(200);
  }
  throw new Error(`${url} did not become ready`);
}

/**
 * `apps/runtime/src/main.ts --workers N` (the primary restarts a worker that dies), pinned to
 * `cpus` when given, rate limits out of the bench's way. Resolves once every worker is up.
 */
export async function startRuntimeCluster(
  env: Record<string, string>,
  options: { workers: number; cpus?: string },
): Promise<RuntimeCluster> {
  const port = await freePort();
  const [file, argv] = pinned(options.cpus, process.execPath, [
    "--import",
    "tsx",
    "src/main.ts",
    "--workers",
    String(options.workers),
  ]);
  const child = spawn(file, argv, {
    cwd: join(root, "apps/runtime"),
    env: {
      ...process.env,
      RUNTIME_RATE_LIMIT_TENANT: "10000000",
      RUNTIME_RATE_LIMIT_KEY: "10000000",
      RUNTIME_RATE_LIMIT_CONVERSATION: "100000",
      LOG_LEVEL: "error",
      PARLEY_SECRET_KEY: generateKeyringEntry("bench"),
      RUNTIME_DB_MAINTENANCE_MINUTES: "0",
      ...env,
      RUNTIME_PORT: String(port),
    },
    // An IPC channel: the primary stops its workers and exits when the bench goes away.
    stdio: ["ignore", process.env.BENCH_RUNTIME_LOGS ? "inherit" : "ignore", "inherit", "ipc"],
  });
  const forget = cleanUpOnExit(() => child.kill("SIGTERM"));
  const url = `http://127.0.0.1:${port}`;
  const workers = () => (child.pid ? childPids(child.pid) : []);
  await waitFor(url, child, () => options.workers === 1 || workers().length >= options.workers);
  // Every worker answers once the last one forked has loaded (they share the port round-robin).
  for (let i = 0; i < options.workers * 4; i += 1) await waitFor(url, child);
  return {
    url,
    child,
    workers,
    close: () => {
      forget();
      return stop(child);
    },
  };
}

/** Waits until `url`/ready answers 200 again (after a fault). */
export async function untilReady(url: string, child: ChildProcess): Promise<void> {
  await waitFor(url, child);
}

/** True when the binaries the private services need are on PATH. */
export function servicesAvailable(): string | undefined {
  for (const binary of ["initdb", "pg_ctl", "redis-server"]) {
    const found = (process.env.PATH ?? "")
      .split(":")
      .some((dir) => dir !== "" && existsSync(join(dir, binary)));
    if (!found) return `${binary} is not on PATH`;
  }
  return undefined;
}
