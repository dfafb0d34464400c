import { execFileSync } from "node:child_process";
import { createTestDatabase, type TestDatabase } from "@parley/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  freePort,
  freshDataDir,
  removeDataDirs,
  startParley,
  until,
  untilAnswering,
} from "../test-support/parley-process";

/**
 * `parley start --workers 2` in cluster mode (Postgres and Redis): the runtime's primary supervises
 * each worker like `parley start` supervises its children. A SIGKILLed worker is replaced after a
 * short backoff while the other keeps serving.
 */
const REDIS_URL = process.env.PARLEY_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

afterAll(removeDataDirs);

/** The pids of `pid`'s child processes. */
function childPids(pid: number): number[] {
  try {
    return execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" })
      .split("\n")
      .map((line) => Number(line.trim()))
      .filter((child) => child > 0);
  } catch {
    return []; // ps exits 1 when there are none
  }
}

async function untilTrue(check: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("parley start --workers 2 (cluster mode)", () => {
  let testDb: TestDatabase;

  beforeAll(async () => {
    testDb = await createTestDatabase({ kind: "postgres" });
  }, 120_000);
  afterAll(() => testDb?.cleanup());

  it("restarts a SIGKILLed worker while the other keeps serving", { timeout: 300_000 }, async () => {
    const ports = { runtime: await freePort(), db: await freePort() };
    const started = startParley(freshDataDir(), ports, ["--workers", "2"], {
      DATABASE_URL: testDb.url,
      REDIS_URL,
      PARLEY_REDIS_PREFIX: `parley-cli-cluster-${process.pid}-${Date.now()}:`,
    });
    try {
      await until(started, "Parley is running.");
      const primary = Number(/\[supervisor\] runtime started \(pid (\d+)\)/.exec(started.output())?.[1]);
      await untilTrue(() => childPids(primary).length === 2, "two workers");
      const [victim, survivor] = childPids(primary) as [number, number];
      process.kill(victim, "SIGKILL");
      await until(
        started,
        /runtime worker \d \(pid \d+\) exited unexpectedly \(signal SIGKILL\); restart attempt 1 in 0\.5 s/,
      );
      expect((await untilAnswering(`http://127.0.0.1:${ports.runtime}/health`)).status).toBe(200);
      await untilTrue(() => childPids(primary).length === 2, "a replacement worker");
      const workers = childPids(primary);
      expect(workers).toContain(survivor);
      expect(workers).not.toContain(victim);
      // The primary itself was not restarted.
      expect(started.output().match(/\[supervisor\] runtime started/g)).toHaveLength(1);

      started.child.kill("SIGTERM");
      expect(await started.exited).toBe(0);
    } finally {
      if (started.child.exitCode === null) started.child.kill("SIGKILL");
    }
  });
});
