import { describe, expect, it } from "vitest";
import { abBucket } from "./ab-split";

describe("abBucket", () => {
  it("is sticky: the same ids always give the same bucket", () => {
    expect(abBucket("conv-1", "flow", "split")).toBe(abBucket("conv-1", "flow", "split"));
  });

  it("spreads conversations evenly over the 100 buckets", () => {
    const counts = new Array(10).fill(0);
    for (let index = 0; index < 10_000; index += 1)
      counts[Math.floor(abBucket(`conv-${index}`, "flow", "split") / 10)] += 1;
    for (const count of counts) expect(count).toBeGreaterThan(850);
    for (const count of counts) expect(count).toBeLessThan(1150);
  });

  it("assigns independently at two split nodes", () => {
    let same = 0;
    for (let index = 0; index < 1000; index += 1) {
      if (abBucket(`c${index}`, "flow", "a") < 50 === abBucket(`c${index}`, "flow", "b") < 50) same += 1;
    }
    expect(same).toBeGreaterThan(400);
    expect(same).toBeLessThan(600);
  });
});
