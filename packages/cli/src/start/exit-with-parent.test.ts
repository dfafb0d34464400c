import { spawn, spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { exitWithParentPreload } from "../paths";

/** Whether a process with this pid still exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A supervisor (node process) that starts `script` under the preload with an IPC channel, as
 * `parley start` starts the studio, and prints the child's pid.
 */
function startSupervisor(script: string) {
  const supervisor = `
    const { spawn } = require("node:child_process");
    const child = spawn(process.execPath, ["--require", ${JSON.stringify(exitWithParentPreload)}, "-e", ${JSON.stringify(script)}],
      { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    console.log(child.pid);
    setInterval(() => {}, 1000);`;
  const parent = spawn(process.execPath, ["-e", supervisor], { stdio: ["ignore", "pipe", "inherit"] });
  const childPid = new Promise<number>((resolve) =>
    parent.stdout.once("data", (chunk) => resolve(Number(String(chunk).trim()))),
  );
  return { parent, childPid };
}

async function waitFor(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

describe("exit-with-parent preload", () => {
  it("stops a supervised child when its supervisor is killed without stopping it", async () => {
    const { parent, childPid } = startSupervisor("setInterval(() => {}, 1000)");
    const pid = await childPid;
    expect(alive(pid)).toBe(true);
    // Still running while the supervisor lives.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(alive(pid)).toBe(true);
    parent.kill("SIGKILL");
    expect(await waitFor(() => !alive(pid), 10_000)).toBe(true);
  });

  it("does not keep a child alive that has nothing left to do (the channel is unref'd)", () => {
    const run = spawnSync(
      process.execPath,
      [
        "-e",
        `const child = require("node:child_process").spawn(process.execPath,
           ["--require", ${JSON.stringify(exitWithParentPreload)}, "-e", "1"],
           { stdio: ["ignore", "ignore", "ignore", "ipc"] });
         const timer = setTimeout(() => { child.kill(); process.exit(3); }, 10000);
         child.on("exit", (code) => { clearTimeout(timer); process.exit(code === 0 ? 0 : 4); });`,
      ],
      { timeout: 20_000 },
    );
    expect(run.status).toBe(0);
  });

  it("is a no-op without an IPC channel", () => {
    const run = spawnSync(process.execPath, ["--require", exitWithParentPreload, "-e", "process.exit(7)"]);
    expect(run.status).toBe(7);
  });
});
