import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { AWAIT_DATABASE_MESSAGE, DATABASE_READY_MESSAGE } from "./parent-signal";

const fixture = fileURLToPath(new URL("./test-support/fixtures/await-database.ts", import.meta.url));

/** Forks the fixture (as `parley start` spawns the runtime: with an IPC channel) and collects its output. */
function forkFixture(env: Record<string, string>) {
  const child: ChildProcess = fork(fixture, {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += String(chunk);
  });
  const asked = new Promise<void>((resolve) =>
    child.on("message", (message: { type?: string }) => {
      if (message.type === AWAIT_DATABASE_MESSAGE) resolve();
    }),
  );
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, asked, exited };
}

describe("waiting for parley start's database signal", () => {
  it("asks the parent, then serves only once the database is ready", { timeout: 60_000 }, async () => {
    const started = forkFixture({ PARLEY_AWAIT_DATABASE: "1" });
    await started.asked;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(started.output()).toBe("");
    started.child.send({ type: "something else" });
    started.child.send({ type: DATABASE_READY_MESSAGE });
    expect(await started.exited).toBe(0);
    expect(started.output()).toBe("serving\n");
  });

  it("exits when the parent goes away before answering", { timeout: 60_000 }, async () => {
    const started = forkFixture({ PARLEY_AWAIT_DATABASE: "1" });
    await started.asked;
    started.child.disconnect();
    expect(await started.exited).toBe(1);
    expect(started.output()).toBe("");
  });

  it("does not wait when it was not asked to (started by hand, tests, cluster workers)", {
    timeout: 60_000,
  }, async () => {
    const started = forkFixture({ PARLEY_AWAIT_DATABASE: "" });
    expect(await started.exited).toBe(0);
    expect(started.output()).toBe("serving\n");
  });
});
