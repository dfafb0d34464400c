import { describe, expect, it } from "vitest";
import { CrashHistory, type RestartPolicy } from "./restart-policy";

const policy: RestartPolicy = {
  initialDelayMs: 500,
  maxDelayMs: 4_000,
  stableAfterMs: 60_000,
  maxCrashes: 5,
  windowMs: 300_000,
};

describe("CrashHistory", () => {
  it("backs off exponentially up to the cap, then gives up after too many crashes in the window", () => {
    let now = 0;
    const history = new CrashHistory(policy, () => now);
    const delays = [];
    for (let crash = 0; crash < 5; crash += 1) {
      now += 1_000;
      const decision = history.recordCrash(now - 100);
      expect(decision.action).toBe("restart");
      if (decision.action === "restart") delays.push([decision.attempt, decision.delayMs]);
    }
    expect(delays).toEqual([
      [1, 500],
      [2, 1_000],
      [3, 2_000],
      [4, 4_000],
      [5, 4_000],
    ]);
    now += 1_000;
    expect(history.recordCrash(now - 100)).toEqual({ action: "give-up", crashes: 6, windowMs: 300_000 });
  });

  it("starts the backoff again after a stable period and forgets crashes older than the window", () => {
    let now = 0;
    const history = new CrashHistory(policy, () => now);
    for (let crash = 0; crash < 5; crash += 1) {
      now += 1_000;
      history.recordCrash(now - 100);
    }
    now += 400_000;
    expect(history.recordCrash(now - 120_000)).toEqual({ action: "restart", attempt: 1, delayMs: 500 });
  });
});
