import { describe, expect, it } from "vitest";
import type { CoreDeps } from "../context";
import { type Drain, enableLocalChannelWork, runLocally } from "./local-channel-work";

/** A drain that records its passes and finishes each when told to (the runner asks `more()` after it). */
function controlledDrain(log: string[], name: string) {
  let finish = () => {};
  const drain: Drain = async () => {
    log.push(`${name}:start`);
    await new Promise<void>((resolve) => {
      finish = resolve;
    });
    log.push(`${name}:done`);
  };
  return { drain, finish: () => finish() };
}

/** Lets started drains reach their next await. */
const settle = async () => {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
};

describe("local channel work", () => {
  it("runs up to its concurrency, keeps further keys waiting in arrival order (each once), coalesces a running key", async () => {
    const deps = { infra: { queue: {} } } as unknown as CoreDeps;
    enableLocalChannelWork(deps, { concurrency: 1, deliver: async () => {} });
    const log: string[] = [];
    const errors: unknown[] = [];
    const a = controlledDrain(log, "a");
    const b = controlledDrain(log, "b");
    const c = controlledDrain(log, "c");
    const onError = (error: unknown) => errors.push(error);

    expect(runLocally(deps, "a", a.drain, onError)).toBe(true);
    // At the limit: b and c wait; b asked twice waits once; a asked again gets one more pass.
    expect(runLocally(deps, "b", b.drain, onError)).toBe(true);
    expect(runLocally(deps, "c", c.drain, onError)).toBe(true);
    expect(runLocally(deps, "b", controlledDrain(log, "b2").drain, onError)).toBe(true);
    expect(runLocally(deps, "a", controlledDrain(log, "a2").drain, onError)).toBe(true);
    await settle();
    expect(log).toEqual(["a:start"]);

    a.finish();
    await settle();
    // The request for one more pass of a runs it, before anything else starts.
    expect(log).toEqual(["a:start", "a:done", "a:start"]);
    a.finish();
    await settle();
    expect(log.slice(3)).toEqual(["a:done", "b:start"]);
    b.finish();
    await settle();
    expect(log.slice(5)).toEqual(["b:done", "c:start"]);
    c.finish();
    await settle();
    expect(log.slice(7)).toEqual(["c:done"]);
    expect(log.some((line) => line.startsWith("b2") || line.startsWith("a2"))).toBe(false);
    expect(errors).toEqual([]);
  });

  it("answers false (the caller queues) in a process that does not serve the channel queues", () => {
    const deps = { infra: { queue: {} } } as unknown as CoreDeps;
    expect(
      runLocally(
        deps,
        "a",
        async () => {},
        () => {},
      ),
    ).toBe(false);
  });
});
