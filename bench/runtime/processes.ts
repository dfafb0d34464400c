/**
 * Child processes of the runtime benchmark: the runtime itself, the bare Fastify ceiling and the
 * embedded database server, each in its own process (as `parley start` runs them), plus their CPU
 * time read from /proc so the figures can be given as CPU milliseconds per turn.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { generateKeyringEntry } from "@parley/infra";

/** The repository root. */
export const root = new URL("../../", import.meta.url).pathname;

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not start`);
}

/** A started child that listens on `url`. */
export interface Started {
  url: string;
  child: ChildProcess;
}

/**
 * Starts `apps/runtime/src/main.ts` with bench-friendly limits (rate limits out of the way unless
 * `defaultRateLimits`). `cpuProfileDir` makes node write a .cpuprofile there on exit. `env` wins
 * over the bench's defaults (a `PARLEY_SECRET_KEY` the seed used, say).
 */
export async function startRuntimeProcess(
  env: Record<string, string>,
  options: { cpuProfileDir?: string; defaultRateLimits?: boolean } = {},
): Promise<Started> {
  const port = await freePort();
  const flags = options.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  const child = spawn(process.execPath, [...flags, "--import", "tsx", "src/main.ts"], {
    cwd: join(root, "apps/runtime"),
    env: {
      ...process.env,
      ...(options.defaultRateLimits
        ? {}
        : {
            RUNTIME_RATE_LIMIT_TENANT: "10000000",
            RUNTIME_RATE_LIMIT_KEY: "10000000",
            RUNTIME_RATE_LIMIT_CONVERSATION: "100000",
          }),
      LOG_LEVEL: "error",
      PARLEY_SECRET_KEY: generateKeyringEntry("bench"),
      ...env,
      RUNTIME_PORT: String(port),
    },
    // BENCH_RUNTIME_LOGS=1 shows the runtime's (error-level) logs.
    stdio: ["ignore", process.env.BENCH_RUNTIME_LOGS ? "inherit" : "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url, child);
  return { url, child };
}

/** Starts a bench script that prints its URL (or JSON with `url`) on its first stdout line. */
export async function startScript(
  script: string,
  args: string[] = [],
  options: { cpuProfileDir?: string } = {},
): Promise<Started & { line: string }> {
  const flags = options.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  const child = spawn(process.execPath, [...flags, "--import", "tsx", join(root, script), ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let buffered = "";
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const end = buffered.indexOf("\n");
      if (end === -1) return;
      child.stdout!.off("data", onData);
      resolve(buffered.slice(0, end).trim());
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { url: line.startsWith("{") ? (JSON.parse(line) as { url: string }).url : line, child, line };
}

/** SIGTERM, then SIGKILL after 15 s. */
export function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 15_000).unref();
  });
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** User + system CPU milliseconds a process has used so far (0 when it is gone). */
export function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}
