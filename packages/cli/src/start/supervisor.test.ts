import type { RestartPolicy } from "@parley/infra/restart-policy";
import { describe, expect, it } from "vitest";
import { memoryIo } from "../test-support/memory-io";
import type { ChildSpec } from "./child-process";
import { superviseChild } from "./supervisor";

/** Real child processes that crash; a small policy so the test needs no long waits. */
const policy: RestartPolicy = {
  initialDelayMs: 100,
  maxDelayMs: 300,
  stableAfterMs: 60_000,
  maxCrashes: 3,
  windowMs: 60_000,
};

const crashing = (script: string): ChildSpec => ({
  name: "crasher",
  command: process.execPath,
  args: ["-e", script],
  cwd: process.cwd(),
  env: process.env,
  healthUrl: "http://127.0.0.1:9/unused",
});

async function until(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("superviseChild", () => {
  it("restarts a crashing process with growing, capped delays, reports each crash, then gives up", async () => {
    const io = memoryIo();
    let gaveUp = false;
    const service = superviseChild(crashing("process.exit(3)"), {
      out: io.stdout,
      policy,
      healthTimeoutMs: 1_000,
      onGiveUp: () => {
        gaveUp = true;
      },
    });
    await until(() => gaveUp);
    const reports = io
      .out()
      .split("\n")
      .filter((line) => line.startsWith("[supervisor]"));
    expect(reports.filter((line) => line.includes("started (pid"))).toHaveLength(4);
    const crashes = reports.filter((line) => line.includes("exited unexpectedly"));
    expect(crashes).toEqual([
      "[supervisor] crasher exited unexpectedly (exit code 3); restart attempt 1 in 0.1 s (gives up after 3 crashes within 1 min).",
      "[supervisor] crasher exited unexpectedly (exit code 3); restart attempt 2 in 0.2 s (gives up after 3 crashes within 1 min).",
      "[supervisor] crasher exited unexpectedly (exit code 3); restart attempt 3 in 0.3 s (gives up after 3 crashes within 1 min).",
      "[supervisor] crasher exited unexpectedly (exit code 3); it crashed 4 times within 1 min; not restarting it again.",
    ]);
    expect(service.givenUp()).toBe(true);
    await service.stop(1_000);
  });

  it("restarts nothing once stopped, even with a restart pending", async () => {
    const io = memoryIo();
    const witnessIo = memoryIo();
    const slowPolicy = { ...policy, initialDelayMs: 500 };
    const kill = "process.kill(process.pid, 'SIGKILL')";
    const service = superviseChild(crashing(kill), {
      out: io.stdout,
      policy: slowPolicy,
      healthTimeoutMs: 1_000,
    });
    await until(() => io.out().includes("crasher exited unexpectedly (signal SIGKILL); restart attempt 1"));
    await service.stop(1_000);
    // A witness with the same policy, left running: once it restarted, the stopped one's delay is past too.
    const witness = superviseChild(crashing(kill), {
      out: witnessIo.stdout,
      policy: slowPolicy,
      healthTimeoutMs: 1_000,
    });
    await until(() => (witnessIo.out().match(/started \(pid/g) ?? []).length >= 2);
    await witness.stop(1_000);
    expect(io.out().match(/started \(pid/g)).toHaveLength(1);
    expect(service.givenUp()).toBe(false);
  });

  it("stops a running process with SIGTERM and does not count it as a crash", async () => {
    const io = memoryIo();
    const service = superviseChild(crashing("setInterval(() => {}, 1000)"), {
      out: io.stdout,
      policy,
      healthTimeoutMs: 1_000,
    });
    await until(() => io.out().includes("started (pid"));
    await service.stop(5_000);
    expect(service.current().process.signalCode).toBe("SIGTERM");
    expect(io.out()).not.toContain("exited unexpectedly");
  });
});
