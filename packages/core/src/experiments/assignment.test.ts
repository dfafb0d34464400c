import { describe, expect, it } from "vitest";
import { assignVariant } from "./assignment";

describe("experiment assignment", () => {
  const variants = [
    { key: "control", weight: 1 },
    { key: "b", weight: 3 },
  ];

  it("is sticky per subject and experiment", () => {
    for (const subject of ["contact-1", "contact-2", "visitor-x"]) {
      const first = assignVariant("exp-1", subject, variants).key;
      for (let round = 0; round < 5; round += 1)
        expect(assignVariant("exp-1", subject, variants).key).toBe(first);
    }
  });

  it("follows the weights (25% / 75% over 8,000 subjects)", () => {
    let control = 0;
    for (let index = 0; index < 8000; index += 1) {
      if (assignVariant("exp-1", `subject-${index}`, variants).key === "control") control += 1;
    }
    // Binomial sd = sqrt(8000 * 0.25 * 0.75) ≈ 38.7: 4 sd either side.
    expect(control).toBeGreaterThan(2000 - 155);
    expect(control).toBeLessThan(2000 + 155);
  });

  it("assigns independently in different experiments", () => {
    const even = [
      { key: "a", weight: 1 },
      { key: "b", weight: 1 },
    ];
    let same = 0;
    for (let index = 0; index < 4000; index += 1) {
      const subject = `subject-${index}`;
      if (assignVariant("exp-1", subject, even).key === assignVariant("exp-2", subject, even).key) same += 1;
    }
    expect(same).toBeGreaterThan(2000 - 130);
    expect(same).toBeLessThan(2000 + 130);
  });
});
