import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

/** How to launch one of the product's processes (runtime, studio). */
export interface ChildSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** URL that answers 2xx once the process is ready to serve. */
  readonly healthUrl: string;
  /**
   * The `PARLEY_INSTANCE_ID` this child was given: a health answer counts only with this id in its
   * `x-parley-instance` header (another process on the port does not make this one healthy).
   */
  readonly instanceId?: string;
  /** Open an IPC channel (`process.send` in the child) for start-up signals. */
  readonly ipc?: boolean;
}

/** A running child whose output is prefixed with its name and whose last lines are kept for error reports. */
export interface SupervisedChild {
  readonly spec: ChildSpec;
  readonly process: ChildProcess;
  /** Resolves with the exit code (or signal name) when the process ends. */
  readonly exited: Promise<number | string>;
  /** The last lines the child printed, for a failure report. */
  recentOutput(): string[];
}

const KEPT_LINES = 40;

/** Spawns a child, relays its output line by line prefixed with `[name]`. */
export function spawnChild(spec: ChildSpec, out: NodeJS.WritableStream): SupervisedChild {
  const child = spawn(spec.command, [...spec.args], {
    cwd: spec.cwd,
    env: spec.env,
    stdio: spec.ipc ? ["ignore", "pipe", "pipe", "ipc"] : ["ignore", "pipe", "pipe"],
  });
  const recent: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on("line", (line) => {
      recent.push(line);
      if (recent.length > KEPT_LINES) recent.shift();
      out.write(`[${spec.name}] ${line}\n`);
    });
  }
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
    child.once("error", (error) => {
      recent.push(error.message);
      resolve(1);
    });
  });
  return { spec, process: child, exited, recentOutput: () => [...recent] };
}

/**
 * Polls the child's health URL until it answers 2xx. Rejects when the child exits first or the
 * deadline passes, with the child's last output in the message.
 */
export async function waitUntilHealthy(child: SupervisedChild, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitedWith: number | string | undefined;
  let stranger = false;
  void child.exited.then((code) => {
    exitedWith = code;
  });
  while (Date.now() < deadline) {
    if (exitedWith !== undefined) {
      throw new Error(`${child.spec.name} exited (${exitedWith}) before it became healthy:\n${tail(child)}`);
    }
    try {
      const response = await fetch(child.spec.healthUrl, { signal: AbortSignal.timeout(2_000) });
      const answeredBy = response.headers.get("x-parley-instance");
      const ours = child.spec.instanceId === undefined || answeredBy === child.spec.instanceId;
      if (response.ok && ours) return;
      if (response.ok) stranger = true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const why = stranger ? ` (another process answers at ${child.spec.healthUrl})` : "";
  throw new Error(
    `${child.spec.name} did not become healthy within ${timeoutMs / 1000} s${why}:\n${tail(child)}`,
  );
}

/** Asks a child to stop (SIGTERM), then kills it if it has not exited after `graceMs`. */
export async function stopChild(child: SupervisedChild, graceMs: number): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill("SIGTERM");
  const timer = setTimeout(() => child.process.kill("SIGKILL"), graceMs);
  await child.exited;
  clearTimeout(timer);
}

function tail(child: SupervisedChild): string {
  return child
    .recentOutput()
    .slice(-15)
    .map((line) => `  ${line}`)
    .join("\n");
}

/**
 * Sends a start-up signal over the child's IPC channel (see `ChildSpec.ipc`); false when the child
 * has no channel or is gone.
 */
export function signalChild(child: SupervisedChild, message: { type: string }): boolean {
  if (!child.process.connected) return false;
  child.process.send(message);
  return true;
}
