import { type ChildProcess, spawn } from "node:child_process";
import { cliBin } from "../paths";
import { type DemoCredentials, demoFilePath, readDemoFile } from "../seed/demo-file";

/** The demo as `parley seed` left it. */
export interface SeededDemo {
  readonly credentials: DemoCredentials;
  readonly file: string;
}

/** A running `parley seed` child. */
export interface SeedChild {
  /** Resolves with the demo once the child succeeded; rejects with its output when it failed. */
  readonly done: Promise<SeededDemo>;
  /** Stops the child if it is still running (shutdown during start-up). */
  stop(): void;
}

/**
 * Seeds the demo by running `parley seed` in a child process, then reads the credentials it wrote.
 *
 * Seeding loads Prisma, the core services and argon2; in the parent (which lives as long as the
 * product, hosting the embedded database) they would stay resident after a few hundred milliseconds
 * of use. A child also lets seeding overlap the runtime's and the studio's start-up.
 */
export function seedInChild(dataDir: string, env: NodeJS.ProcessEnv): SeedChild {
  const output: string[] = [];
  const child: ChildProcess = spawn(process.execPath, [cliBin, "seed"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk) => output.push(String(chunk)));
  child.stderr?.on("data", (chunk) => output.push(String(chunk)));
  const exited = new Promise<number | string>((resolve) => {
    child.once("error", (error) => {
      output.push(error.message);
      resolve(1);
    });
    child.once("exit", (exitCode, signal) => resolve(exitCode ?? signal ?? "unknown"));
  });
  const done = exited.then((code) => {
    if (code !== 0) {
      const text = output.join("").trim();
      throw new Error(`seeding the demo failed (parley seed exited ${code})${text ? `:\n${text}` : ""}`);
    }
    const credentials = readDemoFile(dataDir);
    if (!credentials) throw new Error(`parley seed finished but wrote no demo file in ${dataDir}`);
    return { credentials, file: demoFilePath(dataDir) };
  });
  return {
    done,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    },
  };
}
