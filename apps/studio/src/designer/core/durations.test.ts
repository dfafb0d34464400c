import { describe, expect, it } from "vitest";
import { joinMs, splitMs } from "./durations";

describe("durations in words", () => {
  it("shows milliseconds in the largest unit that divides them", () => {
    expect(splitMs(10_000)).toEqual({ amount: 10, unit: "s" });
    expect(splitMs(120_000)).toEqual({ amount: 2, unit: "min" });
    expect(splitMs(90_000)).toEqual({ amount: 90, unit: "s" });
    expect(splitMs(1_500)).toEqual({ amount: 1500, unit: "ms" });
  });

  it("turns an amount and unit back into milliseconds", () => {
    expect(joinMs(2, "min")).toBe(120_000);
    expect(joinMs(1.5, "s")).toBe(1_500);
    expect(joinMs(250, "ms")).toBe(250);
  });
});
