import { describe, expect, it } from "vitest";
import {
  analyseExperiment,
  probabilityToBeat,
  sampleSizePerVariant,
  twoProportionZTest,
  wilsonInterval,
} from "./statistics";

/*
 * Expected values computed independently (SciPy 1.17: scipy.stats.norm.sf, binomtest(...).proportion_ci(
 * method="wilson"), and Evan Miller's closed form of P(B > A) for Beta posteriors with integer parameters).
 */
describe("experiment statistics against hand-computed values", () => {
  it("two-proportion z-test", () => {
    const up = twoProportionZTest(
      { conversions: 100, conversations: 1000 },
      { conversions: 130, conversations: 1000 },
    );
    expect(up?.z).toBeCloseTo(2.102740605622114, 9);
    expect(up?.pValue).toBeCloseTo(0.03548845046647471, 7);
    const down = twoProportionZTest(
      { conversions: 20, conversations: 200 },
      { conversions: 10, conversations: 200 },
    );
    expect(down?.z).toBeCloseTo(-1.898315991504998, 9);
    expect(down?.pValue).toBeCloseTo(0.05765446863352114, 7);
    expect(
      twoProportionZTest({ conversions: 0, conversations: 0 }, { conversions: 1, conversations: 3 }),
    ).toBeNull();
    expect(
      twoProportionZTest({ conversions: 0, conversations: 5 }, { conversions: 0, conversations: 5 }),
    ).toBeNull();
  });

  it("Wilson 95% interval", () => {
    const [lo0, hi0] = wilsonInterval(0, 10);
    expect(lo0).toBe(0);
    expect(hi0).toBeCloseTo(0.2775327998628892, 12);
    const [lo5, hi5] = wilsonInterval(5, 10);
    expect(lo5).toBeCloseTo(0.236593090512564, 12);
    expect(hi5).toBeCloseTo(0.7634069094874361, 12);
    const [lo, hi] = wilsonInterval(130, 1000);
    expect(lo).toBeCloseTo(0.11056377462484193, 12);
    expect(hi).toBeCloseTo(0.1522680266544689, 12);
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });

  it("Bayesian probability to beat the control (Beta(1,1) priors)", () => {
    const p = (a: [number, number], b: [number, number]) =>
      probabilityToBeat(
        { conversions: a[0], conversations: a[1] },
        { conversions: b[0], conversations: b[1] },
      );
    expect(p([10, 100], [20, 100])).toBeCloseTo(0.9751730331528113, 5);
    expect(p([100, 1000], [130, 1000])).toBeCloseTo(0.9821650661176866, 5);
    expect(p([5, 50], [5, 50])).toBeCloseTo(0.5, 5);
    expect(p([3, 10], [1, 10])).toBeCloseTo(0.15538847117794488, 5);
    // Deterministic: the same counts give the same figure.
    expect(p([37, 410], [51, 398])).toBe(p([37, 410], [51, 398]));
  });

  it("sample size per variant for a 20% relative lift, 5% two-sided, 80% power", () => {
    expect(sampleSizePerVariant(0.1)).toBe(3841);
    expect(sampleSizePerVariant(0.3)).toBe(963);
  });

  it("names a winner only when significant and every variant reached the sample size", () => {
    const early = analyseExperiment([
      { key: "control", conversions: 100, conversations: 1000 },
      { key: "b", conversions: 130, conversations: 1000 },
    ]);
    expect(early.pValue).toBeCloseTo(0.0354884, 6);
    expect(early.sampleSizeHint).toBe(3841);
    expect(early.winner).toBeNull();
    const done = analyseExperiment([
      { key: "control", conversions: 400, conversations: 4000 },
      { key: "b", conversions: 520, conversations: 4000 },
    ]);
    expect(done.pValue).toBeLessThan(0.001);
    expect(done.winner).toBe("b");
    expect(done.variants[1]).toMatchObject({ key: "b", rate: 0.13 });
    const flat = analyseExperiment([
      { key: "control", conversions: 400, conversations: 4000 },
      { key: "b", conversions: 410, conversations: 4000 },
    ]);
    expect(flat.winner).toBeNull();
    const empty = analyseExperiment([
      { key: "control", conversions: 0, conversations: 0 },
      { key: "b", conversions: 0, conversations: 0 },
    ]);
    expect(empty).toMatchObject({ pValue: null, probabilityToBeatControl: null, winner: null });
  });
});

/** mulberry32: a small seeded PRNG, so the simulation is the same on every run. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("false positives when the true rates are equal", () => {
  it("the z-test at 5% flags about 5% of 2,000 A/A experiments", () => {
    const random = mulberry32(20261207);
    const binomial = (n: number, p: number) => {
      let successes = 0;
      for (let index = 0; index < n; index += 1) if (random() < p) successes += 1;
      return successes;
    };
    const experiments = 2000;
    const perVariant = 400;
    let significant = 0;
    for (let run = 0; run < experiments; run += 1) {
      const test = twoProportionZTest(
        { conversions: binomial(perVariant, 0.2), conversations: perVariant },
        { conversions: binomial(perVariant, 0.2), conversations: perVariant },
      );
      if (test && test.pValue < 0.05) significant += 1;
    }
    const rate = significant / experiments;
    expect(rate).toBeGreaterThan(0.03);
    expect(rate).toBeLessThan(0.07);
  });
});
