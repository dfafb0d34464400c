import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** `parley start` (and friends) as a user runs it: a real child process of the CLI. */
const bin = fileURLToPath(new URL("../../bin/parley.js", import.meta.url));
const dataDirs: string[] = [];

/** A new temporary data directory, removed by {@link removeDataDirs}. */
export function freshDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "parley-start-"));
  dataDirs.push(dir);
  return dir;
}

/** Removes the data directories {@link freshDataDir} made (call in afterAll). */
export function removeDataDirs(): void {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A running `parley start`. */
export interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Ports of a started stack (studio only with `withStudio`). */
export interface StackPorts {
  runtime: number;
  db: number;
  studio?: number;
}

/** Runs `parley start` in embedded mode (no studio unless `ports.studio` is given). */
export function startParley(
  dataDir: string,
  ports: StackPorts,
  extraArgs: string[] = [],
  extraEnv: NodeJS.ProcessEnv = {},
): Started {
  const studioArgs = ports.studio === undefined ? ["--no-studio"] : [];
  const child = spawn(process.execPath, [bin, "start", ...studioArgs, ...extraArgs], {
    env: {
      ...process.env,
      DATABASE_URL: "",
      REDIS_URL: "",
      PARLEY_DATA_DIR: dataDir,
      RUNTIME_PORT: String(ports.runtime),
      PARLEY_EMBEDDED_DB_PORT: String(ports.db),
      ...(ports.studio === undefined ? {} : { STUDIO_PORT: String(ports.studio) }),
      LOG_LEVEL: "warn",
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    output += String(chunk);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Resolves once the output contains `text` (`timeoutMs` is a failure bound, not a timing assertion). */
export async function until(started: Started, text: string | RegExp, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const found = () =>
    typeof text === "string" ? started.output().includes(text) : text.test(started.output());
  while (!found()) {
    if (started.child.exitCode !== null) throw new Error(`parley start exited early:\n${started.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for "${text}":\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The pids the supervisor reported for `name` ("[supervisor] runtime started (pid N)"), in order. */
export function reportedPids(started: Started, name: string): number[] {
  const pattern = new RegExp(`\\[supervisor\\] ${name} started \\(pid (\\d+)\\)`, "g");
  return [...started.output().matchAll(pattern)].map((match) => Number(match[1]));
}

/** Polls `url` until it answers 2xx; `timeoutMs` bounds a failure, it is not a timing assertion. */
export async function untilAnswering(url: string, timeoutMs = 120_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return response;
    } catch {
      // not listening (yet)
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
